// Tokenizer::decode against transformers' tokenizer.decode(ids, skip_special_tokens=True): special tokens dropped,
// then clean_up_tokenization where tokenizer_config.json sets clean_up_tokenization_spaces. The expected texts are
// worked out by hand from transformers' source (tokenization_utils_base.py clean_up_tokenization, the fast
// tokenizers' _decode) and `tokenizers`' decode, which skips added tokens marked special.
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/tokenize/clean_up_tokenization.h"
#include "core/tokenize/tokenizer.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using dynamax::Tokenizer;
using nlohmann::json;

namespace {

fs::path family_dir(const char* family) { return testing_support::test_data_dir() / "tokenizers" / family; }

std::vector<int32_t> concat(std::initializer_list<std::vector<int32_t>> parts) {
  std::vector<int32_t> ids;
  for (const auto& p : parts) ids.insert(ids.end(), p.begin(), p.end());
  return ids;
}

constexpr int32_t kLlama3Bos = 1000, kLlama3EndHeader = 1003, kLlama3Eot = 1004;  // tests/data/tokenizers/llama3

// A model folder with llama3's tokenizer.json (edited by `edit`) and the given tokenizer_config.json text.
fs::path llama3_variant(const QTemporaryDir& tmp, const std::string& config, void (*edit)(json&) = nullptr) {
  const fs::path dir = fs::path(tmp.path().toStdString()) / "model";
  json root = json::parse(testing_support::read_file(family_dir("llama3") / "tokenizer.json"));
  if (edit) edit(root);
  testing_support::write_file(dir / "tokenizer.json", root.dump());
  testing_support::write_file(dir / "tokenizer_config.json", config);
  return dir;
}

}  // namespace

class TestTransformersDecode : public QObject {
  Q_OBJECT
 private slots:
  void cleanUpTable_data();
  void cleanUpTable();
  void flagFromEachFamily_data();
  void flagFromEachFamily();
  void flagAbsentOrNullIsFalse_data();
  void flagAbsentOrNullIsFalse();
  void flagNotABooleanIsRefused();
  void llama3SkipsSpecialsThenCleansUp();
  void addedTokenNotSpecialIsKept();
  void sentencePieceSkipsControlPieces();
};

// Each input through llama3's tokenizer (byte-level: its ids decode back to the very text): decode with the flag
// set gives transformers' clean-up of it, without the flag the text itself, and clean_up_tokenization alone the same.
void TestTransformersDecode::cleanUpTable_data() {
  QTest::addColumn<QByteArray>("text");
  QTest::addColumn<QByteArray>("cleaned");
  QTest::newRow("comma and bang") << QByteArray("Hello , world !") << QByteArray("Hello, world!");
  QTest::newRow("n't and period") << QByteArray("I do n't know .") << QByteArray("I don't know.");
  QTest::newRow("'s") << QByteArray("it 's") << QByteArray("it's");
  QTest::newRow("lone quote") << QByteArray(" ' ") << QByteArray("'");
  QTest::newRow("question mark") << QByteArray("Is it ? Yes , it is !") << QByteArray("Is it? Yes, it is!");
  QTest::newRow("'m 're 've") << QByteArray("I 'm sure we 're fine and you 've won")
                              << QByteArray("I'm sure we're fine and you've won");
  QTest::newRow("ca n't") << QByteArray("ca n't , did n't") << QByteArray("can't, didn't");
  QTest::newRow("one pass: two spaces keep one") << QByteArray("a  .") << QByteArray("a .");
  QTest::newRow("period before comma") << QByteArray("a , .") << QByteArray("a,.");
  QTest::newRow("quote before 's") << QByteArray("x ' 's") << QByteArray("x''s");
  QTest::newRow("'ll and 'd are kept") << QByteArray("I 'll go , I 'd say") << QByteArray("I 'll go, I 'd say");
  QTest::newRow("'t is kept") << QByteArray("don 't") << QByteArray("don 't");
  QTest::newRow("only a space") << QByteArray("U.S . A") << QByteArray("U.S. A");
  QTest::newRow("newline is not a space") << QByteArray("line\n. next") << QByteArray("line\n. next");
  QTest::newRow("no-break space is not a space") << QByteArray("a\u00a0.") << QByteArray("a\u00a0.");
  QTest::newRow("after a multi-byte character") << QByteArray("caf\u00e9 .") << QByteArray("caf\u00e9.");
  QTest::newRow("nothing to clean") << QByteArray("Paris") << QByteArray("Paris");
}

void TestTransformersDecode::cleanUpTable() {
  QFETCH(QByteArray, text);
  QFETCH(QByteArray, cleaned);
  auto tok = dynamax::load_tokenizer(family_dir("llama3"));
  const std::vector<int32_t> ids = tok->encode(text.toStdString());
  QCOMPARE(QByteArray::fromStdString(tok->decode_raw(ids)), text);
  QVERIFY(tok->clean_up_tokenization_spaces);
  QCOMPARE(QByteArray::fromStdString(tok->decode(ids)), cleaned);
  tok->clean_up_tokenization_spaces = false;
  QCOMPARE(QByteArray::fromStdString(tok->decode(ids)), text);
  QCOMPARE(QByteArray::fromStdString(dynamax::clean_up_tokenization(text.toStdString())), cleaned);
}

// What each family's tokenizer_config.json says.
void TestTransformersDecode::flagFromEachFamily_data() {
  QTest::addColumn<QString>("family");
  QTest::addColumn<bool>("clean_up");
  QTest::newRow("llama3") << "llama3" << true;
  QTest::newRow("gpt-neox") << "gpt-neox" << true;
  QTest::newRow("falcon") << "falcon" << true;
  QTest::newRow("qwen2") << "qwen2" << false;
  QTest::newRow("mistral-v3") << "mistral-v3" << false;
}

void TestTransformersDecode::flagFromEachFamily() {
  QFETCH(QString, family);
  QFETCH(bool, clean_up);
  auto tok = dynamax::load_tokenizer(family_dir(family.toStdString().c_str()));
  QCOMPARE(tok->clean_up_tokenization_spaces, clean_up);
  const std::vector<int32_t> ids = tok->encode("Yes , it is .");
  QCOMPARE(QString::fromStdString(tok->decode(ids)), clean_up ? QString("Yes, it is.") : QString("Yes , it is ."));
}

// transformers 5 (and 4.45 on) reads an absent key, or null, as false.
void TestTransformersDecode::flagAbsentOrNullIsFalse_data() {
  QTest::addColumn<QByteArray>("config");
  QTest::newRow("no key") << QByteArray(R"({"bos_token": "<|begin_of_text|>"})");
  QTest::newRow("null") << QByteArray(R"({"clean_up_tokenization_spaces": null})");
  QTest::newRow("false") << QByteArray(R"({"clean_up_tokenization_spaces": false})");
}

void TestTransformersDecode::flagAbsentOrNullIsFalse() {
  QFETCH(QByteArray, config);
  QTemporaryDir tmp;
  auto tok = dynamax::load_tokenizer(llama3_variant(tmp, config.toStdString()));
  QVERIFY(!tok->clean_up_tokenization_spaces);
  QCOMPARE(QString::fromStdString(tok->decode(tok->encode("it 's ."))), QString("it 's ."));
}

void TestTransformersDecode::flagNotABooleanIsRefused() {
  QTemporaryDir tmp;
  const fs::path dir = llama3_variant(tmp, R"({"clean_up_tokenization_spaces": "yes"})");
  try {
    dynamax::load_tokenizer(dir);
    QFAIL("a string clean_up_tokenization_spaces was accepted");
  } catch (const dynamax::Error& e) {
    const QString message = e.what();
    QVERIFY2(message.contains("tokenizer_config.json") && message.contains("'clean_up_tokenization_spaces'"),
             qPrintable(message));
  }
}

// Special tokens go before the clean-up, which then sees "Paris" and " ." side by side.
void TestTransformersDecode::llama3SkipsSpecialsThenCleansUp() {
  auto tok = dynamax::load_tokenizer(family_dir("llama3"));
  QCOMPARE(tok->eos_id, 1001);
  const std::vector<int32_t> ids =
      concat({{kLlama3Bos}, tok->encode("The answer is Paris"), {kLlama3Eot}, tok->encode(" . It 's true , is n't it ?"),
              {kLlama3EndHeader, tok->eos_id}});
  QCOMPARE(QString::fromStdString(tok->decode(ids)), QString("The answer is Paris. It's true, isn't it?"));
  QCOMPARE(QString::fromStdString(tok->decode_raw(ids)),
           QString("<|begin_of_text|>The answer is Paris<|eot_id|> . It 's true , is n't it ?<|end_header_id|>"
                   "<|end_of_text|>"));
  for (int32_t id : {kLlama3Bos, kLlama3EndHeader, kLlama3Eot}) QVERIFY(tok->is_special(id));
  QVERIFY(!tok->is_special(tok->encode("Paris").front()));
  QVERIFY(!tok->is_special(-1));  // no piece: left out like a padded row, not special
}

// `tokenizers` skips only the added tokens marked special.
void TestTransformersDecode::addedTokenNotSpecialIsKept() {
  QTemporaryDir tmp;
  auto tok = dynamax::load_tokenizer(llama3_variant(tmp, R"({"clean_up_tokenization_spaces": true})", [](json& root) {
    for (json& t : root["added_tokens"])
      if (t["content"] == "<|eot_id|>") t["special"] = false;
  }));
  const std::vector<int32_t> ids = concat({{kLlama3Bos}, tok->encode("Done ."), {kLlama3Eot}});
  QCOMPARE(QString::fromStdString(tok->decode(ids)), QString("Done.<|eot_id|>"));
}

// transformers' Llama tokenizers count <s>, </s> and <unk> special: the sentencepiece backend drops its control
// and unknown pieces.
void TestTransformersDecode::sentencePieceSkipsControlPieces() {
  REQUIRE_SHARED();
  auto tok = dynamax::load_tokenizer(testing_support::shared_dir() / "fixtures" / "tokenizers" / "tiny",
                                     dynamax::TokenizerBackend::SentencePiece);
  const std::vector<int32_t> text = tok->encode("Hello world");
  QVERIFY(tok->is_special(tok->bos_id) && tok->is_special(tok->eos_id));
  for (int32_t id : text) QVERIFY(!tok->is_special(id));
  QCOMPARE(tok->decode(concat({{tok->bos_id}, text, {tok->eos_id}})), tok->decode_raw(text));
}

QTEST_GUILESS_MAIN(TestTransformersDecode)
#include "test_transformers_decode.moc"
