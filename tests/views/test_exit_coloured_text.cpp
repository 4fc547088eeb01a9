// Generated answers coloured by exit depth, offscreen: one coloured span per generated token in the colour of its
// depth on the inspector's scale (light and dark), hover naming depth and score, the policies listed beside the
// full model's answer, and the depth legend.
#include <QTextBlock>
#include <QToolTip>
#include <QtTest>
#include <cmath>

#include "views/depth_colour_bar.h"
#include "views/exit_coloured_text.h"
#include "views/generated_answers_view.h"
#include "views/heat_scale.h"

using namespace dynamax::views;

namespace {

constexpr int kDepths = 16;

GeneratedAnswer answer(const QString& policy, const QVector<int>& depths) {
  const QStringList words = {" Paris", ",", " France", "\n", " Paris", "!"};
  GeneratedAnswer a;
  a.policy = policy;
  a.summary = "blocks saved 30 % · EM 1";
  for (int i = 0; i < depths.size(); ++i) {
    a.tokens.push_back({words[i % words.size()], depths[i], i == 0 ? NAN : 0.5f + 0.05f * float(i)});
    a.text += words[i % words.size()];
  }
  return a;
}

struct Span {
  int token;
  QColor background;
  QString text;
};

// The document's fragments that carry a token index, in order.
QVector<Span> token_spans(const ExitColouredText& view) {
  QVector<Span> spans;
  for (QTextBlock block = view.document()->begin(); block.isValid(); block = block.next())
    for (auto it = block.begin(); !it.atEnd(); ++it) {
      const QTextFragment f = it.fragment();
      const QVariant index = f.charFormat().property(ExitColouredText::kTokenIndex);
      if (!index.isValid()) continue;
      if (!spans.isEmpty() && spans.last().token == index.toInt())
        spans.last().text += f.text();  // a token with a line break spans two blocks
      else
        spans.push_back({index.toInt(), f.charFormat().background().color(), f.text()});
    }
  return spans;
}

}  // namespace

class TestExitColouredText : public QObject {
  Q_OBJECT

 private slots:
  void one_span_per_token_in_its_depth_colour_data() {
    QTest::addColumn<QVector<int>>("depths");
    QTest::addColumn<bool>("dark");
    QTest::newRow("mixed, light") << QVector<int>{16, 8, 8, 12, 4, 16} << false;
    QTest::newRow("mixed, dark") << QVector<int>{16, 8, 8, 12, 4, 16} << true;
    QTest::newRow("all shallow") << QVector<int>{1, 1, 1} << false;
    QTest::newRow("empty") << QVector<int>{} << false;
  }
  void one_span_per_token_in_its_depth_colour() {
    QFETCH(QVector<int>, depths);
    QFETCH(bool, dark);
    ExitColouredText view;
    view.set_dark(dark);
    view.set_answer(answer("max-prob@0.5", depths), kDepths);
    const QVector<Span> spans = token_spans(view);
    QCOMPARE(spans.size(), depths.size());  // equal neighbours (8, 8) stay two spans
    for (int i = 0; i < spans.size(); ++i) {
      QCOMPARE(spans[i].token, i);
      QCOMPARE(spans[i].background, heat_colour(depth_on_scale(depths[i], kDepths), dark));
    }
    if (depths.isEmpty()) QVERIFY(view.toPlainText().contains("empty answer"));
  }

  void rendered_tokens_show_their_colours() {
    ExitColouredText view;
    view.resize(400, 60);
    view.set_answer(answer("p", {1, 16}), kDepths);
    const QImage image = view.grab().toImage();
    int deep = 0;
    for (int y = 0; y < image.height(); ++y)
      for (int x = 0; x < image.width(); ++x) deep += image.pixelColor(x, y) == heat_colour(1.0, false);
    QVERIFY2(deep > 50, "the full-depth token's background is painted");
    QVERIFY(view.height() >= view.document()->size().height());  // as tall as its text: nothing hidden
  }

  void hover_names_depth_and_score() {
    ExitColouredText view;
    view.set_answer(answer("p", {16, 8, 4}), kDepths);
    QCOMPARE(view.token_tooltip(1), QString("token 2 ‘,’\nexit depth 8 of 16\nscore 0.550"));
    QVERIFY(view.token_tooltip(0).contains("(full model)") && view.token_tooltip(0).contains("not evaluated"));
    QVERIFY(view.token_tooltip(3).isEmpty());
    const QVector<Span> spans = token_spans(view);
    QCOMPARE(spans.size(), 3);
    // hovering the middle of the third token (" France") shows its tooltip
    view.resize(400, 60);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTextCursor cursor(view.document());
    cursor.setPosition(view.toPlainText().indexOf("France") + 3);
    const QPoint at = view.cursorRect(cursor).center();
    QHelpEvent help(QEvent::ToolTip, at, view.viewport()->mapToGlobal(at));
    QApplication::sendEvent(view.viewport(), &help);
    QCOMPARE(QToolTip::text(), view.token_tooltip(2));
  }

  void answers_sit_beside_the_full_model() {
    GeneratedAnswersData data;
    data.title = "tiny-mistral #2 · sample 0";
    data.prompt_tail = "Question: What is the capital of France?\nAnswer:";
    data.depths = kDepths;
    data.answers = {answer("full", {16, 16, 16}), answer("max-prob@0.5", {8, 16, 4}), answer("max-prob@0.9", {12, 16, 16})};
    GeneratedAnswersView view;
    view.resize(900, 400);
    view.set_data(data);
    const QList<ExitColouredText*> texts = view.answer_views();
    QCOMPARE(texts.size(), 3);
    QCOMPARE(token_spans(*texts[0]).at(0).background, heat_colour(depth_on_scale(8, kDepths), false));
    QCOMPARE(token_spans(*texts[2]).at(0).background, heat_colour(1.0, false));  // the full model's, last
    QCOMPARE(view.colour_bar()->depths(), kDepths);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    for (ExitColouredText* text : view.answer_views()) {
      QVERIFY(text->isVisible());
      QVERIFY(text->height() >= 20 && text->height() < 200);
    }
    QVERIFY(view.grab().save("/tmp/inspect_answers_view.png"));
    view.set_dark(true);
    QCOMPARE(token_spans(*view.answer_views()[1]).at(0).background, heat_colour(depth_on_scale(12, kDepths), true));
    view.set_data({});  // nothing to show: no stale answers
    QVERIFY(view.answer_views().isEmpty());
  }
};

QTEST_MAIN(TestExitColouredText)
#include "test_exit_coloured_text.moc"
