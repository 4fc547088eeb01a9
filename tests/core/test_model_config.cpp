// config.json: the real published configs, transformers 5 configs, defaults, and errors that name the field.
#include <QtTest>

#include <cmath>

#include "core/common/error.h"
#include "core/io/lenient_json.h"
#include "core/io/model_config.h"
#include "support/test_support.h"

using namespace dynamax;
namespace fs = std::filesystem;

class TestModelConfig : public QObject {
  Q_OBJECT

  static fs::path fixtures() { return testing_support::shared_dir() / "fixtures"; }

 private slots:
  void mistral_7b_v01() {
    REQUIRE_SHARED();
    ModelConfig c = load_model_config(fixtures() / "configs/mistral-7b-v0.1");
    QCOMPARE(c.arch, Architecture::Mistral);
    QCOMPARE(c.num_layers, 32);
    QCOMPARE(c.hidden_size, 4096);
    QCOMPARE(c.transformer.num_heads, 32);
    QCOMPARE(c.transformer.num_kv_heads, 8);
    QCOMPARE(c.transformer.head_dim, 128);
    QCOMPARE(c.transformer.intermediate_size, 14336);
    QCOMPARE(c.transformer.rope_theta, 10000.0);
    QCOMPARE(c.transformer.sliding_window.value_or(-1), 4096);
    QCOMPARE(c.vocab_size, 32000);
    QCOMPARE(c.parameter_count(), int64_t(7241732096));  // Mistral-7B-v0.1's published parameter count
  }

  void mistral_7b_v03_has_no_window() {
    REQUIRE_SHARED();
    ModelConfig c = load_model_config(fixtures() / "configs/mistral-7b-v0.3");
    QVERIFY(!c.transformer.sliding_window.has_value());
    QCOMPARE(c.transformer.rope_theta, 1e6);
    QCOMPARE(c.vocab_size, 32768);
  }

  void codestral_with_bare_infinity() {
    REQUIRE_SHARED();
    ModelConfig c = load_model_config(fixtures() / "configs/mamba-codestral-7b-v0.1");
    QCOMPARE(c.arch, Architecture::Mamba2);
    QCOMPARE(c.num_layers, 64);
    QCOMPARE(c.mamba2.num_heads, 128);
    QCOMPARE(c.mamba2.head_dim, 64);
    QCOMPARE(c.mamba2.n_groups, 8);
    QCOMPARE(c.mamba2.state_size, 128);
    QCOMPARE(c.mamba2.d_inner, 8192);
    QCOMPARE(c.mamba2.in_proj_dim(), 2 * 8192 + 2 * 8 * 128 + 128);
    QCOMPARE(c.mamba2.time_step_min, 0.0);
    QVERIFY(std::isinf(c.mamba2.time_step_max));
    QCOMPARE(c.norm_eps, 1e-5);
  }

  void tiny_models_in_transformers5_style() {
    REQUIRE_SHARED();
    ModelConfig m = load_model_config(fixtures() / "models/tiny-mistral");
    QCOMPARE(m.transformer.head_dim, 32);
    QCOMPARE(m.transformer.num_kv_heads, 2);
    QCOMPARE(m.transformer.rope_theta, 10000.0);  // from rope_parameters.rope_theta
    QCOMPARE(m.transformer.sliding_window.value_or(-1), 128);
    ModelConfig c = load_model_config(fixtures() / "models/tiny-codestral");
    QCOMPARE(c.mamba2.n_groups, 4);
    QVERIFY(std::isinf(c.mamba2.time_step_max));  // {"__float__": "Infinity"}
    QCOMPARE(c.mamba2.conv_dim(), 384 + 2 * 4 * 32);
  }

  void lenient_json_keeps_strings_intact() {
    auto j = parse_lenient_json(R"({"s": "Infinity NaN", "v": [-Infinity, NaN, 1]})", "x");
    QCOMPARE(j["s"].get<std::string>(), std::string("Infinity NaN"));
    QVERIFY(std::isinf(json_to_double(j["v"][0], "v")) && json_to_double(j["v"][0], "v") < 0);
    QVERIFY(std::isnan(json_to_double(j["v"][1], "v")));
  }

  void defaults_for_missing_optional_fields() {
    auto j = parse_lenient_json(R"({"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "num_hidden_layers": 2,
        "vocab_size": 100, "num_attention_heads": 4, "intermediate_size": 128})", "llama");
    ModelConfig c = parse_model_config(j, "llama");
    QCOMPARE(c.arch, Architecture::Llama);
    QCOMPARE(c.transformer.num_kv_heads, 4);
    QCOMPARE(c.transformer.head_dim, 16);
    QVERIFY(!c.transformer.sliding_window);
    QCOMPARE(c.transformer.rope_theta, 10000.0);
  }

  void errors_name_the_field_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("expected");
    const QString base = R"("architectures": ["MistralForCausalLM"], "hidden_size": 64, "num_hidden_layers": 2, "vocab_size": 100, "intermediate_size": 128)";
    const QString mamba = R"("architectures": ["Mamba2ForCausalLM"], "hidden_size": 64, "num_hidden_layers": 2, "vocab_size": 100)";
    QTest::newRow("kv heads not dividing") << "{" + base + R"(, "num_attention_heads": 4, "num_key_value_heads": 3})" << "'num_key_value_heads' (3) must divide num_attention_heads (4)";
    QTest::newRow("zero heads") << "{" + base + R"(, "num_attention_heads": 0})" << "'num_attention_heads' must be positive";
    QTest::newRow("negative hidden") << R"({"architectures": ["MistralForCausalLM"], "hidden_size": -4, "num_hidden_layers": 2, "vocab_size": 100})" << "'hidden_size' must be positive";
    QTest::newRow("missing layers") << R"({"architectures": ["MistralForCausalLM"], "hidden_size": 64, "vocab_size": 100})" << "'num_hidden_layers' is required";
    QTest::newRow("string size") << "{" + base + R"(, "num_attention_heads": "4"})" << "'num_attention_heads' must be an integer";
    QTest::newRow("unknown architecture") << R"({"architectures": ["GPT2LMHeadModel"]})" << "'GPT2LMHeadModel', which is not supported";
    QTest::newRow("mamba width") << "{" + mamba + R"(, "num_heads": 4, "head_dim": 16, "expand": 2, "n_groups": 1, "state_size": 8})" << "must equal expand × hidden_size (128)";
    QTest::newRow("mamba groups") << "{" + mamba + R"(, "num_heads": 8, "head_dim": 16, "expand": 2, "n_groups": 3, "state_size": 8})" << "'n_groups' (3) must divide num_heads (8)";
    QTest::newRow("not an object") << "[1, 2]" << "not a JSON object";
  }
  void errors_name_the_field() {
    QFETCH(QString, json);
    QFETCH(QString, expected);
    try {
      parse_model_config(parse_lenient_json(json.toStdString(), "cfg.json"), "cfg.json");
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains(expected), e.what());
      QVERIFY2(QString(e.what()).startsWith("cfg.json"), e.what());
    }
  }

  void unreadable_files() {
    QTemporaryDir tmp;
    const fs::path dir = tmp.path().toStdString();
    try {
      load_model_config(dir);
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("config.json: missing"), e.what());
    }
    testing_support::write_file(dir / "config.json", "{\"hidden_size\": 12,");
    try {
      load_model_config(dir);
      QFAIL("expected an error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("config.json: not valid JSON"), e.what());
    }
  }
};

QTEST_APPLESS_MAIN(TestModelConfig)
#include "test_model_config.moc"
