// safetensors: reading the tiny fixtures (single files and shard sets) and rejecting every kind of bad file.
#include <QtTest>

#include <cstring>

#include "core/common/error.h"
#include "core/io/safetensors.h"
#include "core/io/safetensors_writer.h"
#include "core/kernels/convert.h"
#include "support/test_support.h"

using namespace dynamax;
namespace fs = std::filesystem;
using testing_support::read_file;
using testing_support::write_file;

class TestSafetensors : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  fs::path dir() const { return tmp_.path().toStdString(); }

  // A small valid file: two tensors, bf16 and f32.
  std::string valid_bytes() const {
    return safetensors_bytes({{"a", TensorData::bf16({2, 3}, {1, 2, 3, 4, 5, 6})}, {"b", TensorData::f32({4}, {0.5f, -1, 2, 8})}},
                             {{"about", "test"}});
  }

  // The same file with its header replaced by `header` (data section kept).
  std::string with_header(const std::string& header, const std::string& data) const {
    std::string out(8, '\0');
    uint64_t n = header.size();
    std::memcpy(out.data(), &n, 8);
    return out + header + data;
  }

  QString error_of(const std::string& bytes) {
    const fs::path p = dir() / "bad.safetensors";
    write_file(p, bytes);
    try {
      SafetensorsFile::open(p);
    } catch (const Error& e) {
      return QString::fromStdString(e.what());
    }
    return {};
  }

 private slots:
  void reads_a_written_file() {
    write_file(dir() / "ok.safetensors", valid_bytes());
    auto f = SafetensorsFile::open(dir() / "ok.safetensors");
    QCOMPARE(f->tensors().size(), size_t(2));
    QCOMPARE(f->metadata().at("about"), std::string("test"));
    const TensorView* a = f->find("a");
    QVERIFY(a);
    QCOMPARE(a->dtype, DType::BF16);
    QCOMPARE(a->shape, (std::vector<int64_t>{2, 3}));
    std::vector<float> values(6);
    to_f32(a->dtype, a->data, values.data(), 6);
    QCOMPARE(values, (std::vector<float>{1, 2, 3, 4, 5, 6}));
    const TensorView* b = f->find("b");
    QCOMPARE(reinterpret_cast<const float*>(b->data)[3], 8.0f);
    QCOMPARE(reinterpret_cast<uintptr_t>(b->data) % 4, uintptr_t(0));  // header padded to keep data aligned
  }

  void reads_the_tiny_shard_sets_data() { QTest::addColumn<QString>("model"); QTest::newRow("mistral") << "tiny-mistral"; QTest::newRow("codestral") << "tiny-codestral"; }
  void reads_the_tiny_shard_sets() {
    REQUIRE_SHARED();
    QFETCH(QString, model);
    const fs::path folder = testing_support::shared_dir() / "fixtures/models" / model.toStdString();
    SafetensorsSet set = SafetensorsSet::open_folder(folder);
    QCOMPARE(set.files().size(), size_t(2));
    const std::string index = read_file(folder / "model.safetensors.index.json");
    for (const std::string& name : set.names()) QVERIFY2(index.find("\"" + name + "\"") != std::string::npos, name.c_str());
    QVERIFY(set.find("lm_head.weight"));
    QCOMPARE(set.require("lm_head.weight").shape, (std::vector<int64_t>{8192, 192}));
    QCOMPARE(set.require("lm_head.weight").dtype, DType::BF16);
    QVERIFY(set.bytes_on_disk() > 18'000'000);
  }

  void reads_reference_tensors() {
    REQUIRE_SHARED();
    SafetensorsSet ref = SafetensorsSet::open_file(testing_support::shared_dir() / "fixtures/references/tiny-mistral.reference.safetensors");
    const TensorView& ids = ref.require("p0.input_ids", {300});
    QCOMPARE(ids.dtype, DType::I32);
    QCOMPARE(reinterpret_cast<const int32_t*>(ids.data)[0], 1);  // BOS
    QCOMPARE(ref.require("p0.hidden_states").shape, (std::vector<int64_t>{16, 64, 192}));
  }

  void rejects_bad_files_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    const std::string data(24, '\0');
    auto row = [&](const char* name, const std::string& bytes, const char* expected) {
      QTest::newRow(name) << QByteArray(bytes.data(), qsizetype(bytes.size())) << QString(expected);
    };
    row("empty file", "", "truncated file");
    row("truncated length", std::string(5, '\x01'), "truncated file");
    std::string past(8, '\0');
    uint64_t huge = 1000;
    std::memcpy(past.data(), &huge, 8);
    row("header length past the end", past + "{}", "runs past the end");
    row("malformed JSON", with_header("{\"a\": {\"dtype\": ", data), "not valid JSON");
    row("not an object", with_header("[1,2]", data), "not a JSON object");
    row("unknown dtype", with_header(R"({"a":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}})", data), "unsupported dtype \"F8_E4M3\"");
    row("range outside the file", with_header(R"({"a":{"dtype":"F32","shape":[16],"data_offsets":[0,64]}})", data), "outside the data section");
    row("overlapping tensors", with_header(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}})", data), "overlap");
    row("length differs from shape", with_header(R"({"a":{"dtype":"BF16","shape":[3],"data_offsets":[0,8]}})", data), "needs 6");
    row("negative size", with_header(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", data), "negative");
    row("missing offsets", with_header(R"({"a":{"dtype":"F32","shape":[1]}})", data), "needs dtype, shape and data_offsets");
    row("reversed offsets", with_header(R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}})", data), "outside the data section");
    // An empty tensor sorted between two overlapping ones used to hide their overlap.
    row("overlap behind an empty tensor", with_header(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"z":{"dtype":"F32","shape":[0],"data_offsets":[8,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})", data), "tensors 'a' and 'b' overlap");
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    row("metadata nested 10^5 deep", with_header("{\"__metadata__\": {\"a\": " + deep + "}}", data), "nests JSON deeper than 128 levels");
    row("metadata value not a string", with_header(R"({"__metadata__": {"a": {"b": 1}}})", data), "__metadata__ value 'a' is not a string (found an object of 1 member)");
    row("dtype of a megabyte", with_header("{\"a\":{\"dtype\":\"" + std::string(1 << 20, 'Q') + "\",\"shape\":[1],\"data_offsets\":[0,4]}}", data), "unsupported dtype \"QQQQ");
  }
  void rejects_bad_files() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    const QString message = error_of(bytes.toStdString());
    QVERIFY2(message.contains(expected), qPrintable("got: " + message));
    QVERIFY2(message.contains("bad.safetensors"), qPrintable("message must name the file: " + message));
    QVERIFY2(message.size() < 500, qPrintable("the message quotes too much: " + message.left(300)));
  }

  void truncated_copy_of_a_real_shard_is_rejected() {
    REQUIRE_SHARED();
    std::string bytes = read_file(testing_support::shared_dir() / "fixtures/models/tiny-mistral/model-00002-of-00002.safetensors");
    bytes.resize(bytes.size() / 2);
    QVERIFY(error_of(bytes).contains("outside the data section"));
  }

  void missing_shard_is_named() {
    REQUIRE_SHARED();
    const fs::path src = testing_support::shared_dir() / "fixtures/models/tiny-mistral";
    const fs::path folder = dir() / "missing-shard";
    fs::create_directories(folder);
    fs::copy_file(src / "model.safetensors.index.json", folder / "model.safetensors.index.json");
    fs::copy_file(src / "model-00001-of-00002.safetensors", folder / "model-00001-of-00002.safetensors");
    try {
      SafetensorsSet::open_folder(folder);
      QFAIL("a missing shard must be an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("model-00002-of-00002.safetensors") && QString(e.what()).contains("missing"), e.what());
    }
  }

  void index_naming_a_tensor_absent_from_its_shard() {
    const fs::path folder = dir() / "bad-index";
    fs::create_directories(folder);
    write_file(folder / "part.safetensors", valid_bytes());
    write_file(folder / "model.safetensors.index.json", R"({"weight_map": {"a": "part.safetensors", "zzz": "part.safetensors"}})");
    try {
      SafetensorsSet::open_folder(folder);
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("'zzz' is not in its shard"), e.what());
    }
  }

  void folder_without_weights() {
    try {
      SafetensorsSet::open_folder(dir());
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("no weights"), e.what());
    }
  }

  void require_reports_shapes() {
    write_file(dir() / "ok.safetensors", valid_bytes());
    SafetensorsSet set = SafetensorsSet::open_file(dir() / "ok.safetensors");
    try {
      set.require("a", {3, 2});
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("'a' has shape [2, 3], expected [3, 2]"), e.what());
    }
    try {
      set.require("nope");
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("missing tensor 'nope'"), e.what());
    }
  }
};

QTEST_APPLESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
