// Classifier files: every kind saved and loaded gives bit-identical scores (the Mamba one over a whole sequence);
// files for another model, corrupt, truncated or foreign files fail with a clear dynamax::Error; parameter and
// FLOP counts are what the layer shapes say.
#include <QtTest>

#include <random>

#include "core/common/error.h"
#include "core/exits/classifier_file.h"
#include "core/io/safetensors_writer.h"
#include "support/test_support.h"

using namespace dynamax;
namespace fs = std::filesystem;

namespace {

ExitClassifier make_classifier(const QString& kind, int width = 24, int depths = 16) {
  ClassifierSpec spec;
  spec.kind = parse_classifier_kind(kind.toStdString());
  spec.width = width;
  spec.ffn_width = 16;
  spec.activation = Activation::SwiGLU;
  spec.mamba_inner = 16, spec.mamba_heads = 2, spec.mamba_state = 8;
  ExitClassifier c("probe-" + kind.toStdString(), spec, {}, depths, 3);
  c.record = {{"note", "test"}};
  return c;
}

QString error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return QString::fromUtf8(e.what());
  }
  return {};
}

}  // namespace

class TestClassifierFile : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;
  fs::path path(const char* name) const { return fs::path(tmp_.path().toStdString()) / name; }

 private slots:
  void round_trip_gives_identical_scores_data() {
    QTest::addColumn<QString>("kind");
    for (const char* kind : {"linear", "ffn", "mamba"}) QTest::newRow(kind) << kind;
  }
  void round_trip_gives_identical_scores() {
    QFETCH(QString, kind);
    const ExitClassifier saved = make_classifier(kind);
    QCOMPARE(saved.depths(), (std::vector<int>{8, 10, 12, 14}));
    save_classifier(path("c.safetensors"), saved);
    const auto loaded = load_classifier(path("c.safetensors"));
    QCOMPARE(loaded->name(), saved.name());
    QCOMPARE(loaded->depths(), saved.depths());
    QCOMPARE(loaded->model_depths(), 16);
    QCOMPARE(loaded->spec().to_json(), saved.spec().to_json());
    QCOMPARE(loaded->record, saved.record);
    QVERIFY(loaded->weights() == saved.weights());
    std::mt19937_64 rng(9);
    std::normal_distribution<float> normal(0.0f, 3.0f);
    const int T = 40;
    std::vector<float> h(size_t(T) * 24);
    for (float& v : h) v = normal(rng);
    for (int depth : saved.depths()) {
      std::vector<float> a(size_t(T), 0.0f), b(size_t(T), 1.0f);
      saved.score(depth, h.data(), T, a.data());
      loaded->score(depth, h.data(), T, b.data());
      QCOMPARE(a, b);
      for (float p : a) QVERIFY(p > 0.0f && p < 1.0f);
    }
    QVERIFY(classifier_file_bytes(*loaded) == testing_support::read_file(path("c.safetensors")));
  }

  void counts_follow_the_shapes() {
    const ExitClassifier linear = make_classifier("linear");
    QCOMPARE(linear.parameters_per_exit(), int64_t(24 + 1));
    QCOMPARE(linear.flops_per_token(), int64_t(3 * 24 + 2) + (2 * 24 + 1) + 3);
    const ExitClassifier ffn = make_classifier("ffn");  // SwiGLU: gate and up rows
    QCOMPARE(ffn.parameters_per_exit(), int64_t(32 * 24 + 32 + 16 + 1));
    const ExitClassifier mamba = make_classifier("mamba");
    // in_proj 24 → 16 + (16 + 2·8) + 2, conv 4 × 32 + 32, dt_bias/A_log/D 3 × 2, norm 16, out_proj 16 + 1
    QCOMPARE(mamba.parameters_per_exit(), int64_t(50 * 24 + 4 * 32 + 32 + 6 + 16 + 17));
  }

  void another_model_is_refused() {
    const ExitClassifier c = make_classifier("linear");
    check_classifier_fits(c, 24, 16, "tiny");
    QVERIFY(error_of([&] { check_classifier_fits(c, 32, 16, "wide"); }).contains("width 24 with 16 blocks"));
    QVERIFY(error_of([&] { check_classifier_fits(c, 24, 24, "deep"); }).contains("deep has width 24 and 24 blocks"));
  }

  void bad_files_are_refused() {
    save_classifier(path("good.safetensors"), make_classifier("mamba"));
    const std::string good = testing_support::read_file(path("good.safetensors"));
    auto load_bytes = [&](const char* name, const std::string& bytes) {
      testing_support::write_file(path(name), bytes);
      return error_of([&] { load_classifier(path(name)); });
    };
    QVERIFY(!load_bytes("empty.safetensors", "").isEmpty());
    QVERIFY(!load_bytes("truncated.safetensors", good.substr(0, good.size() / 2)).isEmpty());
    QVERIFY(!load_bytes("garbage.safetensors", std::string(200, '\x7f')).isEmpty());
    QVERIFY(error_of([&] { load_classifier(path("missing.safetensors")); }).contains("missing.safetensors"));
    // A valid safetensors file that is not a classifier: a model shard, say.
    write_safetensors(path("weights.safetensors"), {{"w", TensorData::f32({2}, {1, 2})}});
    QVERIFY(error_of([&] { load_classifier(path("weights.safetensors")); }).contains("not an exit classifier"));
    // Metadata and tensors that disagree (the metadata is JSON inside a JSON string, hence the escaped quotes).
    std::string shrunk = good;
    const size_t at = shrunk.find(R"(inner\":16)");
    QVERIFY(at != std::string::npos);
    shrunk.replace(at, 10, R"(inner\":32)");
    const QString mismatch = load_bytes("mismatch.safetensors", shrunk);
    QVERIFY2(mismatch.contains("in_proj.weight"), qPrintable(mismatch));
    std::string bad_json = good;
    bad_json.replace(bad_json.find(R"(depths\":[8)"), 11, R"(depths\":[0)");
    QVERIFY(load_bytes("depth0.safetensors", bad_json).contains("exit depth 0"));
  }
};

QTEST_APPLESS_MAIN(TestClassifierFile)
#include "test_classifier_file.moc"
