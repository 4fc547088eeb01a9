// Run → Calibrate τ… in the window, offscreen: a recording of the demo prompts in short windows, the action's
// dialog filled in and accepted, the calibration off the GUI thread, then the slider at the certified τ, the
// certified region drawn on the run's curve, δ, ε and the held-out risk in the table; a run too small for the chosen
// (δ, ε) gets a message saying how many samples it would need. A screenshot of the calibrated window goes to
// $DYNAMAX_SCREENSHOT when set.
#include <QAction>
#include <QApplication>
#include <QDoubleSpinBox>
#include <QMenuBar>
#include <QtTest>

#include "app/demo_paths.h"
#include "app/main_window.h"
#include "app/ui/calibration_controller.h"
#include "app/ui/calibration_dialog.h"
#include "app/ui/record_controller.h"
#include "app/ui/tradeoff_controller.h"
#include "app/ui/tradeoff_panel.h"
#include "app/ui/workspace_controller.h"
#include "app/ui/workspace_snapshot.h"
#include "core/analysis/threshold_calibration.h"
#include "views/message_banner.h"
#include "views/operating_point_table.h"
#include "views/threshold_controls.h"
#include "views/tradeoff_plot.h"

using namespace dynamax;

namespace {

bool wait_idle(const app::MainWindow& w, int ms = 30'000) { return QTest::qWaitFor([&] { return w.is_idle(); }, ms); }

QAction* calibrate_action(const app::MainWindow& w) {
  for (QAction* a : w.menuBar()->findChildren<QAction*>())
    if (a->text() == "Ca&librate τ…") return a;
  return nullptr;
}

// Triggers the action and, once its dialog is up, fills it in and accepts it.
void calibrate_through_the_dialog(QAction* action, qint64 run, double delta, double epsilon, int seed) {
  bool seen = false;
  QTimer::singleShot(0, [&] {
    auto* dialog = qobject_cast<app::CalibrationDialog*>(QApplication::activeModalWidget());
    if (!dialog) return;
    seen = true;
    dialog->set_choice(run, RiskLevel::Token, delta, epsilon, 0.5, seed);
    dialog->accept();
  });
  action->trigger();
  QVERIFY2(seen, "the action opened no calibration dialog");
}

}  // namespace

class TestCalibrateWindow : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  QString db_;

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("dynamax-test");
    QCoreApplication::setApplicationName("test_calibrate_window");
    db_ = tmp_.filePath("calibrate.db");
  }

  void calibrate_needs_a_shown_run() {
    app::MainWindow w;
    w.open_workspace(db_);
    QVERIFY(wait_idle(w));
    QAction* action = calibrate_action(w);
    QVERIFY(action);
    action->trigger();
    QVERIFY2(w.banner()->text().contains("Check a recorded run"), qPrintable(w.banner()->text()));
  }

  void calibrate_sets_the_slider_and_shows_the_certified_region() {
    app::MainWindow w;
    w.resize(1280, 800);
    w.show();
    w.open_workspace(db_);
    QVERIFY(wait_idle(w));
    app::RecordOptions record;
    record.model_dir = app::resources_dir() / "models" / "tiny-mistral";
    std::string spec = app::demo_dataset_spec();
    record.dataset_spec = spec.replace(spec.find("window=64"), 9, "window=16");  // about 45 samples
    record.threads = 1;
    QSignalSpy ended(w.recorder(), &app::RecordController::run_ended);
    QVERIFY(w.record(record));
    QVERIFY(ended.wait(120'000));
    app::TradeoffController* controller = w.tradeoff()->controller();
    // The plot shows the whole run once the workspace's listing and the analysis have caught up with its end.
    QVERIFY(QTest::qWaitFor([&] {
      const std::vector<RunInfo>& listed = w.workspace()->snapshot().runs;
      return w.is_idle() && controller->runs().size() == 1 && listed.size() == 1 && listed[0].status == "done" &&
             controller->runs().front()->loaded.info.samples_done == listed[0].samples_done;
    }, 60'000));
    const app::AnalysedRunPtr run = controller->runs().front();
    QVERIFY(run->loaded.info.samples_done >= 40);

    QSignalSpy calibrated(w.calibrator(), &app::CalibrationController::calibrated);
    calibrate_through_the_dialog(calibrate_action(w), run->loaded.info.id, 0.2, 0.1, 3);
    QVERIFY(calibrated.wait(30'000));
    QVERIFY(wait_idle(w));
    QVERIFY2(calibrated.first().at(0).toString().contains("certified τ = "), qPrintable(calibrated.first().at(0).toString()));
    QVERIFY(w.banner()->text().isEmpty());

    // The same calibration computed here on the same samples, with the slider's resolution.
    CalibrationOptions o;
    o.delta = 0.2;
    o.epsilon = 0.1;
    o.seed = 3;
    o.decimals = w.tradeoff()->controls()->spin_box()->decimals();
    const ThresholdCalibration expected = calibrate_threshold(run->loaded.run, run->loaded.config, {}, o, run->loaded.name);
    QVERIFY(std::isfinite(expected.threshold()));  // more than the full model is certified
    QCOMPARE(w.tradeoff()->controls()->threshold(), expected.threshold());
    QCOMPARE(controller->threshold(), expected.threshold());
    QVERIFY(controller->calibration());
    QCOMPARE(controller->calibration()->calibration.threshold(), expected.threshold());

    // The plot: the run's curve and baselines, then the certified band through each certified τ.
    views::TradeoffPlot* plot = w.tradeoff()->plot();
    QCOMPARE(plot->curve_count(), 4);
    const views::PlotData data = controller->plot_data();
    const views::PlotCurve& band = data.curves.last();
    QVERIFY(band.highlight);
    QVERIFY2(band.label.contains("certified: token risk ≤ 0.2, ε = 0.1"), qPrintable(band.label));
    QCOMPARE(band.color_group, 0);
    QCOMPARE(qsizetype(band.x.size()), qsizetype(*expected.certificate.certified + 1));
    const TradeoffPoint at = run->analysis.sweep->at(expected.threshold());
    QCOMPARE(band.x.last(), at.block_fraction);
    QCOMPARE(band.y.last(), at.consistency);
    QCOMPARE(plot->marker_positions().at(0), QPointF(at.block_fraction, at.consistency));  // the marker ends the band

    // The table: δ / ε, the certified τ and its held-out risk.
    views::OperatingPointTable* table = w.tradeoff()->table();
    QVERIFY(!table->isColumnHidden(7));
    QCOMPARE(table->item(0, 7)->text(), QString("0.2 / 0.1"));
    QCOMPARE(table->item(0, 8)->text(), QString::number(expected.threshold(), 'g', 4));
    QCOMPARE(table->item(0, 9)->text(), QString::number(expected.certified().held_out_risk, 'f', 4));

    if (const QString shot = qEnvironmentVariable("DYNAMAX_SCREENSHOT"); !shot.isEmpty()) QVERIFY(w.grab().save(shot));

    // Another measure certifies nothing yet: the region and the columns go.
    w.tradeoff()->controls()->set_measure("margin");
    QVERIFY(wait_idle(w));
    QVERIFY(!controller->calibration());
    QCOMPARE(plot->curve_count(), 3);
    QVERIFY(table->isColumnHidden(7));
  }

  void a_run_too_small_says_how_many_samples_it_needs() {
    app::MainWindow w;
    w.open_workspace(db_);  // the recording above
    QVERIFY(wait_idle(w));
    QVERIFY(QTest::qWaitFor([&] { return !w.tradeoff()->controller()->runs().empty(); }, 30'000));
    QVERIFY(wait_idle(w));
    QSignalSpy failed(w.calibrator(), &app::CalibrationController::failed);
    calibrate_through_the_dialog(calibrate_action(w), w.tradeoff()->controller()->runs().front()->loaded.info.id,
                                 0.01, 0.01, 1);
    QVERIFY(failed.wait(30'000));
    QVERIFY2(w.banner()->text().contains("is too small to certify anything") &&
                 w.banner()->text().contains("needs at least 459 calibration samples"),
             qPrintable(w.banner()->text()));
    QVERIFY(!w.tradeoff()->controller()->calibration());
  }
};

QTEST_MAIN(TestCalibrateWindow)
#include "test_calibrate_window.moc"
