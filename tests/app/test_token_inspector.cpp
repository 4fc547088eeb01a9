// The token inspector in the window, offscreen, on real runs: a recording from the Record dialog's defaults keeps
// the top-5 of every exit and the heatmap's hover lists them as stored; an evaluation made by `dynamax evaluate`
// shows every policy's answer with one span per generated token in the colour of its stored exit depth. Saves
// screenshots (light and dark) to /tmp/inspect_*.png.
#include <QCheckBox>
#include <QScrollArea>
#include <QPainter>
#include <QScrollBar>
#include <QTextBlock>
#include <QToolTip>
#include <QSettings>
#include <QtTest>
#include <cmath>

#include "app/demo_paths.h"
#include "app/main_window.h"
#include "app/ui/record_controller.h"
#include "app/ui/record_dialog.h"
#include "app/ui/token_inspector.h"
#include "app/ui/tradeoff_controller.h"
#include "app/ui/tradeoff_panel.h"
#include "app/ui/workspace_controller.h"
#include "app/ui/workspace_panel.h"
#include "core/tokenize/tokenizer.h"
#include "storage/generation_reader.h"
#include "storage/sqlite_db.h"
#include "support/test_support.h"
#include "views/exit_coloured_text.h"
#include "views/generated_answers_view.h"
#include "views/heat_scale.h"
#include "views/message_banner.h"
#include "views/run_list_panel.h"
#include "views/token_heatmap.h"

using namespace dynamax;

namespace {

bool wait_idle(const app::MainWindow& w, int ms = 30'000) {
  return QTest::qWaitFor([&] { return w.is_idle(); }, ms);
}

QString model_dir(const char* name) {
  return QString::fromStdString((app::resources_dir() / "models" / name).string());
}

// The window with its tooltip painted in, where the tooltip is (a tooltip is a window of its own).
QImage with_tooltip(QWidget& window) {
  QImage shot = window.grab().toImage();
  for (QWidget* w : QApplication::topLevelWidgets())
    if (w->inherits("QTipLabel") && w->isVisible()) {
      QPainter p(&shot);
      p.drawImage(window.mapFromGlobal(w->pos()), w->grab().toImage());
    }
  return shot;
}

}  // namespace

class TestTokenInspector : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

  QString db(const char* name) const { return tmp_.filePath(name); }

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("dynamax-test");
    QCoreApplication::setApplicationName("test_token_inspector");
    QSettings().remove("dialogs");  // the job dialogs start from their defaults, not from an earlier run's values
  }

  void hover_lists_the_recorded_top_k() {
    app::MainWindow w;
    w.resize(1440, 900);
    w.show();
    w.open_workspace(db("topk.db"));
    QVERIFY(wait_idle(w));
    app::RecordDialog dialog(w.workspace()->snapshot());
    dialog.set_model_folder(model_dir("tiny-mistral"));
    dialog.set_limit(2);
    app::RecordOptions options = dialog.options();
    QCOMPARE(options.top_k, 5);  // what a user expects to hover over
    options.threads = 1;
    QSignalSpy ended(w.recorder(), &app::RecordController::run_ended);
    QVERIFY(w.record(options));
    QVERIFY(ended.wait(60'000));
    QVERIFY(wait_idle(w));

    const views::TokenHeatmapData& heat = w.inspector()->heatmap()->data();
    QCOMPARE(heat.depths, 16);
    QCOMPARE(heat.tokens(), 65);
    QVERIFY(heat.answer.isEmpty());  // a text window scores every token: no answer to mark
    const auto tokenizer = load_tokenizer(model_dir("tiny-mistral").toStdString());
    Database read(db("topk.db").toStdString(), Database::Mode::ReadOnly);
    for (const auto& [position, depth] : {std::pair{5, 3}, std::pair{20, 16}, std::pair{64, 9}}) {
      const views::HeatmapCell& cell = heat.cell(position, depth);
      QCOMPARE(cell.top_k.size(), 5);
      QCOMPARE(cell.top_k[0].piece, cell.piece);  // rank 1 is the exit's top-1
      Statement q = read.prepare(
          "SELECT token_id, exp(logprob) FROM exit_topk x JOIN samples s ON s.id = x.sample_id "
          "WHERE s.run_id = 1 AND s.sample_index = 0 AND x.position = ? AND x.depth = ? ORDER BY rank");
      q.bind(1, position).bind(2, depth);
      QTextDocument shown;
      shown.setHtml(w.inspector()->heatmap()->hover_text(position, depth));
      const QString text = shown.toPlainText();
      int rank = 0, previous = -1;
      while (q.step()) {
        const QString piece = QString::fromStdString(tokenizer->piece(q.integer(0)));
        QCOMPARE(cell.top_k[rank].piece, piece);
        QVERIFY(std::abs(cell.top_k[rank].prob - q.real(1)) < 1e-5);
        const QString quoted = "‘" + QString(piece).replace(QChar(0x2581), ' ').replace("<0x0A>", "⏎") + "’";
        const int at = text.indexOf(quoted, previous + 1);
        QVERIFY2(at > previous, qPrintable(QString("rank %1 %2 in %3").arg(rank + 1).arg(quoted, text)));
        previous = at;
        ++rank;
      }
      QCOMPARE(rank, 5);
    }

    // the hover for the eye, in the light and the dark theme
    QScrollArea* scroll = w.inspector()->heatmap_scroll();
    QVERIFY(scroll->horizontalScrollBar()->maximum() > 0);  // 65 readable columns do not fit: they scroll
    for (const bool dark : {false, true}) {
      w.set_dark(dark);
      const QPoint cell = w.inspector()->heatmap()->cell_rect(6, 12).center();
      QMouseEvent move(QEvent::MouseMove, cell, w.inspector()->heatmap()->mapToGlobal(cell), Qt::NoButton, Qt::NoButton,
                       Qt::NoModifier);
      QApplication::sendEvent(w.inspector()->heatmap(), &move);
      QTest::qWait(50);
      QVERIFY(QToolTip::isVisible());
      QVERIFY(QToolTip::text().contains("depth 12 of 16"));
      const QString path = dark ? "/tmp/inspect_heatmap_tooltip_dark.png" : "/tmp/inspect_heatmap_tooltip.png";
      QVERIFY(with_tooltip(w).save(path));
      QToolTip::hideText();
    }
    w.set_dark(false);
  }

  // A TruthfulQA recording shares the QA primer: a sample opens where it leaves it, and the "shared prefix" box
  // shows the primer's rows (stored once) with their top-k.
  void a_sample_opens_after_its_shared_prefix() {
    REQUIRE_SHARED();
    app::MainWindow w;
    w.resize(1440, 900);
    w.show();
    w.open_workspace(db("prefix.db"));
    QVERIFY(wait_idle(w));
    app::RecordDialog dialog(w.workspace()->snapshot());
    dialog.set_model_folder(model_dir("tiny-mistral"));
    dialog.set_dataset("truthfulqa", QString::fromStdString((testing_support::shared_dir() / "data/truthfulqa/TruthfulQA.csv").string()), "");
    dialog.set_limit(3);
    app::RecordOptions options = dialog.options();
    options.threads = 1;
    QSignalSpy ended(w.recorder(), &app::RecordController::run_ended);
    QVERIFY(w.record(options));
    QVERIFY(ended.wait(60'000));
    QVERIFY(wait_idle(w));

    Database read(db("prefix.db").toStdString(), Database::Mode::ReadOnly);
    auto scalar = [&](const std::string& sql) {
      Statement q = read.prepare(sql);
      q.step();
      return int(q.int64(0));
    };
    const int length = scalar("SELECT token_count FROM prefixes");
    QVERIFY(length > 150);
    app::TokenInspector* inspector = w.inspector();
    inspector->show_sample(1);
    QVERIFY(QTest::qWaitFor([&] { return !inspector->is_busy() && inspector->prefix_box()->isEnabled(); }, 30'000));
    const views::TokenHeatmapData own = inspector->heatmap()->data();
    QCOMPARE(own.tokens(), scalar("SELECT token_count FROM samples WHERE sample_index = 1") - length);
    QVERIFY2(own.title.contains(QString("sample 1 from position %1").arg(length)), qPrintable(own.title));
    QCOMPARE(own.cell(0, 16).top_k.size(), 5);  // the top-k of a continued sample's first own position

    inspector->prefix_box()->setChecked(true);
    QVERIFY(QTest::qWaitFor([&] { return !inspector->is_busy() && inspector->heatmap()->data().tokens() == length; }, 30'000));
    const views::TokenHeatmapData& prefix = inspector->heatmap()->data();
    QVERIFY2(prefix.title.contains("shared prefix of sample 1"), qPrintable(prefix.title));
    Statement top = read.prepare("SELECT token_id FROM prefix_exit_topk WHERE position = 40 AND depth = 9 AND rank = 1");
    QVERIFY(top.step());
    const auto tokenizer = load_tokenizer(model_dir("tiny-mistral").toStdString());
    QCOMPARE(prefix.cell(40, 9).top_k.value(0).piece, QString::fromStdString(tokenizer->piece(top.integer(0))));
    QVERIFY(w.grab().save("/tmp/inspect_shared_prefix.png"));
    inspector->show_sample(2);  // another sample opens after the prefix again
    QVERIFY(QTest::qWaitFor([&] { return !inspector->is_busy() && inspector->heatmap()->data().tokens() != length; }, 30'000));
    QVERIFY(!inspector->prefix_box()->isChecked());
  }

  // A QA sample opens on its question with the answer's tokens marked, not on the shared primer; Home and End go to
  // the sample's start and end.
  void qa_samples_open_on_the_question_with_the_answer_marked() {
    REQUIRE_SHARED();
    app::MainWindow w;
    w.resize(1440, 900);
    w.show();
    w.open_workspace(db("qa.db"));
    QVERIFY(wait_idle(w));
    app::RecordOptions o;
    o.model_dir = model_dir("tiny-mistral").toStdString();
    o.dataset_spec = "triviaqa:" + (testing_support::shared_dir() / "data/triviaqa/triviaqa_sm_sub.jsonl").string() + "#shots=2";
    o.limit = 2;
    o.threads = 1;
    QSignalSpy ended(w.recorder(), &app::RecordController::run_ended);
    QVERIFY(w.record(o));
    QVERIFY(ended.wait(60'000));
    QVERIFY(wait_idle(w));
    w.inspector()->show_run(ended.first().at(0).toLongLong());
    QVERIFY(QTest::qWaitFor([&] { return w.inspector()->heatmap()->data().tokens() > 0 && !w.inspector()->is_busy(); }, 20'000));
    const views::TokenHeatmapData& heat = w.inspector()->heatmap()->data();
    const int first = heat.first_answer();
    QVERIFY2(first > 20, qPrintable(QString::number(first)));  // after the primer and the question
    QCOMPARE(heat.answer.size(), heat.tokens());
    QScrollArea* scroll = w.inspector()->heatmap_scroll();
    QScrollBar* bar = scroll->horizontalScrollBar();
    QVERIFY(bar->maximum() > 0);
    QVERIFY2(bar->value() > 0, "opens past the shared primer");
    const QRect answer = w.inspector()->heatmap()->cell_rect(first, 1);
    QVERIFY2(answer.left() >= bar->value() && answer.right() <= bar->value() + scroll->viewport()->width(),
             "the answer's first token is in view");
    scroll->setFocus();
    QTest::keyClick(scroll, Qt::Key_End);
    QCOMPARE(bar->value(), bar->maximum());
    QTest::keyClick(scroll, Qt::Key_Home);
    QCOMPARE(bar->value(), bar->minimum());
    QVERIFY(w.inspector()->grab().save("/tmp/inspect_qa.png"));
  }

  void generated_answers_are_coloured_by_exit_depth() {
    REQUIRE_SHARED();
    const QString dataset =
        "triviaqa:" + QString::fromStdString((testing_support::shared_dir() / "data/triviaqa/triviaqa_sm_sub.jsonl").string());
    const testing_support::CliResult r = testing_support::run_dynamax(
        {"evaluate", "--model", model_dir("tiny-mistral"), "--dataset", dataset, "--db", db("eval.db"), "--thresholds",
         "0.2,0.5", "--limit", "3", "--max-new", "12", "--threads", "1", "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err));

    app::MainWindow w;
    w.resize(1440, 900);
    w.show();
    w.open_workspace(db("eval.db"));
    QVERIFY(wait_idle(w));
    emit w.workspace_panel()->runs()->run_activated(1);  // what a double-click does
    QVERIFY(wait_idle(w));
    QCOMPARE(w.inspector()->run_id(), qint64(1));
    w.inspector()->show_sample(1);
    QVERIFY(wait_idle(w));
    QVERIFY2(w.banner()->text().isEmpty(), qPrintable(w.banner()->text()));  // an evaluation is no trade-off error

    views::GeneratedAnswersView* answers = w.inspector()->answers();
    QVERIFY(answers->isVisible());
    QCOMPARE(answers->data().depths, 16);
    Database read(db("eval.db").toStdString(), Database::Mode::ReadOnly);
    const std::vector<StoredGeneration> stored = load_sample_generations(read, 1, generation_sample_indices(read, 1).at(1));
    QCOMPARE(answers->data().answers.size(), qsizetype(stored.size()));
    QCOMPARE(stored.size(), size_t(3));  // full, max-prob@0.2, max-prob@0.5
    const QList<views::ExitColouredText*> texts = answers->answer_views();
    for (views::ExitColouredText* text : texts) QVERIFY(text->isVisible());
    for (size_t g = 0; g < stored.size(); ++g) {
      // the views list the policies first and the full model last (beside them)
      const size_t view = g == 0 ? stored.size() - 1 : g - 1;
      QVector<QPair<int, QColor>> spans;
      for (QTextBlock b = texts[qsizetype(view)]->document()->begin(); b.isValid(); b = b.next())
        for (auto it = b.begin(); !it.atEnd(); ++it) {
          const QVariant index = it.fragment().charFormat().property(views::ExitColouredText::kTokenIndex);
          if (index.isValid() && (spans.isEmpty() || spans.last().first != index.toInt()))
            spans.push_back({index.toInt(), it.fragment().charFormat().background().color()});
        }
      QCOMPARE(spans.size(), qsizetype(stored[g].steps.size()));
      for (int i = 0; i < spans.size(); ++i)
        QCOMPARE(spans[i].second, views::heat_colour(views::depth_on_scale(stored[g].steps[size_t(i)].exit_depth, 16), false));
    }
    const bool some_exit_early = std::any_of(stored[1].steps.begin(), stored[1].steps.end(),
                                             [](const StoredStep& s) { return s.exit_depth < 16; });
    QVERIFY2(some_exit_early, "τ = 0.2 exits some tokens early on the tiny model");

    for (const bool dark : {false, true}) {
      w.set_dark(dark);
      QTest::qWait(100);  // the answers' heights settle once the layout has run at the window's width
      QVERIFY(w.grab().save(dark ? "/tmp/inspect_answers_dark.png" : "/tmp/inspect_answers.png"));
    }
    w.set_dark(false);
  }
};

QTEST_MAIN(TestTokenInspector)
#include "test_token_inspector.moc"
