// Both tokenizer backends against the reference encodings in shared/fixtures/tokenizers/references
// (sentencepiece and Hugging Face `tokenizers` outputs), and every malformed input against its error message.
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/common/error.h"
#include "core/tokenize/segment_normalizer.h"
#include "core/tokenize/tokenizer.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using dynamax::Tokenizer;
using dynamax::TokenizerBackend;
using nlohmann::json;

namespace {

fs::path tokenizer_fixtures() { return testing_support::shared_dir() / "fixtures" / "tokenizers"; }

std::vector<json> read_reference(const QString& file) {
  std::istringstream lines(testing_support::read_file(tokenizer_fixtures() / "references" / file.toStdString()));
  std::vector<json> rows;
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) rows.push_back(json::parse(line));
  return rows;
}

std::string show(const std::vector<int32_t>& ids) {
  std::string text = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) text += (i ? ", " : "") + std::to_string(ids[i]);
  return text + "]";
}

std::string excerpt(const std::string& text) { return json(text.substr(0, 80)).dump(); }

std::string describe(std::size_t line, const std::string& text, const std::string& expected, const std::string& got) {
  return "line " + std::to_string(line + 1) + " " + excerpt(text) + ": expected " + expected + ", got " + got;
}

// One reference file checked with one backend: the id column and the decoded column that backend must match.
void add_reference_rows() {
  QTest::addColumn<QString>("reference");
  QTest::addColumn<QString>("model_dir");
  QTest::addColumn<QString>("backend");
  QTest::addColumn<QString>("prefix");  // "sp" or "hf": the columns <prefix>_ids and <prefix>_decoded
  QTest::newRow("tiny sentencepiece") << "tiny.jsonl" << "tiny" << "sentencepiece" << "sp";
  QTest::newRow("tiny hf") << "tiny.jsonl" << "tiny" << "hf" << "hf";
  QTest::newRow("mistral-7b-v0.1 sentencepiece") << "mistral_v01.jsonl" << "mistral-7b-v0.1" << "sentencepiece" << "sp";
  QTest::newRow("mistral-7b-v0.1 hf") << "mistral_v01.jsonl" << "mistral-7b-v0.1" << "hf" << "hf";
  QTest::newRow("codestral-v3 sentencepiece") << "codestral_v3.jsonl" << "codestral-v3" << "sentencepiece" << "sp";
}

}  // namespace

class TestTokenizer : public QObject {
  Q_OBJECT

 private slots:
  void encodeMatchesReference_data() { add_reference_rows(); }
  void encodeMatchesReference();
  void decodeGivesBackReferenceText_data() { add_reference_rows(); }
  void decodeGivesBackReferenceText();
  void mergesWrittenAsPairsEncodeTheSame();
  void segmentWordsFollowTokenizers_data();
  void segmentWordsFollowTokenizers();
  void piecesMatchReferenceTokens_data();
  void piecesMatchReferenceTokens();
  void specialTokenSettings_data();
  void specialTokenSettings();
  void byteFallbackDecoding_data();
  void byteFallbackDecoding();
  void idOutsideVocabulary_data();
  void idOutsideVocabulary();
  void badInputThrowsNamedError_data();
  void badInputThrowsNamedError();
  void backendNamesParse();
  void manyAddedTokensLoad();

 private:
  const Tokenizer& tokenizer(const QString& model_dir, const QString& backend);

  std::map<std::pair<QString, QString>, std::unique_ptr<Tokenizer>> loaded_;
};

const Tokenizer& TestTokenizer::tokenizer(const QString& model_dir, const QString& backend) {
  auto& slot = loaded_[{model_dir, backend}];
  if (!slot)
    slot = dynamax::load_tokenizer(tokenizer_fixtures() / model_dir.toStdString(),
                                   dynamax::parse_tokenizer_backend(backend.toStdString()));
  return *slot;
}

void TestTokenizer::encodeMatchesReference() {
  REQUIRE_SHARED();
  QFETCH(QString, reference);
  QFETCH(QString, model_dir);
  QFETCH(QString, backend);
  QFETCH(QString, prefix);
  const Tokenizer& tok = tokenizer(model_dir, backend);
  const std::vector<json> rows = read_reference(reference);
  QVERIFY(!rows.empty());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string text = rows[i].at("text");
    const auto expected = rows[i].at(prefix.toStdString() + "_ids").get<std::vector<int32_t>>();
    const std::vector<int32_t> got = tok.encode(text);
    if (got != expected) QFAIL(describe(i, text, show(expected), show(got)).c_str());
  }
  qInfo("%s with %s: %zu strings encoded exactly", qPrintable(reference), qPrintable(backend), rows.size());
}

void TestTokenizer::decodeGivesBackReferenceText() {
  REQUIRE_SHARED();
  QFETCH(QString, reference);
  QFETCH(QString, model_dir);
  QFETCH(QString, backend);
  QFETCH(QString, prefix);
  const Tokenizer& tok = tokenizer(model_dir, backend);
  const std::vector<json> rows = read_reference(reference);
  QVERIFY(!rows.empty());
  std::size_t identical_to_text = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string text = rows[i].at("text");
    const std::string expected = rows[i].at(prefix.toStdString() + "_decoded");
    const std::string got = tok.decode_raw(tok.encode(text));
    if (got != expected) QFAIL(describe(i, text, excerpt(expected), excerpt(got)).c_str());
    identical_to_text += got == text;
  }
  qInfo("%s with %s: %zu strings round-tripped as the reference decodes them (%zu give back the text exactly)",
        qPrintable(reference), qPrintable(backend), rows.size(), identical_to_text);
}

// Newer tokenizer.json files write merges as ["a", "b"] pairs instead of "a b" strings.
void TestTokenizer::mergesWrittenAsPairsEncodeTheSame() {
  REQUIRE_SHARED();
  json root = json::parse(testing_support::read_file(tokenizer_fixtures() / "tiny" / "tokenizer.json"));
  for (json& merge : root["model"]["merges"]) {
    const std::string text = merge;
    const std::size_t space = text.find(' ');
    merge = json::array({text.substr(0, space), text.substr(space + 1)});
  }
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const fs::path folder = dir.path().toStdString();
  testing_support::write_file(folder / "tokenizer.json", root.dump());
  const auto tok = dynamax::load_tokenizer(folder);
  const std::vector<json> rows = read_reference("tiny.jsonl");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string text = rows[i].at("text");
    const auto expected = rows[i].at("hf_ids").get<std::vector<int32_t>>();
    const std::vector<int32_t> got = tok->encode(text);
    if (got != expected) QFAIL(describe(i, text, show(expected), show(got)).c_str());
  }
}

void TestTokenizer::segmentWordsFollowTokenizers_data() {
  using Prepend = dynamax::MetaspaceRule::Prepend;
  QTest::addColumn<int>("prepend");  // -1: the Prepend + Replace normalizers of the tiny tokenizer, no Metaspace
  QTest::addColumn<bool>("split");
  QTest::addColumn<QString>("segment");
  QTest::addColumn<bool>("starts_text");
  QTest::addColumn<QStringList>("words");
  const int always = static_cast<int>(Prepend::Always), first = static_cast<int>(Prepend::First),
            never = static_cast<int>(Prepend::Never);
  // The first rows are the cases of the Metaspace tests in Hugging Face `tokenizers`.
  QTest::newRow("always, split") << always << true << "Hey friend!" << true << QStringList{"▁Hey", "▁friend!"};
  QTest::newRow("always, split, repeated spaces")
      << always << true << "Hey   friend!" << true << QStringList{"▁Hey", "▁", "▁", "▁friend!"};
  QTest::newRow("first, no split, at the start") << first << false << " Hey " << true << QStringList{"▁Hey▁"};
  QTest::newRow("first, no split, after a token") << first << false << "how" << false << QStringList{"how"};
  QTest::newRow("first, no split, leading space kept once")
      << first << false << "  a" << true << QStringList{"▁▁a"};
  QTest::newRow("never, split") << never << true << "a b" << true << QStringList{"a", "▁b"};
  QTest::newRow("always, split, empty") << always << true << "" << true << QStringList{};
  QTest::newRow("normalizers, leading space") << -1 << false << " a" << false << QStringList{"▁▁a"};
  QTest::newRow("normalizers, empty") << -1 << false << "" << true << QStringList{};
}

void TestTokenizer::segmentWordsFollowTokenizers() {
  QFETCH(int, prepend);
  QFETCH(bool, split);
  QFETCH(QString, segment);
  QFETCH(bool, starts_text);
  QFETCH(QStringList, words);
  std::vector<dynamax::NormalizerStep> steps;
  dynamax::PreTokenizerSteps pre_tokenizers;
  if (prepend < 0) {
    steps = {{dynamax::NormalizerStep::Kind::Prepend, "", "\u2581"},
             {dynamax::NormalizerStep::Kind::Replace, " ", "\u2581"}};
  } else {
    pre_tokenizers.push_back(dynamax::make_metaspace(
        dynamax::MetaspaceRule{"\u2581", static_cast<dynamax::MetaspaceRule::Prepend>(prepend), split}));
  }
  const dynamax::SegmentNormalizer normalizer(std::move(steps), std::move(pre_tokenizers));
  QStringList got;
  for (const std::string& word : normalizer.words(segment.toStdString(), starts_text))
    got << QString::fromStdString(word);
  QCOMPARE(got, words);
}

void TestTokenizer::piecesMatchReferenceTokens_data() {
  QTest::addColumn<QString>("reference");
  QTest::addColumn<QString>("model_dir");
  QTest::newRow("tiny") << "tiny.jsonl" << "tiny";
  QTest::newRow("mistral-7b-v0.1") << "mistral_v01.jsonl" << "mistral-7b-v0.1";
}

// hf_tokens are the vocabulary pieces of hf_ids: both backends must name every id the same way.
void TestTokenizer::piecesMatchReferenceTokens() {
  REQUIRE_SHARED();
  QFETCH(QString, reference);
  QFETCH(QString, model_dir);
  std::size_t checked = 0;
  for (const QString backend : {"hf", "sentencepiece"}) {
    const Tokenizer& tok = tokenizer(model_dir, backend);
    for (const json& row : read_reference(reference)) {
      const auto ids = row.at("hf_ids").get<std::vector<int32_t>>();
      const auto tokens = row.at("hf_tokens").get<std::vector<std::string>>();
      QCOMPARE(ids.size(), tokens.size());
      for (std::size_t k = 0; k < ids.size(); ++k, ++checked)
        QCOMPARE(QString::fromStdString(tok.piece(ids[k])), QString::fromStdString(tokens[k]));
    }
  }
  QVERIFY(checked > 0);
}

void TestTokenizer::specialTokenSettings_data() {
  QTest::addColumn<QString>("model_dir");
  QTest::addColumn<QString>("backend");
  QTest::addColumn<QString>("backend_name");
  QTest::addColumn<int>("vocab_size");
  QTest::newRow("tiny auto") << "tiny" << "auto" << "sentencepiece" << 8192;
  QTest::newRow("tiny hf") << "tiny" << "hf" << "hf" << 8192;
  QTest::newRow("mistral auto") << "mistral-7b-v0.1" << "auto" << "sentencepiece" << 32000;
  QTest::newRow("mistral hf") << "mistral-7b-v0.1" << "hf" << "hf" << 32000;
  QTest::newRow("codestral auto") << "codestral-v3" << "auto" << "sentencepiece" << 32768;
}

void TestTokenizer::specialTokenSettings() {
  REQUIRE_SHARED();
  QFETCH(QString, model_dir);
  QFETCH(QString, backend);
  QFETCH(QString, backend_name);
  QFETCH(int, vocab_size);
  const auto tok = dynamax::load_tokenizer(tokenizer_fixtures() / model_dir.toStdString(),
                                           dynamax::parse_tokenizer_backend(backend.toStdString()));
  QCOMPARE(QString::fromStdString(tok->backend_name()), backend_name);
  QCOMPARE(tok->vocab_size(), vocab_size);
  QCOMPARE(tok->bos_id, 1);
  QCOMPARE(tok->eos_id, 2);
  QVERIFY(tok->add_bos);
  QCOMPARE(QString::fromStdString(tok->piece(tok->bos_id)), QString("<s>"));
  QCOMPARE(QString::fromStdString(tok->piece(tok->eos_id)), QString("</s>"));
}

void TestTokenizer::byteFallbackDecoding_data() {
  QTest::addColumn<QString>("backend");
  QTest::addColumn<QStringList>("pieces");
  QTest::addColumn<QString>("expected");
  // 0xC3 0xA9 is "é"; a lone 0xC3 is not UTF-8. `tokenizers` turns each byte of an invalid run into U+FFFD.
  QTest::newRow("hf valid run") << "hf" << QStringList{"▁C", "af", "<0xC3>", "<0xA9>"} << "Café";
  QTest::newRow("hf invalid run") << "hf" << QStringList{"▁a", "<0xC3>", "<0x41>", "▁b"} << "a\uFFFD\uFFFD b";
  QTest::newRow("hf special token kept") << "hf" << QStringList{"<s>", "▁a", "</s>"} << "<s> a</s>";
  QTest::newRow("sentencepiece valid run")
      << "sentencepiece" << QStringList{"▁C", "af", "<0xC3>", "<0xA9>"} << "Café";
}

void TestTokenizer::byteFallbackDecoding() {
  REQUIRE_SHARED();
  QFETCH(QString, backend);
  QFETCH(QStringList, pieces);
  QFETCH(QString, expected);
  const Tokenizer& tok = tokenizer("mistral-7b-v0.1", backend);
  std::vector<int32_t> ids;
  for (const QString& piece : pieces) {
    // Find each piece's id through the tokenizer itself (pieces are single vocabulary entries).
    int32_t found = -1;
    for (int32_t id = 0; id < tok.vocab_size() && found < 0; ++id)
      if (tok.piece(id) == piece.toStdString()) found = id;
    QVERIFY2(found >= 0, qPrintable("piece not in the vocabulary: " + piece));
    ids.push_back(found);
  }
  QCOMPARE(QString::fromStdString(tok.decode_raw(ids)), expected);
}

void TestTokenizer::idOutsideVocabulary_data() {
  QTest::addColumn<QString>("backend");
  QTest::addColumn<int>("id");
  for (const char* backend : {"hf", "sentencepiece"}) {
    QTest::addRow("%s negative", backend) << backend << -1;
    QTest::addRow("%s past the end", backend) << backend << 8192;
  }
}

// sentencepiece refuses such an id; `tokenizers` leaves it out of the text (a model's padded rows), and so does
// the tokenizer.json backend. A piece is asked of a known id only, so both refuse that.
void TestTokenizer::idOutsideVocabulary() {
  REQUIRE_SHARED();
  QFETCH(QString, backend);
  QFETCH(int, id);
  const Tokenizer& tok = tokenizer("tiny", backend);
  const std::vector<int32_t> ids{1, 330, id};
  if (backend == "hf") {
    const std::vector<int32_t> known{1, 330};
    QCOMPARE(tok.decode_raw(ids), tok.decode_raw(known));
    QCOMPARE(tok.decode(ids), tok.decode(known));
    QVERIFY(!tok.is_special(id));
  } else {
    QVERIFY_THROWS_EXCEPTION(dynamax::Error, tok.decode(ids));
    QVERIFY_THROWS_EXCEPTION(dynamax::Error, tok.decode_raw(ids));
  }
  QVERIFY_THROWS_EXCEPTION(dynamax::Error, tok.piece(id));
}

namespace {

// How one bad model folder is built from the tiny fixtures.
enum class BadCase {
  JsonNotJson,
  JsonMergeUnknownPiece,
  JsonMergeMalformed,
  JsonWordPiece,
  JsonNoVocab,
  JsonNoMerges,
  JsonUnsupportedNormalizer,
  ModelEmpty,
  ModelGarbage,
  ModelTruncated,
  NeitherFile,
  HfWithoutJson,
  ConfigNotJson,
};

void build_bad_folder(BadCase bad, const fs::path& dir) {
  using testing_support::read_file;
  using testing_support::write_file;
  const fs::path tiny = tokenizer_fixtures() / "tiny";
  auto tiny_json = [&] { return json::parse(read_file(tiny / "tokenizer.json")); };
  auto write_json = [&](const json& root) { write_file(dir / "tokenizer.json", root.dump()); };
  switch (bad) {
    case BadCase::JsonNotJson:
      write_file(dir / "tokenizer.json", "{\"model\": {\"type\": \"BPE\", \"vocab\": {");
      break;
    case BadCase::JsonMergeUnknownPiece: {
      json root = tiny_json();
      root["model"]["merges"].push_back("\u2581t zzqq");
      write_json(root);
      break;
    }
    case BadCase::JsonMergeMalformed: {
      json root = tiny_json();
      root["model"]["merges"].push_back(42);
      write_json(root);
      break;
    }
    case BadCase::JsonWordPiece: {
      json root = tiny_json();
      root["model"]["type"] = "WordPiece";
      write_json(root);
      break;
    }
    case BadCase::JsonNoVocab: {
      json root = tiny_json();
      root["model"].erase("vocab");
      write_json(root);
      break;
    }
    case BadCase::JsonNoMerges: {
      json root = tiny_json();
      root["model"].erase("merges");
      write_json(root);
      break;
    }
    case BadCase::JsonUnsupportedNormalizer: {
      json root = tiny_json();
      root["normalizer"] = {{"type", "BertNormalizer"}};
      write_json(root);
      break;
    }
    case BadCase::ModelEmpty:
      write_file(dir / "tokenizer.model", "");
      break;
    case BadCase::ModelGarbage:
      write_file(dir / "tokenizer.model", "\xff\xfe garbage, not a protobuf \x01\x02");
      break;
    case BadCase::ModelTruncated: {
      const std::string bytes = read_file(tiny / "tokenizer.model");
      write_file(dir / "tokenizer.model", bytes.substr(0, bytes.size() / 2));
      break;
    }
    case BadCase::NeitherFile:
      write_file(dir / "tokenizer_config.json", read_file(tiny / "tokenizer_config.json"));
      break;
    case BadCase::HfWithoutJson:
      write_file(dir / "tokenizer.model", read_file(tiny / "tokenizer.model"));
      break;
    case BadCase::ConfigNotJson:
      write_file(dir / "tokenizer.json", read_file(tiny / "tokenizer.json"));
      write_file(dir / "tokenizer_config.json", "add_bos_token = true");
      break;
  }
}

}  // namespace

void TestTokenizer::badInputThrowsNamedError_data() {
  QTest::addColumn<int>("bad_case");
  QTest::addColumn<QString>("backend");
  QTest::addColumn<QStringList>("message_parts");  // the first one is the file's name
  auto row = [](const char* name, BadCase bad, const char* backend, QStringList parts) {
    QTest::newRow(name) << static_cast<int>(bad) << backend << parts;
  };
  row("tokenizer.json not JSON", BadCase::JsonNotJson, "auto", {"tokenizer.json", "not valid JSON"});
  row("merge naming an unknown piece", BadCase::JsonMergeUnknownPiece, "hf",
      {"tokenizer.json", "merge 13250", "unknown piece \"zzqq\""});
  row("merge neither string nor pair", BadCase::JsonMergeMalformed, "hf", {"tokenizer.json", "merge 13250", "neither"});
  row("model type WordPiece", BadCase::JsonWordPiece, "hf", {"tokenizer.json", "\"WordPiece\"", "only BPE"});
  row("no vocab", BadCase::JsonNoVocab, "hf", {"tokenizer.json", "no \"vocab\""});
  row("no merges", BadCase::JsonNoMerges, "hf", {"tokenizer.json", "no \"merges\""});
  row("unsupported normalizer", BadCase::JsonUnsupportedNormalizer, "hf", {"tokenizer.json", "BertNormalizer", "not supported", "NFKC"});
  row("empty tokenizer.model", BadCase::ModelEmpty, "auto", {"tokenizer.model", "empty file"});
  row("garbage tokenizer.model", BadCase::ModelGarbage, "auto", {"tokenizer.model", "not a valid sentencepiece model"});
  row("truncated tokenizer.model", BadCase::ModelTruncated, "sentencepiece",
      {"tokenizer.model", "not a valid sentencepiece model"});
  row("folder with neither file", BadCase::NeitherFile, "auto", {"tokenizer.model", "tokenizer.json", "no tokenizer"});
  row("hf asked, only tokenizer.model", BadCase::HfWithoutJson, "hf", {"tokenizer.json", "file not found"});
  row("tokenizer_config.json not JSON", BadCase::ConfigNotJson, "auto", {"tokenizer_config.json", "not valid JSON"});
}

void TestTokenizer::badInputThrowsNamedError() {
  REQUIRE_SHARED();
  QFETCH(int, bad_case);
  QFETCH(QString, backend);
  QFETCH(QStringList, message_parts);
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const fs::path folder = fs::path(dir.path().toStdString()) / "model";
  fs::create_directories(folder);
  build_bad_folder(static_cast<BadCase>(bad_case), folder);

  QString message;
  try {
    dynamax::load_tokenizer(folder, dynamax::parse_tokenizer_backend(backend.toStdString()));
  } catch (const dynamax::Error& e) {
    message = QString::fromStdString(e.what());
  } catch (const std::exception& e) {
    QFAIL(qPrintable("expected dynamax::Error, got another exception: " + QString(e.what())));
  }
  QVERIFY2(!message.isEmpty(), "no error was thrown");
  QVERIFY2(message.contains(QString::fromStdString(folder.string())), qPrintable("names no path: " + message));
  for (const QString& part : message_parts)
    QVERIFY2(message.contains(part), qPrintable("\"" + part + "\" missing from: " + message));
}

void TestTokenizer::backendNamesParse() {
  QCOMPARE(dynamax::parse_tokenizer_backend("auto"), TokenizerBackend::Auto);
  QCOMPARE(dynamax::parse_tokenizer_backend("sentencepiece"), TokenizerBackend::SentencePiece);
  QCOMPARE(dynamax::parse_tokenizer_backend("hf"), TokenizerBackend::HuggingFace);
  QVERIFY_THROWS_EXCEPTION(dynamax::Error, dynamax::parse_tokenizer_backend("HF"));
  QVERIFY_THROWS_EXCEPTION(dynamax::Error, dynamax::parse_tokenizer_backend(""));
}

// 50,000 added tokens (the probe's file took over a minute: each add re-sorted all of them). They load, and the
// longest one matching wins whatever the order they were added in.
void TestTokenizer::manyAddedTokensLoad() {
  REQUIRE_SHARED();
  QTemporaryDir tmp;
  const fs::path dir = tmp.path().toStdString();
  json root = json::parse(testing_support::read_file(tokenizer_fixtures() / "tiny" / "tokenizer.json"));
  const int first = root["model"]["vocab"].size(), count = 50'000;
  for (int i = 0; i < count; ++i)
    root["added_tokens"].push_back({{"id", first + i}, {"content", "<extra_" + std::to_string(i) + ">"},
                                    {"normalized", false}, {"special", true}});
  testing_support::write_file(dir / "tokenizer.json", root.dump());
  QElapsedTimer timer;
  timer.start();
  const auto tok = dynamax::load_tokenizer(dir, TokenizerBackend::HuggingFace);
  qInfo("50,000 added tokens loaded in %lld ms", static_cast<long long>(timer.elapsed()));
  const std::vector<int32_t> ids = tok->encode("<extra_1><extra_12><extra_49999>");
  QCOMPARE(ids, (std::vector<int32_t>{first + 1, first + 12, first + 49999}));
}

QTEST_APPLESS_MAIN(TestTokenizer)
#include "test_tokenizer.moc"
