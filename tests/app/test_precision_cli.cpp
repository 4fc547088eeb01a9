// --precision end to end: a usage error for an unknown value on every command that takes it, the precision kept
// with a recorded run and shown by `runs`, bf16 changing the numbers only slightly, and the fallback to fp32 with
// one notice on a CPU oneDNN cannot serve in bf16 (simulated by capping oneDNN's ISA below AVX512-BF16).
#include <QtTest>

#include <nlohmann/json.hpp>

#include "core/kernels/bf16_matmul.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using dynamax::bf16_matmul_available;
using nlohmann::json;
using testing_support::CliResult;
using testing_support::run_dynamax;

namespace {

QString model_path() {
  return QString::fromStdString((testing_support::shared_dir() / "fixtures/models/tiny-mistral").string());
}
QString text_spec() {
  return "text:" + QString::fromStdString((testing_support::shared_dir() / "data/text/wikitext2_test.txt").string()) +
         "#window=32";
}
const QStringList kIds = {"--ids", "1,415,2936,1142,349,264,1369,302,272,1526"};

// The lens' JSON for the ids above in a precision.
json lens(const QString& precision) {
  const CliResult r = run_dynamax(QStringList{"lens", model_path(), "--json", "--precision", precision} + kIds);
  if (r.code != 0) qWarning("%s", qPrintable(r.err));
  return r.code == 0 ? json::parse(r.out.toStdString()) : json();
}

// Caps oneDNN below AVX512-BF16 for the processes started in this scope.
struct WithoutBf16Isa {
  WithoutBf16Isa() { qputenv("ONEDNN_MAX_CPU_ISA", "AVX512_CORE"); }
  ~WithoutBf16Isa() { qunsetenv("ONEDNN_MAX_CPU_ISA"); }
};

}  // namespace

class TestPrecisionCli : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;

  QString db(const char* name) const { return tmp_.filePath(name); }

  // Records two samples in `precision` into a new workspace; returns `runs --json`'s only run.
  json record(const char* db_name, const QString& precision) {
    const CliResult r = run_dynamax({"record", "--model", model_path(), "--dataset", text_spec(), "--limit", "2",
                                     "--db", db(db_name), "--precision", precision});
    if (r.code != 0) return json{{"error", r.err.toStdString()}};
    const CliResult runs = run_dynamax({"runs", "--db", db(db_name), "--json"});
    return json::parse(runs.out.toStdString()).at(0);
  }

 private slots:
  void initTestCase() { QVERIFY2(!testing_support::dynamax_binary().empty(), "DYNAMAX_BIN is not set"); }

  void unknown_precision_is_a_usage_error_data() {
    QTest::addColumn<QStringList>("args");
    QTest::newRow("lens") << (QStringList{"lens", "MODEL"} + kIds);
    QTest::newRow("generate") << (QStringList{"generate", "MODEL", "--max-new", "2"} + kIds);
    QTest::newRow("record") << QStringList{"record", "--model", "MODEL", "--dataset", "SPEC", "--db", "DB"};
    QTest::newRow("evaluate") << QStringList{"evaluate", "--model", "MODEL", "--dataset", "SPEC", "--db", "DB"};
    QTest::newRow("train-exits") << QStringList{"train-exits", "--model", "MODEL", "--data", "SPEC", "--kind",
                                                "linear", "--out", "OUT"};
  }
  void unknown_precision_is_a_usage_error() {
    REQUIRE_SHARED();
    QFETCH(QStringList, args);
    args.replaceInStrings("MODEL", model_path()).replaceInStrings("SPEC", text_spec());
    args.replaceInStrings("DB", db("usage.db")).replaceInStrings("OUT", tmp_.filePath("c.safetensors"));
    const CliResult r = run_dynamax(args + QStringList{"--precision", "fp16"});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("--precision must be fp32 or bf16, not 'fp16'"), qPrintable(r.err));
    QVERIFY(!fs::exists(db("usage.db").toStdString()));  // refused before anything was written
  }

  void runs_show_each_runs_precision() {
    REQUIRE_SHARED();
    const json fp32 = record("fp32.db", "fp32");
    QCOMPARE(fp32.value("precision", ""), std::string("fp32"));
    const json bf16 = record("bf16.db", "bf16");
    QCOMPARE(bf16.value("precision", ""), std::string(bf16_matmul_available() ? "bf16" : "fp32"));
    QCOMPARE(bf16.value("status", ""), std::string("done"));
    const CliResult text = run_dynamax({"runs", "--db", db("bf16.db")});
    QVERIFY2(text.out.contains("precision") && text.out.contains(bf16_matmul_available() ? " bf16 " : " fp32 "),
             qPrintable(text.out));
  }

  void bf16_changes_the_lens_only_slightly() {
    REQUIRE_SHARED();
    if (!bf16_matmul_available()) QSKIP("oneDNN has no bf16 matmul for this CPU");
    const json a = lens("fp32"), b = lens("bf16");
    QVERIFY(!a.is_null() && !b.is_null());
    QVERIFY2(a["top_logprobs"] != b["top_logprobs"], "bf16 gave fp32's numbers");
    const auto& last_a = a["top_logprobs"].back();
    const auto& last_b = b["top_logprobs"].back();
    for (size_t t = 0; t < last_a.size(); ++t)
      QVERIFY(std::fabs(last_a[t][0].get<double>() - last_b[t][0].get<double>()) < 0.2);
  }

  void without_a_bf16_kernel_it_falls_back_with_one_notice() {
    REQUIRE_SHARED();
    const json fp32 = lens("fp32");
    WithoutBf16Isa capped;
    const CliResult r = run_dynamax(QStringList{"lens", model_path(), "--json", "--precision", "bf16"} + kIds);
    QCOMPARE(r.code, 0);
    QVERIFY2(r.err.contains("bf16 matmuls are not available on this CPU") && r.err.count('\n') == 1, qPrintable(r.err));
    QCOMPARE(json::parse(r.out.toStdString()), fp32);  // computed exactly as fp32
    QCOMPARE(record("fallback.db", "bf16").value("precision", ""), std::string("fp32"));  // stored as computed
  }
};

QTEST_APPLESS_MAIN(TestPrecisionCli)
#include "test_precision_cli.moc"
