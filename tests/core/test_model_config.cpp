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
    QVERIFY(c.transformer.layer_windows.empty());
    QCOMPARE(c.transformer.rope_theta, 1e6);
    QCOMPARE(c.vocab_size, 32768);
    QCOMPARE(c.transformer.head_dim, 128);
    QCOMPARE(c.parameter_count(), int64_t(7248023552));  // "7.25 B": v0.1's count + 768 embedding and head rows
    // v0.3 repositories also write "head_dim": null: hidden_size / num_attention_heads, as without the key.
    nlohmann::json j = read_lenient_json(fixtures() / "configs/mistral-7b-v0.3/config.json");
    j["head_dim"] = nullptr;
    QCOMPARE(parse_model_config(j, "v0.3").transformer.head_dim, 128);
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

  // Llama 3.x: rope_scaling of type llama3 (transformers 4) and its transformers-5 form, rope_parameters.
  void llama3_rope_scaling_in_both_layouts() {
    const ModelConfig c = load_model_config(testing_support::test_data_dir() / "configs/llama-3.1-8b");
    QCOMPARE(c.transformer.rope_theta, 500000.0);
    QCOMPARE(c.transformer.rope_scaling.type, RopeType::Llama3);
    QCOMPARE(c.transformer.rope_scaling.factor, 8.0);
    QCOMPARE(c.transformer.rope_scaling.low_freq_factor, 1.0);
    QCOMPARE(c.transformer.rope_scaling.high_freq_factor, 4.0);
    QCOMPARE(c.transformer.rope_scaling.original_max_position_embeddings, 8192);
    QVERIFY(!c.transformer.sliding_window && !c.transformer.qkv_bias && !c.transformer.mlp_bias);
    const ModelConfig v5 = parse_model_config(parse_lenient_json(R"({"architectures": ["LlamaForCausalLM"],
        "hidden_size": 64, "num_hidden_layers": 2, "vocab_size": 100, "num_attention_heads": 4, "intermediate_size": 128,
        "rope_parameters": {"rope_type": "llama3", "rope_theta": 500000.0, "factor": 32.0, "low_freq_factor": 1.0,
                            "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}})", "v5"), "v5");
    QCOMPARE(v5.transformer.rope_theta, 500000.0);
    QCOMPARE(v5.transformer.rope_scaling.type, RopeType::Llama3);
    QCOMPARE(v5.transformer.rope_scaling.factor, 32.0);
    // The older key name "type", and "default" meaning none.
    const QString base = R"("architectures": ["LlamaForCausalLM"], "hidden_size": 64, "num_hidden_layers": 2,
        "vocab_size": 100, "num_attention_heads": 4, "intermediate_size": 128)";
    auto parse = [&](const QString& extra) {
      return parse_model_config(parse_lenient_json(("{" + base + ", " + extra + "}").toStdString(), "c"), "c");
    };
    QCOMPARE(parse(R"("rope_scaling": {"type": "linear", "factor": 2.0})").transformer.rope_scaling.factor, 2.0);
    QCOMPARE(parse(R"("rope_parameters": {"rope_type": "default", "rope_theta": 10000.0})").transformer.rope_scaling.type,
             RopeType::Default);
  }

  // Qwen2: q/k/v biases always; the window only with use_sliding_window, from layer max_window_layers on, or where
  // layer_types says "sliding_attention".
  void qwen2_biases_and_windows() {
    const ModelConfig q = load_model_config(testing_support::test_data_dir() / "configs/qwen2.5-7b");
    QCOMPARE(q.arch, Architecture::Qwen2);
    QVERIFY(q.transformer.qkv_bias && !q.transformer.o_bias && !q.transformer.mlp_bias);
    QVERIFY(!q.transformer.sliding_window);  // sliding_window 131072 is set, use_sliding_window false
    QCOMPARE(q.transformer.rope_theta, 1e6);
    const QString base = R"("architectures": ["Qwen2ForCausalLM"], "hidden_size": 64, "num_hidden_layers": 4,
        "vocab_size": 100, "num_attention_heads": 4, "intermediate_size": 128)";
    auto windows = [&](const QString& extra) {
      return parse_model_config(parse_lenient_json(("{" + base + ", " + extra + "}").toStdString(), "c"), "c")
          .transformer.layer_windows;
    };
    QCOMPARE(windows(R"("use_sliding_window": true, "sliding_window": 16, "max_window_layers": 1)"),
             (std::vector<int>{0, 16, 16, 16}));
    QCOMPARE(windows(R"("use_sliding_window": true, "sliding_window": 16)"),  // max_window_layers defaults to 28
             (std::vector<int>{0, 0, 0, 0}));
    QCOMPARE(windows(R"("use_sliding_window": true, "sliding_window": 16, "max_window_layers": 0,
        "layer_types": ["sliding_attention", "full_attention", "sliding_attention", "full_attention"])"),
             (std::vector<int>{16, 0, 16, 0}));
    QCOMPARE(windows(R"("use_sliding_window": false, "sliding_window": 16, "max_window_layers": 1)"),
             (std::vector<int>{0, 0, 0, 0}));
    QCOMPARE(windows(R"("use_sliding_window": true, "sliding_window": null, "max_window_layers": 1)"),
             (std::vector<int>{0, 0, 0, 0}));
  }

  void a_parsed_config_always_has_a_parameter_count() {
    auto j = parse_lenient_json(R"({"architectures": ["LlamaForCausalLM"], "hidden_size": 2147483646, "num_hidden_layers": 1,
        "vocab_size": 2147483647, "num_attention_heads": 2, "head_dim": 2, "intermediate_size": 1, "tie_word_embeddings": true})", "big");
    const ModelConfig c = parse_model_config(j, "big");
    QCOMPARE(c.parameter_count(), *c.checked_parameter_count());
    QVERIFY(c.parameter_count() > (int64_t(1) << 61));  // vocab × hidden alone: no wrap to a negative count
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
    QTest::newRow("unknown architecture") << R"({"architectures": ["GPT2LMHeadModel"]})" << "\"GPT2LMHeadModel\", which is not supported";
    QTest::newRow("architecture list") << R"({"architectures": ["GPT2LMHeadModel"]})"
                                       << "(MistralForCausalLM, LlamaForCausalLM, Qwen2ForCausalLM, Mamba2ForCausalLM";
    QTest::newRow("rope type yarn") << "{" + base + R"(, "num_attention_heads": 4, "rope_scaling": {"rope_type": "yarn", "factor": 4.0}})"
                                    << "field 'rope_scaling.rope_type' is \"yarn\", which is not supported (default, linear, llama3)";
    QTest::newRow("rope type dynamic (5.x)") << "{" + base + R"(, "num_attention_heads": 4, "rope_parameters": {"rope_type": "dynamic", "factor": 2.0, "rope_theta": 1e4}})"
                                             << "field 'rope_parameters.rope_type' is \"dynamic\", which is not supported";
    QTest::newRow("llama3 without factor") << "{" + base + R"(, "num_attention_heads": 4, "rope_scaling": {"rope_type": "llama3", "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 64}})"
                                           << "field 'rope_scaling.factor' is required for rope type 'llama3' but missing";
    QTest::newRow("llama3 high <= low") << "{" + base + R"(, "num_attention_heads": 4, "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 4.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 64}})"
                                        << "'rope_scaling.high_freq_factor' must be greater than low_freq_factor";
    QTest::newRow("rope_scaling a string") << "{" + base + R"(, "num_attention_heads": 4, "rope_scaling": "llama3"})"
                                           << "field 'rope_scaling' must be an object";
    QTest::newRow("qwen2 layer_types") << R"({"architectures": ["Qwen2ForCausalLM"], "hidden_size": 64, "num_hidden_layers": 2, "vocab_size": 100, "num_attention_heads": 4, "intermediate_size": 128, "layer_types": ["full_attention", "chunked_attention"]})"
                                       << "field 'layer_types[1]' must be \"full_attention\" or \"sliding_attention\", found \"chunked_attention\"";
    QTest::newRow("mamba width") << "{" + mamba + R"(, "num_heads": 4, "head_dim": 16, "expand": 2, "n_groups": 1, "state_size": 8})" << "must equal expand × hidden_size (128)";
    QTest::newRow("mamba groups") << "{" + mamba + R"(, "num_heads": 8, "head_dim": 16, "expand": 2, "n_groups": 3, "state_size": 8})" << "'n_groups' (3) must divide num_heads (8)";
    QTest::newRow("not an object") << "[1, 2]" << "not a JSON object";
    const QString tiny = base + R"(, "num_attention_heads": 4)";
    QTest::newRow("eos_token_id []") << "{" + tiny + R"(, "eos_token_id": []})" << "'eos_token_id' is an empty list";
    QTest::newRow("eos_token_id [\"x\"]") << "{" + tiny + R"(, "eos_token_id": ["x"]})" << "'eos_token_id[0]' must be an integer, found \"x\"";
    QTest::newRow("eos_token_id [2, -1]") << "{" + tiny + R"(, "eos_token_id": [2, -1]})" << "'eos_token_id[1]' must be from 0 to 2147483647, found -1";
    QTest::newRow("vocab past UINT32_MAX") << R"({"architectures": ["MistralForCausalLM"], "hidden_size": 64, "num_hidden_layers": 2, "vocab_size": 4294975488})" << "'vocab_size' must be at most 2147483647, found 4294975488";
    QTest::newRow("hidden past UINT64_MAX") << R"({"architectures": ["MistralForCausalLM"], "hidden_size": 18446744073709551615, "num_hidden_layers": 2, "vocab_size": 100})" << "'hidden_size' must be at most 2147483647";
    QTest::newRow("heads × head_dim past INT_MAX") << "{" + base + R"(, "num_attention_heads": 65536, "num_key_value_heads": 1, "head_dim": 65536})" << "'num_attention_heads' gives a size of 4294967296";
    QTest::newRow("parameters past 2^63") << R"({"architectures": ["LlamaForCausalLM"], "hidden_size": 2147483646, "num_hidden_layers": 2147483647, "vocab_size": 2147483647, "num_attention_heads": 2, "head_dim": 2, "intermediate_size": 2147483647})" << "more than 2^63 parameters";
    QTest::newRow("rope_theta Infinity") << "{" + tiny + R"(, "rope_theta": Infinity})" << "'rope_theta' must be a finite number, found Infinity";
    QTest::newRow("rope_parameters NaN") << "{" + tiny + R"(, "rope_parameters": {"rope_theta": NaN}})" << "'rope_parameters.rope_theta' must be a finite number";
    QTest::newRow("rms_norm_eps -Infinity") << "{" + tiny + R"(, "rms_norm_eps": -Infinity})" << "'rms_norm_eps' must be a finite number";
    QTest::newRow("time_step_limit NaN") << "{" + mamba + R"(, "num_heads": 8, "head_dim": 16, "expand": 2, "n_groups": 1, "state_size": 8, "time_step_limit": [NaN, 1]})" << "'time_step_limit[0]' must be a finite number";
    QTest::newRow("mamba in_proj past INT_MAX") << "{" + mamba + R"(, "num_heads": 8, "head_dim": 16, "expand": 2, "n_groups": 1, "state_size": 2147483647})" << "'state_size' gives a size of";
    QTest::newRow("model_type a number") << "{" + tiny + R"(, "model_type": 7})" << "'model_type' must be a string, found 7";
    QTest::newRow("a list where a number belongs") << "{" + base + R"(, "num_attention_heads": [[[[4]]]]})" << "'num_attention_heads' must be an integer, found a list of 1 item";
    QTest::newRow("a long string where a number belongs") << "{" + base + ", \"num_attention_heads\": \"" + QString(5000, 'x') + "\"}" << "found \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"… (5000 bytes)";
    QTest::newRow("nested 10^5 deep") << "{" + tiny + R"(, "x": )" + QString(100000, '[') + QString(100000, ']') + "}" << "line 1: JSON nested deeper than 128 levels";
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
      QVERIFY2(QString(e.what()).size() < 500, "a message quotes a few words of the input, never all of it");
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
