// The workbench window end to end, offscreen: the demo workspace on first start, a real recording of a tiny model
// through the worker while the event loop keeps turning, the runs list and the trade-off plot updating as it goes,
// the markers and table following the slider, the token inspector, bad input reported in the window, the session
// restored, and a screenshot (saved to $DYNAMAX_SCREENSHOT when set).
#include <qcustomplot.h>

#include <QDoubleSpinBox>
#include <QListWidget>
#include <QSlider>
#include <QComboBox>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSettings>
#include <QtTest>

#include "app/demo_paths.h"
#include "app/main_window.h"
#include "app/ui/figure_export.h"
#include "app/ui/record_controller.h"
#include "app/ui/record_dialog.h"
#include "app/ui/token_inspector.h"
#include "app/ui/tradeoff_controller.h"
#include "app/ui/tradeoff_panel.h"
#include "app/ui/workspace_controller.h"
#include "app/ui/workspace_panel.h"
#include "storage/schema.h"
#include "support/stall_meter.h"
#include "support/pdf_text_boxes.h"
#include "support/test_support.h"
#include "views/job_progress.h"
#include "views/message_banner.h"
#include "views/model_list_panel.h"
#include "views/operating_point_table.h"
#include "views/run_list_panel.h"
#include "views/threshold_controls.h"
#include "views/token_heatmap.h"
#include "views/tradeoff_plot.h"

using namespace dynamax;

namespace {

bool wait_idle(const app::MainWindow& w, int ms = 20'000) {
  return QTest::qWaitFor([&] { return w.is_idle(); }, ms);
}

app::RecordOptions demo_recording(const char* model, int limit) {
  app::RecordOptions o;
  o.model_dir = app::resources_dir() / "models" / model;
  o.dataset_spec = app::demo_dataset_spec();
  o.limit = size_t(limit);
  o.threads = 1;  // one core stays with the GUI thread on small CI machines
  return o;
}

using testing_support::StallMeter;

}  // namespace

class TestMainWindow : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;

  QString db(const char* name) const { return tmp_.filePath(name); }

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // settings and default paths away from the user's
    QCoreApplication::setOrganizationName("dynamax-test");
    QCoreApplication::setApplicationName("test_main_window");
    QSettings().remove("dialogs");  // the job dialogs start from their defaults, not from an earlier run's values
  }

  void first_start_opens_the_demo_workspace() {
    app::MainWindow w;
    w.open_workspace(db("first.db"));
    QVERIFY(wait_idle(w));
    QCOMPARE(w.workspace_panel()->models()->model_count(), 2);
    QCOMPARE(w.workspace_panel()->datasets()->count(), 1);
    QVERIFY(w.workspace_panel()->datasets()->item(0)->text().contains("demo_passages.txt"));
    QCOMPARE(w.workspace_panel()->runs()->run_count(), 0);
    QVERIFY(w.banner()->text().isEmpty());
    // the empty plot says what to do: one call to action
    QVERIFY2(w.tradeoff()->plot()->placeholder().contains("Run → Record…"), qPrintable(w.tradeoff()->plot()->placeholder()));
  }

  void recording_updates_runs_and_plot_while_the_window_stays_responsive() {
    app::MainWindow w;
    w.resize(1280, 800);
    w.show();
    w.open_workspace(db("record.db"));
    QVERIFY(wait_idle(w));
    app::RecordController* recorder = w.recorder();
    QSignalSpy ended(recorder, &app::RecordController::run_ended);
    views::TradeoffPlot* plot = w.tradeoff()->plot();
    int curves_while_running = 0, rows_while_running = 0;
    connect(plot->plot(), &QCustomPlot::afterReplot, this, [&] {
      if (recorder->is_running()) curves_while_running = std::max(curves_while_running, plot->curve_count());
    });
    connect(w.workspace(), &app::WorkspaceController::snapshot_changed, this, [&] {
      if (recorder->is_running()) rows_while_running = std::max(rows_while_running, w.workspace_panel()->runs()->run_count());
    });
    StallMeter meter;
    QVERIFY(w.record(demo_recording("tiny-mistral", 0)));  // all 11 windows: about a second
    QVERIFY(w.job_progress()->isVisible());
    QVERIFY(ended.wait(60'000));
    QVERIFY(wait_idle(w));
    meter.timer.stop();
    qInfo("event loop: longest gap %lld ms while recording and analysing", meter.longest);
    QVERIFY2(meter.longest <= 50, qPrintable(QString("the event loop stalled %1 ms").arg(meter.longest)));
    QCOMPARE(ended.first().at(1).toString(), QString("done"));
    QVERIFY(!w.job_progress()->isVisible());
    QCOMPARE(rows_while_running, 1);
    QCOMPARE(curves_while_running, 3);  // the curve appeared while the run went: threshold, static, oracle
    views::RunListPanel* runs = w.workspace_panel()->runs();
    QCOMPARE(runs->topLevelItem(0)->text(3), QString("done"));
    QCOMPARE(runs->topLevelItem(0)->text(4), QString("11 / 11"));
    QCOMPARE(runs->checked_runs(), QVector<qint64>{1});
    QCOMPARE(plot->curve_count(), 3);
    QVERIFY(plot->placeholder().isEmpty());  // curves: no placeholder
    // the line under the table says what the dashed curves are, and why saved FLOPs can be negative when they are
    QVERIFY2(w.tradeoff()->info().contains("oracle") && w.tradeoff()->info().contains("static"),
             qPrintable(w.tradeoff()->info()));
    w.tradeoff()->controls()->slider()->setValue(0);  // every token tries the earliest exit: heads at every depth
    const bool negative = w.tradeoff()->table()->item(0, 4)->text().startsWith("−") ||
                          w.tradeoff()->table()->item(0, 4)->text().startsWith("-");
    QCOMPARE(w.tradeoff()->info().contains("Negative saved FLOPs"), negative);

    // the slider moves the marker along the curve and the table follows
    views::ThresholdControls* controls = w.tradeoff()->controls();
    views::OperatingPointTable* table = w.tradeoff()->table();
    controls->slider()->setValue(50);
    const QPointF low = plot->marker_positions().at(0);
    const QString low_savings = table->item(0, 3)->text();
    controls->slider()->setValue(990);
    const QPointF high = plot->marker_positions().at(0);
    QVERIFY2(high.x() > low.x(), "a higher threshold costs more compute");
    QVERIFY(high.y() >= low.y());
    QCOMPARE(table->rowCount(), 1);
    QVERIFY(table->item(0, 3)->text() != low_savings);
    const auto& analysed = *w.tradeoff()->controller()->runs().at(0);
    QCOMPARE(high.x(), analysed.analysis.sweep->at(controls->threshold()).block_fraction);

    // the token inspector shows the first sample: BOS and a 64-token window × 16 depths, boundary from the sweep
    const views::TokenHeatmapData& heat = w.inspector()->heatmap()->data();
    QCOMPARE(heat.tokens(), 65);
    QCOMPARE(heat.depths, 16);
    QCOMPARE(heat.exit_depths.at(5), analysed.analysis.sweep->exit_depth(5, controls->threshold()));

    // reopened later, the workspace plots its latest finished recording of each model at once
    app::MainWindow again;
    again.open_workspace(db("record.db"));
    QVERIFY(wait_idle(again));
    QCOMPARE(again.workspace_panel()->runs()->checked_runs(), QVector<qint64>{1});
    QCOMPARE(again.tradeoff()->plot()->curve_count(), 3);
  }

  void bad_input_gives_a_message_in_the_window() {
    app::MainWindow w;
    w.open_workspace(db("bad.db"));
    QVERIFY(wait_idle(w));
    // a folder that is not a model: the dialog says so and stays open
    app::RecordDialog dialog(w.workspace()->snapshot());
    dialog.set_model_folder(tmp_.path());
    QVERIFY2(dialog.problem().contains("config.json"), qPrintable(dialog.problem()));
    dialog.set_model_folder(QString::fromStdString((app::resources_dir() / "models/tiny-mistral").string()));
    QVERIFY(dialog.problem().isEmpty());
    // a dataset file of the wrong kind: the worker fails and the window says why
    app::RecordOptions wrong = demo_recording("tiny-mistral", 2);
    wrong.dataset_spec = "triviaqa:" + (app::resources_dir() / "prompts/demo_passages.txt").string();
    QSignalSpy failed(w.recorder(), &app::RecordController::failed);
    QVERIFY(w.record(wrong));
    QVERIFY(failed.wait(30'000));
    QVERIFY2(w.banner()->text().contains("demo_passages.txt"), qPrintable(w.banner()->text()));
    // a database from a newer workbench: refused, reported, left unchanged
    {
      Database newer(db("newer.db").toStdString());
      open_workspace(newer);
      newer.exec("INSERT INTO schema_version VALUES (99)");
    }
    w.open_workspace(db("newer.db"));
    QVERIFY(QTest::qWaitFor([&] { return w.banner()->text().contains("newer"); }, 10'000));
    QCOMPARE(w.workspace()->path(), db("bad.db"));  // the open workspace stays (test_workspace_opening.cpp)
  }

  void session_state_round_trips() {
    app::SessionState state;
    state.workspace = db("session.db");
    state.measure = "margin";
    state.quality_axis = 1;
    state.threshold = 0.3;
    state.dark = true;
    app::save_session(state);
    app::MainWindow w;
    w.restore_session(app::load_session());
    const app::SessionState back = w.session_state();
    QCOMPARE(back.measure, QString("margin"));
    QCOMPARE(back.quality_axis, 1);
    QCOMPARE(back.threshold, 0.3);
    QVERIFY(back.dark);
    QCOMPARE(w.tradeoff()->controller()->measure(), QString("margin"));
    QVERIFY(w.tradeoff()->plot()->is_dark());
    w.set_dark(false);
  }

  // τ is kept per measure across a restart; the entropy measure is labelled as negated.
  void thresholds_per_measure_round_trip() {
    app::SessionState state;
    state.workspace = db("session.db");
    state.measure = "margin";
    state.threshold = 0.3;
    state.thresholds = {{"entropy", -1.5}, {"saturation", 0.25}};
    app::save_session(state);
    app::MainWindow w;
    w.restore_session(app::load_session());
    views::ThresholdControls* controls = w.tradeoff()->controls();
    QCOMPARE(controls->threshold(), 0.3);
    controls->set_measure("entropy");
    QCOMPARE(controls->threshold(), -1.5);
    QVERIFY(controls->findChild<QComboBox*>()->currentText().contains("−entropy"));
    controls->set_measure("saturation");
    QCOMPARE(controls->threshold(), 0.25);
    const app::SessionState back = w.session_state();
    QCOMPARE(back.thresholds.value("margin"), 0.3);
    QCOMPARE(back.thresholds.value("entropy"), -1.5);
    QCOMPARE(back.measure, QString("saturation"));
  }

  void screenshot_of_both_models() {
    app::MainWindow w;
    w.resize(1440, 900);
    w.show();
    w.open_workspace(db("screenshot.db"));
    QVERIFY(wait_idle(w));
    for (const char* model : {"tiny-mistral", "tiny-codestral"}) {
      QSignalSpy ended(w.recorder(), &app::RecordController::run_ended);
      QVERIFY(w.record(demo_recording(model, 8)));
      QVERIFY(ended.wait(60'000));
    }
    QVERIFY(wait_idle(w));
    // The last sample's rows reach the plot with the refresh that follows the run's end.
    QVERIFY(QTest::qWaitFor([&] {
      const auto& shown = w.tradeoff()->controller()->runs();
      return wait_idle(w) && shown.size() == 2 &&
             std::all_of(shown.begin(), shown.end(), [](const auto& r) { return r->loaded.info.samples_done == 8; });
    }, 30'000));
    QCOMPARE(w.tradeoff()->plot()->curve_count(), 6);
    QCOMPARE(w.tradeoff()->table()->rowCount(), 2);
    w.tradeoff()->controls()->spin_box()->setValue(0.6);
    w.inspector()->show_sample(1);
    const QImage shot = w.grab().toImage();
    QCOMPARE(shot.size(), w.size());
    const QString path = qEnvironmentVariable("DYNAMAX_SCREENSHOT");
    if (!path.isEmpty()) QVERIFY2(shot.save(path), qPrintable(path));

    // File → Export: the figure as a paper PDF, the curves as CSV, the operating points as LaTeX
    const app::TradeoffController* c = w.tradeoff()->controller();
    QCOMPARE(app::export_figure(c->plot_data(), views::paper_single_column(), db("fig.pdf")), QString());
    QVERIFY(QFile(db("fig.pdf")).size() > 1000);
    const QStringList layout = testing_support::text_layout_problems(testing_support::pdf_text_boxes(db("fig.pdf")));
    QVERIFY2(layout.isEmpty(), qPrintable(layout.join("\n")));
    QCOMPARE(app::export_curves_csv(c->analyses(), db("curves.csv")), QString());
    const QString csv = QString::fromStdString(testing_support::read_file(db("curves.csv").toStdString()));
    QStringList ids;
    for (const auto& run : c->runs()) ids << QString::number(run->loaded.info.id);
    const testing_support::CliResult sweep = testing_support::run_dynamax(
        {"sweep", "--db", db("screenshot.db"), "--runs", ids.join(','), "--measure", c->measure(), "--csv"});
    QVERIFY2(sweep.code == 0, qPrintable(sweep.err));
    // File → Export data writes what `sweep --csv` writes, line for line
    const QStringList window_lines = csv.split('\n'), cli_lines = sweep.out.split('\n');
    for (int i = 0; i < std::min(window_lines.size(), cli_lines.size()); ++i)
      QVERIFY2(window_lines[i] == cli_lines[i],
               qPrintable(QString("line %1:\n%2\n%3").arg(i).arg(window_lines[i], cli_lines[i])));
    QCOMPARE(window_lines.size(), cli_lines.size());
    QVERIFY(csv.startsWith("run,curve,kind,parameter") && csv.contains("tiny-codestral · demo_passages #2"));
    QCOMPARE(app::export_latex_table(c->operating_points(), db("table.tex")), QString());
    const QString tex = QString::fromStdString(testing_support::read_file(db("table.tex").toStdString()));
    QVERIFY2(tex.contains("\\toprule") && tex.contains("tiny-mistral") && tex.contains("0.6"), qPrintable(tex));
    QVERIFY(!app::export_figure(c->plot_data(), views::paper_single_column(), db("no/such/folder/fig.pdf")).isEmpty());
  }

  // Runs after the screenshot test, in its workspace (two recordings, both checked when opened): the last session's
  // checks come back instead of the default ones.
  void restores_the_checked_runs() {
    app::SessionState state;
    state.workspace = db("screenshot.db");
    state.checked_in = db("screenshot.db");
    state.checked_runs = {2};
    app::save_session(state);
    app::MainWindow w;
    w.restore_session(app::load_session());
    w.open_workspace(db("screenshot.db"));
    QVERIFY(wait_idle(w));
    QCOMPARE(w.workspace_panel()->runs()->checked_runs(), QVector<qint64>{2});
    QCOMPARE(int(w.tradeoff()->controller()->runs().size()), 1);
    QCOMPARE(w.session_state().checked_runs, QVector<qint64>{2});
  }

  // The Runs list's context menu: a cancelled recording resumes to the end, its config shows, and the Delete key
  // removes it after asking; quitting while a job runs asks first.
  void runs_list_resumes_shows_config_and_deletes() {
    app::MainWindow w;
    w.show();
    w.open_workspace(db("manage.db"));
    QVERIFY(wait_idle(w));
    QSignalSpy ended(w.recorder(), &app::RecordController::run_ended);
    connect(w.recorder(), &app::RecordController::run_grew, this, [&] { w.job_progress()->cancel_requested(); });
    QVERIFY(w.record(demo_recording("tiny-mistral", 0)));
    QVERIFY(ended.wait(60'000));
    QCOMPARE(ended.first().at(1).toString(), QString("cancelled"));
    disconnect(w.recorder(), &app::RecordController::run_grew, this, nullptr);
    QVERIFY(wait_idle(w));
    views::RunListPanel* runs = w.workspace_panel()->runs();
    QCOMPARE(runs->run_count(), 1);
    QVERIFY(runs->topLevelItem(0)->text(4) != "11 / 11");

    runs->topLevelItem(0)->setSelected(true);
    std::unique_ptr<QMenu> menu(runs->context_menu());
    QVERIFY(menu);
    QAction* resume = nullptr;
    QAction* config = nullptr;
    for (QAction* a : menu->actions()) {
      if (a->text() == "Resume run #1") resume = a;
      if (a->text() == "Show config of run #1") config = a;
    }
    QVERIFY(resume && resume->isEnabled() && config);
    ended.clear();
    resume->trigger();
    QVERIFY(ended.wait(60'000));
    QCOMPARE(ended.first().at(1).toString(), QString("done"));
    QVERIFY(wait_idle(w));
    QCOMPARE(runs->topLevelItem(0)->text(4), QString("11 / 11"));
    QCOMPARE(runs->run_count(), 1);  // the same run, finished

    config->trigger();
    auto* shown = w.findChild<QPlainTextEdit*>("run_config");
    QVERIFY(shown);
    QVERIFY2(shown->toPlainText().contains("demo_passages.txt"), qPrintable(shown->toPlainText()));
    shown->window()->close();

    // Delete asks; "No" keeps the run, "Yes" removes it
    auto answer = [](QMessageBox::StandardButton button) {
      QTimer::singleShot(50, [button] {
        if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) box->button(button)->click();
      });
    };
    runs->setFocus();
    answer(QMessageBox::No);
    QTest::keyClick(runs, Qt::Key_Delete);
    QTest::qWait(100);
    QCOMPARE(runs->run_count(), 1);
    answer(QMessageBox::Yes);
    QTest::keyClick(runs, Qt::Key_Delete);
    QVERIFY(QTest::qWaitFor([&] { return runs->run_count() == 0; }, 10'000));

    // quitting during a job asks; "No" keeps the window and the job. More samples asked than the demo has (11): said.
    QVERIFY(w.record(demo_recording("tiny-mistral", 50)));
    QVERIFY(QTest::qWaitFor([&] { return w.banner()->text().contains("fewer than the 50 asked for"); }, 30'000));
    answer(QMessageBox::No);
    QVERIFY(!w.close());
    QVERIFY(w.isVisible());
    QVERIFY(w.recorder()->is_running());
    w.job_progress()->cancel_requested();
    QVERIFY(QTest::qWaitFor([&] { return !w.recorder()->is_running(); }, 30'000));
    QVERIFY(wait_idle(w));
  }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
