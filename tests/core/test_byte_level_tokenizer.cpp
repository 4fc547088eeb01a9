// The tokenizer.json backend on the small tokenizers of tests/data/tokenizers (Llama 3, Qwen2, GPT-NeoX, Falcon
// and a Mistral v0.3-style file), made by Hugging Face `tokenizers` with tests/data/make_tokenizers.js, against
// that library's own encodings and decodings; the pre-tokenizer split behaviors against its outputs; and the
// files these components make bad.
#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/common/error.h"
#include "core/tokenize/icu_regex.h"
#include "core/tokenize/piecewise_encoder.h"
#include "core/tokenize/pre_tokenizer.h"
#include "core/tokenize/tokenizer.h"
#include "support/test_support.h"

namespace fs = std::filesystem;
using dynamax::Tokenizer;
using nlohmann::json;

namespace {

fs::path family_dir(const QString& family) { return testing_support::test_data_dir() / "tokenizers" / family.toStdString(); }

std::vector<json> read_jsonl(const fs::path& path) {
  std::istringstream lines(testing_support::read_file(path));
  std::vector<json> rows;
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) rows.push_back(json::parse(line));
  return rows;
}

// The texts of the shared reference file, which the families' reference lines name by number; empty without it.
const std::vector<std::string>& shared_texts() {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> result;
    if (testing_support::shared_dir().empty()) return result;
    for (const json& row : read_jsonl(testing_support::shared_dir() / "fixtures" / "tokenizers" / "references" / "tiny.jsonl"))
      result.push_back(row.at("text"));
    return result;
  }();
  return texts;
}

// One reference line: its text (from ../shared or its own); nothing for a decode-only line or when ../shared is
// absent.
std::optional<std::string> text_of(const json& row) {
  if (row.contains("text")) return row.at("text").get<std::string>();
  if (row.value("decode_only", false)) return std::nullopt;
  const std::size_t line = row.at("shared_line");
  if (line >= shared_texts().size()) return std::nullopt;
  return shared_texts()[line];
}

std::string show(const std::vector<int32_t>& ids) {
  std::string text = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) text += (i ? ", " : "") + std::to_string(ids[i]);
  return text + "]";
}

std::string describe(std::size_t line, const std::string& text, const std::string& expected, const std::string& got) {
  return "reference line " + std::to_string(line + 1) + " " + json(text.substr(0, 80)).dump() + ": expected " +
         expected + ", got " + got;
}

void add_family_rows() {
  QTest::addColumn<QString>("family");
  for (const char* family : {"llama3", "qwen2", "gpt-neox", "falcon", "mistral-v3"}) QTest::newRow(family) << family;
}

QStringList pieces_of(std::vector<std::string> pieces) {
  QStringList list;
  for (const std::string& piece : pieces) list << QString::fromStdString(piece);
  return list;
}

}  // namespace

class TestByteLevelTokenizer : public QObject {
  Q_OBJECT

 private slots:
  void encodeMatchesTokenizers_data() { add_family_rows(); }
  void encodeMatchesTokenizers();
  void decodeMatchesTokenizers_data() { add_family_rows(); }
  void decodeMatchesTokenizers();
  void piecesMatchTokenizersTokens_data() { add_family_rows(); }
  void piecesMatchTokenizersTokens();
  void longTextEncodedPiecewiseIsTheSame_data() { add_family_rows(); }
  void longTextEncodedPiecewiseIsTheSame();
  void specialTokensFollowTheFiles_data();
  void specialTokensFollowTheFiles();
  void splitBehaviorsFollowTokenizers_data();
  void splitBehaviorsFollowTokenizers();
  void badFileThrowsNamedError_data();
  void badFileThrowsNamedError();
  void runawayRegexStops();

 private:
  const Tokenizer& tokenizer(const QString& family);
  std::map<QString, std::unique_ptr<Tokenizer>> loaded_;
};

const Tokenizer& TestByteLevelTokenizer::tokenizer(const QString& family) {
  auto& slot = loaded_[family];
  if (!slot) slot = dynamax::load_tokenizer(family_dir(family));
  return *slot;
}

// Ids without special tokens, and with them: the ids `tokenizers`' post-processor adds around the text are exactly
// the BOS our Tokenizer adds (or nothing).
void TestByteLevelTokenizer::encodeMatchesTokenizers() {
  QFETCH(QString, family);
  const Tokenizer& tok = tokenizer(family);
  QCOMPARE(QString::fromStdString(tok.backend_name()), QString("hf"));
  const std::vector<json> rows = read_jsonl(family_dir(family) / "reference.jsonl");
  std::size_t checked = 0, texts = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].value("decode_only", false)) continue;
    ++texts;
    const std::optional<std::string> text = text_of(rows[i]);
    if (!text) continue;
    const auto expected = rows[i].at("ids").get<std::vector<int32_t>>();
    const std::vector<int32_t> got = tok.encode(*text);
    if (got != expected) QFAIL(describe(i, *text, show(expected), show(got)).c_str());
    const auto before = rows[i].at("specials_before").get<std::vector<int32_t>>();
    QVERIFY2(rows[i].at("specials_after").empty(), "the reference adds tokens after the text");
    const std::vector<int32_t> ours = tok.add_bos ? std::vector<int32_t>{tok.bos_id} : std::vector<int32_t>{};
    if (ours != before) QFAIL(describe(i, *text, "special tokens " + show(before), show(ours)).c_str());
    ++checked;
  }
  QVERIFY(checked > 0);
  qInfo("%s: %zu/%zu reference strings encoded exactly as tokenizers 0.23.2 does%s", qPrintable(family), checked,
        texts, checked < texts ? " (../shared absent: its strings skipped)" : "");
}

// decode_raw(ids) is `tokenizers`' decode with special tokens kept, for the ids of each text and for random ids. For
// the shared texts the reference holds the SHA-256 of the decoding where it is not the text itself.
void TestByteLevelTokenizer::decodeMatchesTokenizers() {
  QFETCH(QString, family);
  const Tokenizer& tok = tokenizer(family);
  const std::vector<json> rows = read_jsonl(family_dir(family) / "reference.jsonl");
  std::size_t checked = 0, identical_to_text = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto ids = rows[i].at("ids").get<std::vector<int32_t>>();
    if (rows[i].value("decode_only", false)) {  // random ids: pieces of characters, ill-formed UTF-8 in between
      const std::string expected = rows[i].at("decoded"), got = tok.decode_raw(ids);
      if (got != expected) QFAIL(describe(i, show(ids), json(expected).dump(), json(got).dump()).c_str());
      ++checked;
      continue;
    }
    const std::optional<std::string> text = text_of(rows[i]);
    if (!text) continue;
    const std::string got = tok.decode_raw(ids);
    if (rows[i].contains("decoded")) {
      const std::string expected = rows[i].at("decoded");
      if (got != expected) QFAIL(describe(i, *text, json(expected).dump(), json(got).dump()).c_str());
    } else if (rows[i].contains("decoded_sha256")) {
      const QByteArray hash = QCryptographicHash::hash(QByteArray::fromStdString(got), QCryptographicHash::Sha256).toHex();
      if (hash.toStdString() != rows[i].at("decoded_sha256"))
        QFAIL(describe(i, *text, "a decoding of SHA-256 " + rows[i].at("decoded_sha256").get<std::string>(),
                       json(got).dump()).c_str());
    } else if (got != *text) {
      QFAIL(describe(i, *text, "the text back", json(got).dump()).c_str());
    }
    ++checked;
    identical_to_text += got == *text;
  }
  QVERIFY(checked > 0);
  qInfo("%s: %zu/%zu id sequences decoded as tokenizers does (%zu texts given back exactly)", qPrintable(family),
        checked, rows.size(), identical_to_text);
}

void TestByteLevelTokenizer::piecesMatchTokenizersTokens() {
  QFETCH(QString, family);
  const Tokenizer& tok = tokenizer(family);
  std::size_t checked = 0;
  for (const json& row : read_jsonl(family_dir(family) / "reference.jsonl")) {
    if (!row.contains("tokens")) continue;
    const auto ids = row.at("ids").get<std::vector<int32_t>>();
    const auto tokens = row.at("tokens").get<std::vector<std::string>>();
    QCOMPARE(ids.size(), tokens.size());
    for (std::size_t k = 0; k < ids.size(); ++k, ++checked)
      QCOMPARE(QString::fromStdString(tok.piece(ids[k])), QString::fromStdString(tokens[k]));
  }
  QVERIFY(checked > 0);
}

// Text datasets are tokenized a piece at a time (PiecewiseEncoder): cut at spaces, the ids must be the whole text's.
void TestByteLevelTokenizer::longTextEncodedPiecewiseIsTheSame() {
  QFETCH(QString, family);
  const Tokenizer& tok = tokenizer(family);
  // The encoder cuts only when a piece after a space joins on: with its space (byte-level) or without (Metaspace).
  auto joined = [&](std::string_view right) {
    std::vector<int32_t> ids = tok.encode("hello");
    for (int32_t id : tok.encode(right)) ids.push_back(id);
    return ids;
  };
  QVERIFY(tok.encode("hello world") == joined(" world") || tok.encode("hello world") == joined("world"));
  std::string text;
  for (int round = 0; text.size() < 3 * dynamax::PiecewiseEncoder::kPieceBytes; ++round)
    for (const json& row : read_jsonl(family_dir(family) / "reference.jsonl"))
      if (row.contains("text")) text += row.at("text").get<std::string>() + " word " + std::to_string(round) + " ";
  const std::vector<int32_t> whole = tok.encode(text);
  const std::vector<int32_t> piecewise = dynamax::PiecewiseEncoder(tok).encode(text, SIZE_MAX, nullptr);
  QCOMPARE(piecewise.size(), whole.size());
  QVERIFY(piecewise == whole);
}

void TestByteLevelTokenizer::specialTokensFollowTheFiles_data() {
  QTest::addColumn<QString>("family");
  QTest::addColumn<int>("vocab_size");
  QTest::addColumn<bool>("add_bos");
  QTest::addColumn<QString>("bos");  // checked when add_bos
  QTest::addColumn<QString>("eos");
  // Llama 3: no add_bos_token, the template adds <|begin_of_text|>. Qwen2: bos_token null, no template.
  // GPT-NeoX: add_bos_token false. Falcon: no BOS at all. Mistral v0.3: add_bos_token true.
  QTest::newRow("llama3") << "llama3" << 1005 << true << "<|begin_of_text|>" << "<|end_of_text|>";
  QTest::newRow("qwen2") << "qwen2" << 1003 << false << "" << "<|endoftext|>";
  QTest::newRow("gpt-neox") << "gpt-neox" << 1002 << false << "" << "<|endoftext|>";
  QTest::newRow("falcon") << "falcon" << 1012 << false << "" << "<|endoftext|>";
  QTest::newRow("mistral-v3") << "mistral-v3" << 1000 << true << "<s>" << "</s>";
}

void TestByteLevelTokenizer::specialTokensFollowTheFiles() {
  QFETCH(QString, family);
  QFETCH(int, vocab_size);
  QFETCH(bool, add_bos);
  QFETCH(QString, bos);
  QFETCH(QString, eos);
  const Tokenizer& tok = tokenizer(family);
  QCOMPARE(tok.vocab_size(), vocab_size);
  QCOMPARE(tok.add_bos, add_bos);
  if (add_bos) QCOMPARE(QString::fromStdString(tok.piece(tok.bos_id)), bos);
  QCOMPARE(QString::fromStdString(tok.piece(tok.eos_id)), eos);
}

// The pieces `tokenizers` 0.23.2 gives for these pre-tokenizers (PreTokenizer.preTokenizeString).
void TestByteLevelTokenizer::splitBehaviorsFollowTokenizers_data() {
  using B = dynamax::SplitBehavior;
  QTest::addColumn<int>("behavior");
  QTest::addColumn<bool>("invert");
  QTest::addColumn<QStringList>("pieces");  // of "a1b22--33c-" split on \d|-
  auto row = [](const char* name, B behavior, bool invert, QStringList pieces) {
    QTest::newRow(name) << static_cast<int>(behavior) << invert << pieces;
  };
  row("Removed", B::Removed, false, {"a", "b", "c"});
  row("Removed, inverted", B::Removed, true, {"1", "2", "2", "-", "-", "3", "3", "-"});
  row("Isolated", B::Isolated, false, {"a", "1", "b", "2", "2", "-", "-", "3", "3", "c", "-"});
  row("Isolated, inverted", B::Isolated, true, {"a", "1", "b", "2", "2", "-", "-", "3", "3", "c", "-"});
  row("MergedWithPrevious", B::MergedWithPrevious, false, {"a1", "b2", "2", "-", "-", "3", "3", "c-"});
  row("MergedWithPrevious, inverted", B::MergedWithPrevious, true, {"a", "1b", "2", "2", "-", "-", "3", "3c", "-"});
  row("MergedWithNext", B::MergedWithNext, false, {"a", "1b", "2", "2", "-", "-", "3", "3c", "-"});
  row("MergedWithNext, inverted", B::MergedWithNext, true, {"a1", "b2", "2", "-", "-", "3", "3", "c-"});
  row("Contiguous", B::Contiguous, false, {"a", "1", "b", "22--33", "c", "-"});
  row("Contiguous, inverted", B::Contiguous, true, {"a", "1", "b", "22--33", "c", "-"});
}

void TestByteLevelTokenizer::splitBehaviorsFollowTokenizers() {
  QFETCH(int, behavior);
  QFETCH(bool, invert);
  QFETCH(QStringList, pieces);
  const auto split = dynamax::make_split(dynamax::IcuRegex(R"(\d|-)", dynamax::IcuRegex::Syntax::Regex),
                                         static_cast<dynamax::SplitBehavior>(behavior), invert);
  std::vector<std::string> got{"a1b22--33c-"};
  split->apply(got, true);
  QCOMPARE(pieces_of(got), pieces);
}

namespace {

enum class BadFile {
  UnknownPreTokenizer,
  BadRegex,
  UnknownBehavior,
  MissingByteSymbol,
  TemplateAddsEos,
  UnknownPostProcessor,
  UnknownDecoder,
};

// The llama3 tokenizer with one thing broken; returns the folder.
void write_bad_file(BadFile bad, const fs::path& dir) {
  json root = json::parse(testing_support::read_file(family_dir("llama3") / "tokenizer.json"));
  json& split = root["pre_tokenizer"]["pretokenizers"][0];
  switch (bad) {
    case BadFile::UnknownPreTokenizer:
      root["pre_tokenizer"]["pretokenizers"].push_back({{"type", "WhitespaceSplit"}});
      break;
    case BadFile::BadRegex:
      split["pattern"]["Regex"] = "(?i:'s|[\\p{L}+";
      break;
    case BadFile::UnknownBehavior:
      split["behavior"] = "Sideways";
      break;
    case BadFile::MissingByteSymbol: {
      // U+0100 stands for byte 0x00, which no merge of this small vocabulary uses.
      root["model"]["vocab"].erase("\u0100");
      break;
    }
    case BadFile::TemplateAddsEos: {
      json& templating = root["post_processor"]["processors"][1];
      templating["single"].push_back({{"SpecialToken", {{"id", "<|end_of_text|>"}, {"type_id", 0}}}});
      templating["special_tokens"]["<|end_of_text|>"] = {
          {"id", "<|end_of_text|>"}, {"ids", {1001}}, {"tokens", {"<|end_of_text|>"}}};
      break;
    }
    case BadFile::UnknownPostProcessor:
      root["post_processor"] = {{"type", "RobertaProcessing"}};
      break;
    case BadFile::UnknownDecoder:
      root["decoder"] = {{"type", "WordPiece"}};
      break;
  }
  testing_support::write_file(dir / "tokenizer.json", root.dump());
}

}  // namespace

void TestByteLevelTokenizer::badFileThrowsNamedError_data() {
  QTest::addColumn<int>("bad");
  QTest::addColumn<QStringList>("message_parts");
  auto row = [](const char* name, BadFile bad, QStringList parts) { QTest::newRow(name) << static_cast<int>(bad) << parts; };
  row("unsupported pre-tokenizer", BadFile::UnknownPreTokenizer,
      {"pre_tokenizer", "\"WhitespaceSplit\" is not supported", "ByteLevel, Digits, Metaspace, Punctuation, Sequence, Split"});
  row("regex ICU cannot compile", BadFile::BadRegex, {"pre_tokenizer Split: regex \"(?i:'s|[\\p{L}+\" is invalid", "U_REGEX_", "at character 14"});
  row("unknown split behavior", BadFile::UnknownBehavior, {"pre_tokenizer split behavior \"Sideways\"", "Contiguous"});
  row("vocabulary without a byte symbol", BadFile::MissingByteSymbol,
      {"ByteLevel", "lacks the characters of 1 of the 256 bytes", "byte 0x00"});
  row("template adding an EOS", BadFile::TemplateAddsEos, {"post_processor TemplateProcessing", "1 after it is not supported"});
  row("unsupported post-processor", BadFile::UnknownPostProcessor,
      {"post_processor", "\"RobertaProcessing\" is not supported", "ByteLevel, Sequence, TemplateProcessing"});
  row("unsupported decoder", BadFile::UnknownDecoder, {"decoder", "\"WordPiece\" is not supported", "ByteLevel"});
}

void TestByteLevelTokenizer::badFileThrowsNamedError() {
  QFETCH(int, bad);
  QFETCH(QStringList, message_parts);
  QTemporaryDir tmp;
  QVERIFY(tmp.isValid());
  const fs::path dir = tmp.path().toStdString();
  write_bad_file(static_cast<BadFile>(bad), dir);
  QString message;
  try {
    dynamax::load_tokenizer(dir);
  } catch (const dynamax::Error& e) {
    message = QString::fromStdString(e.what());
  }
  QVERIFY2(!message.isEmpty(), "no error was thrown");
  QVERIFY2(message.contains(QString::fromStdString((dir / "tokenizer.json").string())), qPrintable(message));
  for (const QString& part : message_parts)
    QVERIFY2(message.contains(part), qPrintable("\"" + part + "\" missing from: " + message));
}

// A pattern that backtracks exponentially is stopped with an error instead of hanging the encoder.
void TestByteLevelTokenizer::runawayRegexStops() {
  const dynamax::IcuRegex runaway("(a+)+$", dynamax::IcuRegex::Syntax::Regex);
  QVERIFY_THROWS_EXCEPTION(dynamax::Error, runaway.find_all(std::string(64, 'a') + "b"));
  QCOMPARE(runaway.find_all("aaa").size(), std::size_t(1));
}

QTEST_APPLESS_MAIN(TestByteLevelTokenizer)
#include "test_byte_level_tokenizer.moc"
