// Tokenizer::readable_piece on the small tokenizers of tests/data/tokenizers: byte-level vocabularies (Llama 3,
// Qwen2) shown in sentencepiece's notation, a Metaspace one (Mistral v0.3) as its pieces.
#include <QtTest>

#include "core/common/error.h"
#include "core/tokenize/tokenizer.h"
#include "core/tokenize/utf8.h"
#include "support/test_support.h"

namespace fs = std::filesystem;

namespace {

const dynamax::Tokenizer& tokenizer_of(const QString& family) {
  static std::map<QString, std::unique_ptr<dynamax::Tokenizer>> loaded;
  auto& slot = loaded[family];
  if (!slot) slot = dynamax::load_tokenizer(testing_support::test_data_dir() / "tokenizers" / family.toStdString());
  return *slot;
}

QStringList readable_pieces(const dynamax::Tokenizer& tok, const std::vector<int32_t>& ids) {
  QStringList pieces;
  for (int32_t id : ids) pieces << QString::fromStdString(tok.readable_piece(id));
  return pieces;
}

// The bytes a readable piece shows: "<0xAB>" is the byte, "▁" a space, the rest itself.
std::string bytes_shown(const std::string& readable) {
  static const std::string space_mark = "\u2581";
  std::string bytes;
  for (std::size_t pos = 0; pos < readable.size();) {
    if (readable.compare(pos, 3, "<0x") == 0 && pos + 6 <= readable.size() && readable[pos + 5] == '>') {
      bytes += static_cast<char>(std::stoi(readable.substr(pos + 3, 2), nullptr, 16));
      pos += 6;
    } else if (readable.compare(pos, space_mark.size(), space_mark) == 0) {
      bytes += ' ';
      pos += space_mark.size();
    } else {
      bytes += readable[pos++];
    }
  }
  return bytes;
}

}  // namespace

class TestReadablePiece : public QObject {
  Q_OBJECT
 private slots:
  void textShowsReadablePieces_data();
  void textShowsReadablePieces();
  void everyPieceShowsItsBytes_data();
  void everyPieceShowsItsBytes();
  void unknownIdThrows_data();
  void unknownIdThrows();
};

void TestReadablePiece::textShowsReadablePieces_data() {
  QTest::addColumn<QString>("family");
  QTest::addColumn<QString>("text");
  QTest::addColumn<QStringList>("expected");  // the readable piece of each token of the text
  for (const char* family : {"llama3", "qwen2"}) {
    auto row = [&](const char* name, const char* text, QStringList expected) {
      QTest::newRow((std::string(family) + ": " + name).c_str()) << family << QString::fromUtf8(text) << expected;
    };
    row("space as the sentencepiece mark", " there", {"▁there"});        // "Ġthere"
    row("newline as its byte", "\n", {"<0x0A>"});                          // "Ċ"
    row("tab as its byte", "\t", {"<0x09>"});                              // "ĉ"
    row("two-byte character whole", "é", {"é"});                         // "Ã©": bytes C3 A9
  }
  // The families merge differently; the accent's two bytes stay one token in both.
  QTest::newRow("llama3: word with an accent") << "llama3" << QString::fromUtf8(" café") << QStringList{"▁c", "a", "f", "é"};
  QTest::newRow("qwen2: word with an accent") << "qwen2" << QString::fromUtf8(" café") << QStringList{"▁c", "af", "é"};
  // 中 is E4 B8 AD: Qwen2's vocabulary has it whole, Llama 3's splits it after its first byte.
  QTest::newRow("qwen2: CJK character whole") << "qwen2" << QString::fromUtf8("中") << QStringList{"中"};
  QTest::newRow("llama3: CJK character split") << "llama3" << QString::fromUtf8("中")
                                               << QStringList{"<0xE4>", "<0xB8><0xAD>"};
  QTest::newRow("llama3: special token") << "llama3" << "<|begin_of_text|>" << QStringList{"<|begin_of_text|>"};
  QTest::newRow("qwen2: special token") << "qwen2" << "<|im_start|>x" << QStringList{"<|im_start|>", "x"};
  // A Metaspace vocabulary is shown as its pieces, byte fallback and all.
  QTest::newRow("mistral-v3: pieces unchanged") << "mistral-v3" << QString::fromUtf8(" there\n中Ж")
                                                << QStringList{"▁there", "\n", "中", "<0xD0>", "<0x96>"};
}

void TestReadablePiece::textShowsReadablePieces() {
  QFETCH(QString, family);
  QFETCH(QString, text);
  QFETCH(QStringList, expected);
  const dynamax::Tokenizer& tok = tokenizer_of(family);
  QCOMPARE(readable_pieces(tok, tok.encode(text.toStdString())), expected);
}

void TestReadablePiece::everyPieceShowsItsBytes_data() {
  QTest::addColumn<QString>("family");
  for (const char* family : {"llama3", "qwen2"}) QTest::newRow(family) << family;
}

// Across the whole vocabulary: the readable piece is valid UTF-8 without control characters, and the bytes it
// shows decode to what the token decodes to alone.
void TestReadablePiece::everyPieceShowsItsBytes() {
  QFETCH(QString, family);
  const dynamax::Tokenizer& tok = tokenizer_of(family);
  for (int32_t id = 0; id < tok.vocab_size(); ++id) {
    const std::string readable = tok.readable_piece(id);
    QVERIFY2(dynamax::utf8::is_valid(readable), std::to_string(id).c_str());
    for (unsigned char c : readable) QVERIFY2(c >= 0x20 && c != 0x7F, std::to_string(id).c_str());
    const int32_t ids[] = {id};
    QCOMPARE(QString::fromStdString(dynamax::utf8::to_valid_lossy(bytes_shown(readable))),
             QString::fromStdString(tok.decode_raw(ids)));
  }
}

void TestReadablePiece::unknownIdThrows_data() { everyPieceShowsItsBytes_data(); }

void TestReadablePiece::unknownIdThrows() {
  QFETCH(QString, family);
  const dynamax::Tokenizer& tok = tokenizer_of(family);
  QVERIFY_THROWS_EXCEPTION(dynamax::Error, tok.readable_piece(tok.vocab_size()));
  QVERIFY_THROWS_EXCEPTION(dynamax::Error, tok.readable_piece(-1));
}

QTEST_APPLESS_MAIN(TestReadablePiece)
#include "test_readable_piece.moc"
