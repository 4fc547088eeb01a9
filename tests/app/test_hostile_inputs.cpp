// Hostile inputs through the real dynamax binary: damaged model folders (config.json, safetensors headers,
// tokenizer files), damaged datasets of every reader, and malformed command-line arguments. Each case writes its
// input into a fresh folder, runs one command and asserts that the command refused it the way a user can act on:
// exit code 1 (bad input) or 2 (usage), one short message on stderr that names the file or the field, no signal,
// no hang (a generous process timeout), and the input file's bytes unchanged.
#include <QtTest>

#include <cmath>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace fs = std::filesystem;
using nlohmann::ordered_json;
using testing_support::CliResult;

namespace {

constexpr int kDeep = 100'000;           // the nesting depth the probe used
constexpr int kHangGuardMs = 120'000;    // far above any case's run time: only a hang reaches it

fs::path shared_model(const std::string& name) { return testing_support::shared_dir() / "fixtures/models" / name; }

std::string deep_list(int depth) { return std::string(size_t(depth), '[') + std::string(size_t(depth), ']'); }

// A JSON file of the shared model with `edit` applied.
std::string edited_json(const std::string& model, const std::string& file, const std::function<void(ordered_json&)>& edit) {
  ordered_json j = ordered_json::parse(testing_support::read_file(shared_model(model) / file));
  edit(j);
  return j.dump(2);
}

// The shared model's config.json with `key` set to `raw`, written verbatim (bare Infinity, deep nesting, ...).
std::string config_with_raw(const std::string& model, const std::string& key, const std::string& raw) {
  std::string text = edited_json(model, "config.json", [&](ordered_json& j) { j[key] = "@RAW@"; });
  text.replace(text.find("\"@RAW@\""), 7, raw);
  return text;
}

std::string mistral_config(const std::function<void(ordered_json&)>& edit) {
  return edited_json("tiny-mistral", "config.json", edit);
}

std::string tokenizer_json(const std::function<void(ordered_json&)>& edit) {
  return edited_json("tiny-mistral", "tokenizer.json", edit);
}

// The tiny tokenizer.json with section `key` replaced by `raw`.
std::string tokenizer_with_raw(const std::string& key, const std::string& raw) {
  std::string text = tokenizer_json([&](ordered_json& j) { j[key] = "@RAW@"; });
  text.replace(text.find("\"@RAW@\""), 7, raw);
  return text;
}

// A component nested `depth` times in Sequence components (`list` names their member), as tokenizers writes them.
std::string nested_sequence(const char* list, const std::string& leaf, int depth) {
  std::string open = std::string("{\"type\": \"Sequence\", \"") + list + "\": [", text;
  text.reserve(size_t(depth) * (open.size() + 2) + leaf.size());
  for (int i = 0; i < depth; ++i) text += open;
  text += leaf;
  for (int i = 0; i < depth; ++i) text += "]}";
  return text;
}

// A safetensors file: the 8-byte little-endian header length, the header, the data.
std::string safetensors(const std::string& header, const std::string& data = std::string(16, '\0')) {
  std::string out(8, '\0');
  uint64_t n = header.size();
  std::memcpy(out.data(), &n, 8);
  return out + header + data;
}

std::string one_tensor(const std::string& entry) { return safetensors("{\"t\": " + entry + "}"); }

// A shard of the tiny model with every weight byte set to 0xFF: each bf16 value is a NaN.
std::string nan_shard() {
  std::string bytes = testing_support::read_file(shared_model("tiny-mistral") / "model-00001-of-00002.safetensors");
  uint64_t header = 0;
  std::memcpy(&header, bytes.data(), 8);
  std::fill(bytes.begin() + 8 + std::ptrdiff_t(header), bytes.end(), '\xFF');
  return bytes;
}

}  // namespace

class TestHostileInputs : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  int next_case_ = 0;

  // A fresh folder for one case: links to the files of `base` ("tiny-mistral", "tiny-codestral", the same with
  // "/no-weights" to leave out the safetensors files, or "none"), then the hostile file written over its link.
  fs::path case_folder(const QString& base, const QString& file, const QByteArray& bytes) {
    const fs::path dir = fs::path(tmp_.path().toStdString()) / ("case" + std::to_string(next_case_++));
    fs::create_directories(dir);
    if (base != "none") {
      const bool no_weights = base.endsWith("/no-weights");
      const std::string model = base.section('/', 0, 0).toStdString();
      for (const auto& entry : fs::directory_iterator(shared_model(model))) {
        const std::string name = entry.path().filename().string();
        if (no_weights && name.find("safetensors") != std::string::npos) continue;
        fs::create_symlink(entry.path(), dir / name);
      }
    }
    if (!file.isEmpty()) {
      const fs::path path = dir / file.toStdString();
      fs::remove(path);
      testing_support::write_file(path, bytes.toStdString());
    }
    return dir;
  }

  static void add(const char* name, const QString& base, const QString& file, const std::string& bytes,
                  const QStringList& args, int code, const QString& expected) {
    QTest::newRow(name) << base << file << QByteArray::fromStdString(bytes) << args << code << expected;
  }

  // config.json cases: `info` reads it first; `lens` also builds the model from it.
  static void config_case(const char* name, const std::string& bytes, const QString& expected,
                          const QString& model = "tiny-mistral") {
    add(name, model, "config.json", bytes, {"info", "@DIR@", "--json"}, 1, expected);
  }
  static void safetensors_case(const char* name, const std::string& bytes, const QString& expected) {
    add(name, "tiny-mistral/no-weights", "model.safetensors", bytes, {"lens", "@DIR@", "--ids", "1,2"}, 1, expected);
  }
  static void tokenizer_case(const char* name, const std::string& bytes, const QString& expected) {
    add(name, "tiny-mistral", "tokenizer.json", bytes, {"tokenize", "@DIR@", "--text", "hi", "--backend", "hf"}, 1,
        expected);
  }
  static void dataset_case(const char* name, const char* kind, const char* file, const std::string& bytes,
                           const QString& expected, const QString& options = "") {
    add(name, "none", file, bytes,
        {"record", "--model", "@MODEL@", "--dataset", QString(kind) + ":@FILE@" + options, "--db", "@DIR@/w.sqlite"}, 1,
        expected);
  }
  static void usage_case(const char* name, const QStringList& args, const QString& expected) {
    add(name, "none", "", "", args, 2, expected);
  }

 private slots:
  void initTestCase() { QVERIFY2(!testing_support::dynamax_binary().empty(), "DYNAMAX_BIN is not set"); }

  void hostile_input_data();
  void hostile_input();
  void skipped_records_are_reported();
};

void TestHostileInputs::hostile_input_data() {
  QTest::addColumn<QString>("base");
  QTest::addColumn<QString>("file");
  QTest::addColumn<QByteArray>("bytes");
  QTest::addColumn<QStringList>("args");
  QTest::addColumn<int>("code");
  QTest::addColumn<QString>("expected");
  if (testing_support::shared_dir().empty()) return;  // hostile_input skips with a message

  // ---- config.json ----
  config_case("eos_token_id []", mistral_config([](auto& j) { j["eos_token_id"] = ordered_json::array(); }),
              "field 'eos_token_id' is an empty list");
  config_case("eos_token_id [\"x\"]", mistral_config([](auto& j) { j["eos_token_id"] = {"x"}; }),
              "field 'eos_token_id[0]' must be an integer");
  config_case("eos_token_id object", mistral_config([](auto& j) { j["eos_token_id"] = ordered_json::object(); }),
              "field 'eos_token_id' must be an integer");
  config_case("bos_token_id past int32", mistral_config([](auto& j) { j["bos_token_id"] = int64_t(1) << 40; }),
              "field 'bos_token_id' must be");
  config_case("vocab_size past UINT32_MAX", mistral_config([](auto& j) { j["vocab_size"] = 4294975488LL; }),
              "field 'vocab_size' must be");
  config_case("hidden_size 2^64-1", config_with_raw("tiny-mistral", "hidden_size", "18446744073709551615"),
              "field 'hidden_size' must be at most");
  config_case("hidden_size a float", mistral_config([](auto& j) { j["hidden_size"] = 1e30; }),
              "field 'hidden_size' must be an integer");
  config_case("negative layers", mistral_config([](auto& j) { j["num_hidden_layers"] = -1; }),
              "field 'num_hidden_layers' must be positive");
  config_case("heads x head_dim overflow", mistral_config([](auto& j) {
                j["num_attention_heads"] = 65536;
                j["num_key_value_heads"] = 65536;
                j["head_dim"] = 65536;
              }),
              "field 'num_attention_heads' gives a size of 4294967296");
  config_case("parameter count overflow", mistral_config([](auto& j) {
                j["vocab_size"] = 2147483647;
                j["hidden_size"] = 2147483646;
                j["intermediate_size"] = 2147483647;
              }),
              "more than 2^63 parameters");
  config_case("rope_theta Infinity", config_with_raw("tiny-mistral", "rope_parameters", "{\"rope_theta\": Infinity}"),
              "field 'rope_parameters.rope_theta' must be a finite number");
  config_case("rope_theta NaN", mistral_config([](auto& j) {
                j.erase("rope_parameters");
                j["rope_theta"] = {{"__float__", "NaN"}};
              }),
              "field 'rope_theta' must be a finite number");
  config_case("rms_norm_eps Infinity", config_with_raw("tiny-mistral", "rms_norm_eps", "Infinity"),
              "field 'rms_norm_eps' must be a finite number");
  config_case("rms_norm_eps negative", mistral_config([](auto& j) { j["rms_norm_eps"] = -1.0; }),
              "field 'rms_norm_eps' must be positive");
  config_case("deeply nested value", config_with_raw("tiny-mistral", "rope_scaling", deep_list(kDeep)),
              "config.json: line 30: JSON nested deeper than 128 levels");
  config_case("deeply nested type error", config_with_raw("tiny-mistral", "hidden_size", deep_list(100)),
              "field 'hidden_size' must be an integer, found a list of 1 item");
  config_case("model_type a number", mistral_config([](auto& j) { j["model_type"] = 5; }),
              "field 'model_type' must be a string");
  config_case("huge architecture name", mistral_config([](auto& j) { j["architectures"] = {std::string(1 << 20, 'A')}; }),
              "field 'architectures' names \"AAAA");
  config_case("tie_word_embeddings a string", mistral_config([](auto& j) { j["tie_word_embeddings"] = "yes"; }),
              "field 'tie_word_embeddings' must be true or false");
  config_case("sliding_window 0", mistral_config([](auto& j) { j["sliding_window"] = 0; }),
              "field 'sliding_window' must be positive");
  config_case("kv heads not dividing", mistral_config([](auto& j) { j["num_key_value_heads"] = 4; }),
              "field 'num_key_value_heads' (4) must divide");
  config_case("empty file", "", "config.json: not valid JSON");
  config_case("a list", "[1, 2]", "config.json: not a JSON object");
  config_case("binary garbage", std::string("\x00\xFF\xFE{\"a\":", 8), "config.json: not valid JSON");
  config_case("codestral time_step_limit NaN",
              edited_json("tiny-codestral", "config.json",
                          [](auto& j) { j["time_step_limit"] = {{{"__float__", "NaN"}}, 1.0}; }),
              "field 'time_step_limit[0]' must be a finite number", "tiny-codestral");
  config_case("codestral num_heads x head_dim overflow",
              edited_json("tiny-codestral", "config.json", [](auto& j) {
                j["num_heads"] = 2147483647;
                j["head_dim"] = 2;
              }),
              "field 'num_heads' gives a size of", "tiny-codestral");
  config_case("codestral state overflow",
              edited_json("tiny-codestral", "config.json", [](auto& j) { j["state_size"] = 2147483647; }),
              "field 'state_size' gives a size of", "tiny-codestral");
  config_case("codestral layer_norm_epsilon Infinity",
              config_with_raw("tiny-codestral", "layer_norm_epsilon", "Infinity"),
              "field 'layer_norm_epsilon' must be a finite number", "tiny-codestral");
  config_case("codestral n_groups 0", edited_json("tiny-codestral", "config.json", [](auto& j) { j["n_groups"] = 0; }),
              "field 'n_groups' must be positive", "tiny-codestral");

  // ---- safetensors ----
  const std::string f32x4 = R"({"dtype": "F32", "shape": [4], "data_offsets": [0, 16]})";
  safetensors_case("empty file", "", "model.safetensors: truncated file");
  safetensors_case("header length past the end", std::string("\xFF\xFF\xFF\xFF\x00\x00\x00\x00{}", 10),
                   "model.safetensors: header length");
  safetensors_case("header not JSON", safetensors("{\"t\": {"), "model.safetensors: header is not valid JSON");
  safetensors_case("header a list", safetensors("[]"), "model.safetensors: header is not a JSON object");
  safetensors_case("deeply nested __metadata__", safetensors("{\"__metadata__\": {\"a\": " + deep_list(kDeep) + "}}"),
                   "model.safetensors: header nests JSON deeper than 128 levels");
  safetensors_case("deeply nested dtype", one_tensor("{\"dtype\": " + deep_list(kDeep) + ", \"shape\": [], \"data_offsets\": [0, 0]}"),
                   "model.safetensors: header nests JSON deeper");
  safetensors_case("__metadata__ value not a string", safetensors(R"({"__metadata__": {"about": [1, 2]}})"),
                   "__metadata__ value 'about' is not a string (found a list of 2 items)");
  safetensors_case("huge dtype", one_tensor("{\"dtype\": \"" + std::string(1 << 20, 'X') + "\", \"shape\": [4], \"data_offsets\": [0, 16]}"),
                   "tensor 't': unsupported dtype \"XXXX");
  safetensors_case("tensor name of a megabyte", safetensors("{\"" + std::string(1 << 20, 'n') + "\": {\"dtype\": \"F32\"}}"),
                   "tensor 'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn…': entry needs dtype");
  safetensors_case("overlap hidden by an empty tensor",
                   safetensors(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
                                   "z": {"dtype": "F32", "shape": [0], "data_offsets": [4, 4]},
                                   "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}})"),
                   "tensors 'a' and 'b' overlap");
  safetensors_case("offsets past the data", one_tensor(R"({"dtype": "F32", "shape": [8], "data_offsets": [0, 32]})"),
                   "lies outside the data section");
  safetensors_case("negative size", one_tensor(R"({"dtype": "F32", "shape": [-4], "data_offsets": [0, 16]})"),
                   "shape has a negative or non-integer size");
  safetensors_case("shape overflows", one_tensor(R"({"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 16]})"),
                   "shape overflows");
  safetensors_case("offsets not integers", one_tensor(R"({"dtype": "F32", "shape": [4], "data_offsets": ["0", 16]})"),
                   "data_offsets must be two non-negative integers");
  safetensors_case("entry without dtype", one_tensor(R"({"shape": [4], "data_offsets": [0, 16]})"),
                   "entry needs dtype, shape and data_offsets");
  safetensors_case("no model tensors", one_tensor(f32x4), "missing tensor 'model.embed_tokens.weight'");
  add("index nested too deep", "tiny-mistral", "model.safetensors.index.json",
      "{\"weight_map\": " + deep_list(kDeep) + "}", {"lens", "@DIR@", "--ids", "1"}, 1,
      "model.safetensors.index.json: line 1: JSON nested deeper");
  add("index shard outside the folder", "tiny-mistral", "model.safetensors.index.json",
      R"({"weight_map": {"lm_head.weight": "../model-00001-of-00002.safetensors"}})", {"lens", "@DIR@", "--ids", "1"}, 1,
      "must be a file in the same folder");
  add("all-NaN weights", "tiny-mistral", "model-00001-of-00002.safetensors", nan_shard(),
      {"lens", "@DIR@", "--ids", "1,2,3"}, 1, "gave a non-finite logit (NaN)");

  // ---- tokenizer.json, tokenizer.model, tokenizer_config.json ----
  tokenizer_case("normalizer Sequence nested 10^5 deep",
                 tokenizer_with_raw("normalizer", nested_sequence("normalizers", R"({"type": "Prepend", "prepend": "x"})", kDeep)),
                 "tokenizer.json: line 34: JSON nested deeper than 128 levels");
  tokenizer_case("decoder Sequence nested 10^5 deep",
                 tokenizer_with_raw("decoder", nested_sequence("decoders", R"({"type": "Fuse"})", kDeep)),
                 "tokenizer.json: line 105: JSON nested deeper");
  tokenizer_case("pre_tokenizer nested 10^5 deep", tokenizer_with_raw("pre_tokenizer", deep_list(kDeep)),
                 "tokenizer.json: line 50: JSON nested deeper");
  tokenizer_case("normalizers not a list", tokenizer_json([](auto& j) { j["normalizer"]["normalizers"] = 5; }),
                 "tokenizer.json: normalizer Sequence: \"normalizers\" is not a list");
  tokenizer_case("Prepend of a number", tokenizer_json([](auto& j) { j["normalizer"]["normalizers"][0]["prepend"] = 5; }),
                 "tokenizer.json: field 'normalizer': type must be string");
  tokenizer_case("added token id a string", tokenizer_json([](auto& j) { j["added_tokens"][0]["id"] = "x"; }),
                 "tokenizer.json: field 'added_tokens[0]'");
  tokenizer_case("added token id negative", tokenizer_json([](auto& j) { j["added_tokens"][1]["id"] = -1; }),
                 "tokenizer.json: field 'added_tokens[1]': id -1 is invalid");
  // Found by the fuzzer: a float id past int64 reached get<int64_t> (undefined behaviour); a fraction was cut.
  tokenizer_case("added token id a huge float", tokenizer_json([](auto& j) { j["added_tokens"][0]["id"] = 9.2e19; }),
                 "tokenizer.json: field 'added_tokens[0]': id 9.2e+19 is invalid");
  tokenizer_case("added token id a fraction", tokenizer_json([](auto& j) { j["added_tokens"][1]["id"] = 1.5; }),
                 "tokenizer.json: field 'added_tokens[1]': id 1.5 is invalid");
  tokenizer_case("vocab id a string", tokenizer_json([](auto& j) { j["model"]["vocab"]["<unk>"] = "0"; }),
                 "vocab entry \"<unk>\" has a non-integer id \"0\"");
  tokenizer_case("merge a number", tokenizer_json([](auto& j) { j["model"]["merges"][0] = 5; }),
                 "merge 0 5 is neither");
  tokenizer_case("huge Regex pattern", tokenizer_json([](auto& j) {
                   j["normalizer"]["normalizers"][1]["pattern"] = {{"Regex", std::string(1 << 20, 'r')}};
                 }),
                 "Replace with pattern an object of 1 member is not supported");
  tokenizer_case("no model", tokenizer_json([](auto& j) { j.erase("model"); }), "tokenizer.json: no \"model\" section");
  tokenizer_case("empty file", "", "tokenizer.json: not valid JSON");
  tokenizer_case("decoder Strip start a string", tokenizer_json([](auto& j) { j["decoder"]["decoders"][3]["start"] = "x"; }),
                 "tokenizer.json: field 'decoder'");
  add("tokenizer.model garbage", "tiny-mistral", "tokenizer.model", "garbage\x01\x02",
      {"tokenize", "@DIR@", "--text", "hi", "--backend", "sentencepiece"}, 1, "tokenizer.model");
  add("tokenizer.model empty", "tiny-mistral", "tokenizer.model", "",
      {"tokenize", "@DIR@", "--text", "hi", "--backend", "sentencepiece"}, 1, "tokenizer.model");
  add("tokenizer_config add_bos_token a string", "tiny-mistral", "tokenizer_config.json",
      R"({"add_bos_token": "yes"})", {"tokenize", "@DIR@", "--text", "hi"}, 1,
      "tokenizer_config.json: field 'add_bos_token': type must be boolean");
  add("tokenizer_config nested too deep", "tiny-mistral", "tokenizer_config.json",
      "{\"bos_token\": " + deep_list(kDeep) + "}", {"tokenize", "@DIR@", "--text", "hi"}, 1,
      "tokenizer_config.json: line 1: JSON nested deeper");

  // ---- datasets ----
  dataset_case("text NUL byte", "text", "t.txt", std::string("some text\n\0more", 15), "t.txt:2: a NUL byte");
  dataset_case("text bad UTF-8", "text", "t.txt", "fine line\nbad \xC3\x28 byte\n", "t.txt:2: not valid UTF-8");
  dataset_case("text empty", "text", "t.txt", "", "t.txt: no text window");
  dataset_case("text window 0", "text", "t.txt", "Some words here.", "option window=0 is out of range", "#window=0");
  const std::string tqa_header = "Type,Category,Question,Best Answer,Correct Answers,Incorrect Answers,Source\n";
  dataset_case("truthfulqa csv no header", "truthfulqa", "q.csv", "a,b,c\n1,2,3\n", "q.csv:1:");
  dataset_case("truthfulqa csv open quote", "truthfulqa", "q.csv", tqa_header + "A,B,\"Where?,x,y,z,s\n", "q.csv:2:");
  dataset_case("truthfulqa csv missing columns", "truthfulqa", "q.csv", tqa_header + "A,B,Where?\n", "q.csv:2:");
  dataset_case("truthfulqa csv binary", "truthfulqa", "q.csv", std::string("\x00\x01\x02\xFF", 4), "q.csv:1:");
  dataset_case("truthfulqa-mc nested 10^5 deep", "truthfulqa-mc", "mc.json", deep_list(kDeep),
               "mc.json:1: JSON nested deeper than 128 levels");
  dataset_case("truthfulqa-mc not a list", "truthfulqa-mc", "mc.json", R"({"question": "q"})", "mc.json:1: not a JSON list");
  dataset_case("truthfulqa-mc huge label", "truthfulqa-mc", "mc.json",
               R"([{"question": "q", "mc1_targets": {"a": ")" + std::string(1 << 20, 'L') +
                   R"("}, "mc2_targets": {"a": 1}}])",
               "the label of \"a\" is \"LLLL");
  dataset_case("truthfulqa-mc broken JSON", "truthfulqa-mc", "mc.json", "[\n{\"question\": \n", "mc.json:3: not valid JSON");
  dataset_case("triviaqa jsonl line nested 10^5 deep", "triviaqa", "t.jsonl",
               R"({"context": "q", "answer": "a", "aliases": ["a"]})" "\n" + deep_list(kDeep) + "\n",
               "t.jsonl:2: JSON nested deeper than 128 levels");
  dataset_case("triviaqa jsonl aliases not a list", "triviaqa", "t.jsonl",
               R"({"context": "q", "answer": "a", "aliases": "a"})" "\n", "t.jsonl:1: field 'aliases' is not a list");
  dataset_case("triviaqa jsonl garbage line", "triviaqa", "t.jsonl", "{\"context\": \n", "t.jsonl:1: not valid JSON");
  dataset_case("triviaqa original nested 10^5 deep", "triviaqa", "t.json", "{\n\"Data\": " + deep_list(kDeep) + "}",
               "t.json:2: JSON nested deeper");
  dataset_case("triviaqa original Data not a list", "triviaqa", "t.json", "{\n  \"Data\": 5\n}", "t.json:2: \"Data\" is not a list");
  dataset_case("coqa nested 10^5 deep", "coqa", "c.json", "{\"data\": " + deep_list(kDeep) + "}",
               "c.json:1: JSON nested deeper");
  dataset_case("coqa no data", "coqa", "c.json", R"({"version": 1})", "c.json:1: no \"data\" list");
  dataset_case("coqa story not an object", "coqa", "c.json", "{\"data\": [\n5\n]}", "c.json:2:");
  dataset_case("coqa binary", "coqa", "c.json", std::string("\xFF\xFE\x00\x01", 4), "c.json:1: not valid JSON");

  // ---- command-line arguments ----
  usage_case("--threshold nan", {"generate", "@MODEL@", "--ids", "1", "--threshold", "nan"}, "option --threshold must be a number");
  usage_case("--thresholds with nan", {"evaluate", "--model", "@MODEL@", "--dataset", "text:x", "--db", "@DIR@/w.sqlite",
                                       "--thresholds", "0.5,nan"}, "option --thresholds must be a number, got 'nan'");
  usage_case("--repetition-penalty inf", {"generate", "@MODEL@", "--ids", "1", "--repetition-penalty", "inf"},
             "option --repetition-penalty must be a positive finite number");
  usage_case("--limit past int64", {"record", "--model", "@MODEL@", "--dataset", "text:x", "--db", "@DIR@/w.sqlite",
                                    "--limit", "99999999999999999999"}, "option --limit must be an integer from 0");
  usage_case("--limit negative", {"record", "--model", "@MODEL@", "--dataset", "text:x", "--db", "@DIR@/w.sqlite",
                                  "--limit", "-1"}, "option --limit must be an integer from 0");
  usage_case("--limit empty", {"record", "--model", "@MODEL@", "--dataset", "text:x", "--db", "@DIR@/w.sqlite",
                               "--limit="}, "option --limit of 'record' needs a non-empty value");
  usage_case("--model empty", {"record", "--model", "", "--dataset", "text:x", "--db", "@DIR@/w.sqlite"},
             "option --model of 'record' needs a non-empty value");
  usage_case("--depths 1,,2 for generate", {"generate", "@MODEL@", "--ids", "1", "--threshold", "0.9", "--depths", "1,,2"},
             "depth list '1,,2'");
  usage_case("--depths 1,,2 for train-exits", {"train-exits", "--model", "@MODEL@", "--data", "text:x", "--kind", "linear",
                                               "--out", "@DIR@/c.safetensors", "--depths", "1,,2"},
             "option --depths must be a comma-separated list of integers");
  add("--depths 1,,2 for sweep", "none", "w.sqlite", "", {"sweep", "--db", "@FILE@", "--run", "1", "--json", "--depths", "1,,2"}, 2,
      "depth list '1,,2'");
  add("--tau nan for sweep", "none", "w.sqlite", "", {"sweep", "--db", "@FILE@", "--run", "1", "--json", "--tau", "nan"}, 2,
      "option --tau must be a comma-separated list of numbers");
  usage_case("--ids past int32", {"lens", "@MODEL@", "--ids", "1,99999999999"}, "option --ids must be a comma-separated list");
  usage_case("--top 0", {"lens", "@MODEL@", "--ids", "1", "--top", "0"}, "option --top must be an integer from 1");
  usage_case("--max-new huge", {"generate", "@MODEL@", "--ids", "1", "--max-new", "1e9"}, "option --max-new must be an integer");
  usage_case("--threads negative", {"record", "--model", "@MODEL@", "--dataset", "text:x", "--db", "@DIR@/w.sqlite",
                                    "--threads", "-5"}, "option --threads must be an integer from 0");
  usage_case("--run 0", {"record", "--resume", "0", "--db", "@DIR@/w.sqlite"}, "option --resume must be an integer from 1");
  usage_case("value missing at the end", {"generate", "@MODEL@", "--ids"}, "option --ids of 'generate' needs a value");
  add("dataset spec without a path", "none", "", "", {"record", "--model", "@MODEL@", "--dataset", "text:", "--db",
      "@DIR@/w.sqlite"}, 1, "dataset spec 'text:': no path");
  add("dataset spec of an unknown kind", "none", "", "", {"record", "--model", "@MODEL@", "--dataset", "squad:x.json",
      "--db", "@DIR@/w.sqlite"}, 1, "unknown kind 'squad'");
}

void TestHostileInputs::hostile_input() {
  REQUIRE_SHARED();
  QFETCH(QString, base);
  QFETCH(QString, file);
  QFETCH(QByteArray, bytes);
  QFETCH(QStringList, args);
  QFETCH(int, code);
  QFETCH(QString, expected);
  const fs::path dir = case_folder(base, file, bytes);
  const QString input = file.isEmpty() ? QString() : QString::fromStdString((dir / file.toStdString()).string());
  args.replaceInStrings("@DIR@", QString::fromStdString(dir.string()));
  args.replaceInStrings("@FILE@", input);
  args.replaceInStrings("@MODEL@", QString::fromStdString(shared_model("tiny-mistral").string()));

  const CliResult r = testing_support::run_dynamax(args, kHangGuardMs);
  QVERIFY2(r.code != -1, "the command hung (killed by the hang guard)");
  QVERIFY2(r.code != -2, qPrintable("the command died of a signal; stderr: " + r.err.left(2000)));
  QCOMPARE(r.code, code);
  QVERIFY2(r.err.contains(expected), qPrintable("expected '" + expected + "' in: " + r.err.left(2000)));
  // One message: "dynamax <command>: ..." (a usage error adds the pointer to --help), short whatever the input.
  QVERIFY2(r.err.startsWith("dynamax "), qPrintable(r.err.left(2000)));
  QVERIFY2(r.err.trimmed().count('\n') <= (code == 2 ? 1 : 0), qPrintable("more than one message: " + r.err.left(2000)));
  QVERIFY2(r.err.size() < 1000, qPrintable("the message quotes too much: " + r.err.left(300)));
  if (!file.isEmpty()) QVERIFY2(testing_support::read_file(input.toStdString()) == bytes.toStdString(), "the input changed");
}

// on_error=skip goes on past a malformed record, and says so: one warning on stderr per record skipped.
void TestHostileInputs::skipped_records_are_reported() {
  REQUIRE_SHARED();
  const std::string good = R"({"context": "Q: Which ocean is the largest?", "answer": "Pacific", "aliases": ["Pacific"]})";
  const fs::path dir = case_folder("none", "t.jsonl", QByteArray::fromStdString(good + "\n{broken\n" + good + "\n"));
  const QString file = QString::fromStdString((dir / "t.jsonl").string());
  const CliResult r = testing_support::run_dynamax(
      {"record", "--model", QString::fromStdString(shared_model("tiny-mistral").string()), "--dataset",
       "triviaqa:" + file + "#on_error=skip,shots=0", "--db", QString::fromStdString((dir / "w.sqlite").string())},
      kHangGuardMs);
  QCOMPARE(r.code, 0);
  QVERIFY2(r.err.contains("dynamax record: warning: " + file + ":2: not valid JSON"), qPrintable(r.err));
  QCOMPARE(r.err.count("warning:"), 1);
  QCOMPARE(r.out.trimmed(), QString("1"));  // the run id
}

QTEST_GUILESS_MAIN(TestHostileInputs)
#include "test_hostile_inputs.moc"
