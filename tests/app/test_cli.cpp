// End-to-end: the dynamax binary's commands on the tiny models, and one clear message for each bad input.
#include <QtTest>

#include <nlohmann/json.hpp>

#include "support/reference_checks.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using nlohmann::json;

using testing_support::CliResult;
using testing_support::run_dynamax;

class TestCli : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;

  static fs::path model(const char* name) { return testing_support::shared_dir() / "fixtures/models" / name; }

  static QString ids_arg(const std::vector<int32_t>& ids) {
    QStringList parts;
    for (int32_t id : ids) parts << QString::number(id);
    return parts.join(',');
  }

  // A copy of a tiny model folder in the temporary dir, to be damaged by a test.
  fs::path copy_model(const char* name, const char* as) {
    const fs::path dst = fs::path(tmp_.path().toStdString()) / as;
    fs::copy(model(name), dst, fs::copy_options::recursive);
    for (auto& e : fs::recursive_directory_iterator(dst)) fs::permissions(e.path(), fs::perms::owner_write, fs::perm_options::add);
    return dst;
  }

 private slots:
  void initTestCase() { QVERIFY2(!testing_support::dynamax_binary().empty(), "DYNAMAX_BIN is not set"); }

  void info_json_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("architecture");
    QTest::addColumn<int>("depths");
    QTest::newRow("tiny-mistral") << "tiny-mistral" << "MistralForCausalLM" << 16;
    QTest::newRow("tiny-codestral") << "tiny-codestral" << "Mamba2ForCausalLM" << 24;
  }
  void info_json() {
    REQUIRE_SHARED();
    QFETCH(QString, name);
    QFETCH(QString, architecture);
    QFETCH(int, depths);
    CliResult r = run_dynamax({"info", QString::fromStdString(model(name.toUtf8()).string()), "--json"});
    QCOMPARE(r.code, 0);
    json j = json::parse(r.out.toStdString());
    QCOMPARE(QString::fromStdString(j["architecture"]), architecture);
    QCOMPARE(j["depths"].get<int>(), depths);
    QCOMPARE(j["hidden_size"].get<int>(), 192);
    QCOMPARE(j["vocab_size"].get<int>(), 8192);
    QCOMPARE(j["dtype"].get<std::string>(), std::string("BF16"));
    QCOMPARE(j["weights"]["present"].get<bool>(), true);
    QCOMPARE(j["weights"]["files"].get<int>(), 2);
    QCOMPARE(j["tokenizer"]["backend"].get<std::string>(), std::string("sentencepiece"));
    // the parameters counted in the weights equal those the config implies
    QCOMPARE(j["parameters"].get<int64_t>(), name == "tiny-mistral" ? int64_t(9443520) : int64_t(9780768));
  }

  void info_text_and_config_only_folder() {
    REQUIRE_SHARED();
    CliResult r = run_dynamax({"info", QString::fromStdString(model("tiny-codestral").string())});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("Mamba2ForCausalLM, 24 blocks") && r.out.contains("4 groups"), qPrintable(r.out));
    CliResult c = run_dynamax({"info", QString::fromStdString((testing_support::shared_dir() / "fixtures/configs/mamba-codestral-7b-v0.1").string()), "--json"});
    QCOMPARE(c.code, 0);
    json j = json::parse(c.out.toStdString());
    QCOMPARE(j["weights"]["present"].get<bool>(), false);
    QCOMPARE(j["depths"].get<int>(), 64);
    QVERIFY(j["parameters"].get<int64_t>() > 7'000'000'000);
  }

  // The transformer families: rope scaling, window layout, biases and the published parameter counts.
  void info_shows_the_transformer_family_data() {
    QTest::addColumn<QString>("folder");  // under tests/data
    QTest::addColumn<QStringList>("lines");
    QTest::newRow("Llama-3.1-8B") << "configs/llama-3.1-8b" << QStringList{
        "LlamaForCausalLM, 32 blocks", "scaling llama3 ×8 (low/high freq factors 1/4, original context 8192)",
        "window        none", "biases none", "parameters    8030261248 (bfloat16)"};
    QTest::newRow("Llama-3.2-1B (tied)") << "configs/llama-3.2-1b" << QStringList{
        "head_dim 64", "scaling llama3 ×32", "parameters    1235814400 (bfloat16)"};
    QTest::newRow("Qwen2.5-7B") << "configs/qwen2.5-7b" << QStringList{
        "Qwen2ForCausalLM, 28 blocks", "biases q/k/v", "theta 1e+06, scaling default", "window        none",
        "parameters    7615616512 (bfloat16)"};
    QTest::newRow("tiny-qwen2") << "models/tiny-qwen2" << QStringList{"window        32 in layers 2-4 (full in 0-1)"};
  }
  void info_shows_the_transformer_family() {
    QFETCH(QString, folder);
    QFETCH(QStringList, lines);
    const QString path = QString::fromStdString((testing_support::test_data_dir() / folder.toStdString()).string());
    const CliResult r = run_dynamax({"info", path});
    QCOMPARE(r.code, 0);
    for (const QString& line : lines) QVERIFY2(r.out.contains(line), qPrintable(line + " not in:\n" + r.out));
    const json j = json::parse(run_dynamax({"info", path, "--json"}).out.toStdString());
    QCOMPARE(j["rope_scaling"].is_null(), !folder.contains("llama"));
    QCOMPARE(j["biases"]["qkv"].get<bool>(), folder.contains("qwen"));
  }

  // Mamba-1 and FalconMamba (tests/data): info, cached greedy generation against the reference, and early-exit
  // decoding with the update strategy, whose exits and counted blocks follow the policy.
  void mamba1_models_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("architecture");
    QTest::newRow("tiny-mamba") << "tiny-mamba" << "MambaForCausalLM";
    QTest::newRow("tiny-falcon-mamba") << "tiny-falcon-mamba" << "FalconMambaForCausalLM";
  }
  void mamba1_models() {
    QFETCH(QString, name);
    QFETCH(QString, architecture);
    const QString folder = QString::fromStdString((testing_support::test_data_dir() / "models" / name.toStdString()).string());
    CliResult info = run_dynamax({"info", folder, "--json"});
    QVERIFY2(info.code == 0, qPrintable(info.err));
    const json j = json::parse(info.out.toStdString());
    QCOMPARE(QString::fromStdString(j["architecture"]), architecture);
    QCOMPARE(j["depths"].get<int>(), 4);
    QCOMPARE(j["time_step_rank"].get<int>(), 8);
    testing_support::Reference ref(testing_support::test_data_dir() / "references" / (name.toStdString() + ".reference.safetensors"));
    const QString prompt = ids_arg(ref.ints("g0.prompt_ids"));
    CliResult plain = run_dynamax({"generate", folder, "--ids", prompt, "--max-new", "40", "--json"});
    QVERIFY2(plain.code == 0, qPrintable(plain.err));
    QCOMPARE(json::parse(plain.out.toStdString())["ids"].get<std::vector<int32_t>>(), ref.ints("g0.greedy_ids"));
    CliResult exits = run_dynamax({"generate", folder, "--ids", prompt, "--max-new", "5", "--json", "--exit-measure",
                                   "max-prob", "--threshold", "-inf", "--depths", "2", "--state-strategy", "update"});
    QVERIFY2(exits.code == 0, qPrintable(exits.err));
    const json e = json::parse(exits.out.toStdString());
    QCOMPARE(e["exit_depths"].get<std::vector<int>>(), (std::vector<int>{4, 2, 2, 2, 2}));
    QCOMPARE(e["strategy"].get<std::string>(), std::string("update"));
    QVERIFY(e["extra_blocks"].get<double>() > 0.0);  // the skipped blocks' partial forwards are counted
  }

  void tokenize_json_matches_reference() {
    REQUIRE_SHARED();
    for (const char* backend : {"sentencepiece", "hf"}) {
      CliResult r = run_dynamax({"tokenize", QString::fromStdString(model("tiny-mistral").string()), "--text", "Hello  world", "--backend", backend, "--json"});
      QCOMPARE(r.code, 0);
      json j = json::parse(r.out.toStdString());
      QCOMPARE(j["ids"].get<std::vector<int>>(), (std::vector<int>{3873, 8111, 8108, 669}));
      QCOMPARE(j["pieces"][0].get<std::string>(), std::string("▁Hell"));
    }
  }

  void lens_json_matches_reference_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("tiny-mistral") << "tiny-mistral";
    QTest::newRow("tiny-codestral") << "tiny-codestral";
  }
  void lens_json_matches_reference() {
    REQUIRE_SHARED();
    QFETCH(QString, name);
    const std::string n = name.toStdString();
    testing_support::Reference ref(testing_support::shared_dir() / "fixtures/references" / (n + ".reference.safetensors"));
    const std::vector<int32_t> ids = ref.ints("p3.input_ids");
    const std::vector<int32_t> top_ids = ref.ints("p3.layer_top5_ids");
    const std::vector<float> top_lp = ref.floats("p3.layer_top5_logprobs");
    CliResult r = run_dynamax({"lens", QString::fromStdString(model(n.c_str()).string()), "--ids", ids_arg(ids), "--top", "5", "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    json j = json::parse(r.out.toStdString());
    const int L = j["depths"], T = j["positions"];
    QCOMPARE(T, int(ids.size()));
    QCOMPARE(int(j["top_ids"].size()), L);
    for (int d = 0; d < L; ++d)
      for (int t = 0; t < T; ++t) {
        const size_t at = (size_t(d) * T + t) * 5;
        QCOMPARE(int(j["top_ids"][d][t].size()), 5);
        if (top_lp[at] - top_lp[at + 1] > 1e-3f) QCOMPARE(j["top_ids"][d][t][0].get<int>(), top_ids[at]);
        QVERIFY(std::fabs(j["top_logprobs"][d][t][0].get<float>() - top_lp[at]) < 2e-3f);
      }
  }

  void generate_matches_reference_data() { lens_json_matches_reference_data(); }
  void generate_matches_reference() {
    REQUIRE_SHARED();
    QFETCH(QString, name);
    const std::string n = name.toStdString();
    testing_support::Reference ref(testing_support::shared_dir() / "fixtures/references" / (n + ".reference.safetensors"));
    CliResult r = run_dynamax({"generate", QString::fromStdString(model(n.c_str()).string()), "--ids", ids_arg(ref.ints("g1.prompt_ids")),
                    "--max-new", "40", "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    json j = json::parse(r.out.toStdString());
    QCOMPARE(j["ids"].get<std::vector<int32_t>>(), ref.ints("g1.greedy_ids"));
    QVERIFY(j["text"].is_string() && !j["text"].get<std::string>().empty());
  }

  void generate_from_prompt_text() {
    REQUIRE_SHARED();
    CliResult r = run_dynamax({"generate", QString::fromStdString(model("tiny-mistral").string()), "--prompt", "The ship left the harbour", "--max-new", "8", "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(int(json::parse(r.out.toStdString())["ids"].size()), 8);
  }

  void bad_input_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown command") << QStringList{"frobnicate"} << 2 << "unknown command 'frobnicate'";
    QTest::newRow("no such folder") << QStringList{"info", "/nonexistent/model"} << 1 << "/nonexistent/model: not a folder";
    QTest::newRow("unknown option") << QStringList{"info", "x", "--colour"} << 2 << "unknown option --colour";
    QTest::newRow("tokenize without text") << QStringList{"tokenize", "MODEL"} << 2 << "needs --text";
    QTest::newRow("bad backend") << QStringList{"tokenize", "MODEL", "--text", "a", "--backend", "bpe"} << 1 << "bpe";
    QTest::newRow("bad ids") << QStringList{"lens", "MODEL", "--ids", "1,x,3"} << 2 << "got 'x'";
    QTest::newRow("ids and prompt") << QStringList{"lens", "MODEL", "--ids", "1", "--prompt", "a"} << 2 << "exactly one of";
    QTest::newRow("id outside vocab") << QStringList{"lens", "MODEL", "--ids", "1,9000"} << 1 << "token id 9000 at position 1 is outside the vocabulary";
    QTest::newRow("negative id") << QStringList{"generate", "MODEL", "--ids", "-3", "--max-new", "2"} << 1 << "outside the vocabulary";
    QTest::newRow("zero max-new") << QStringList{"generate", "MODEL", "--ids", "1", "--max-new", "0"} << 2 << "--max-new must be an integer from 1";
  }
  void bad_input() {
    REQUIRE_SHARED();
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, expected);
    args.replaceInStrings("MODEL", QString::fromStdString(model("tiny-mistral").string()));
    CliResult r = run_dynamax(args);
    QCOMPARE(r.code, code);
    QVERIFY2(r.err.contains(expected), qPrintable(r.err));
    QVERIFY2(r.err.count('\n') <= 2, qPrintable("one clear message, got: " + r.err));
  }

  void damaged_model_folders_data() {
    QTest::addColumn<QString>("damage");
    QTest::addColumn<QString>("expected");
    QTest::newRow("truncated shard") << "truncate" << "model-00002-of-00002.safetensors: tensor";
    QTest::newRow("missing shard") << "remove" << "names shard 'model-00002-of-00002.safetensors', which is missing";
    QTest::newRow("malformed config") << "config" << "config.json: not valid JSON";
    QTest::newRow("malformed tokenizer") << "tokenizer" << "tokenizer.model";
  }
  void damaged_model_folders() {
    REQUIRE_SHARED();
    QFETCH(QString, damage);
    QFETCH(QString, expected);
    const fs::path dir = copy_model("tiny-mistral", damage.toUtf8().constData());
    QStringList args{"info", QString::fromStdString(dir.string())};
    if (damage == "truncate") fs::resize_file(dir / "model-00002-of-00002.safetensors", 4'000'000);
    if (damage == "remove") fs::remove(dir / "model-00002-of-00002.safetensors");
    if (damage == "config") testing_support::write_file(dir / "config.json", "{\"architectures\": [");
    if (damage == "tokenizer") {
      testing_support::write_file(dir / "tokenizer.model", "garbage");
      args = QStringList{"tokenize", QString::fromStdString(dir.string()), "--text", "hi"};
    }
    CliResult r = run_dynamax(args);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(expected), qPrintable(r.err));
  }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
