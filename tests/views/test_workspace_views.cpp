// The side panel's run list, the operating-point table, the threshold controls and the job progress, offscreen.
#include <QDoubleSpinBox>
#include <QSlider>
#include <QToolButton>
#include <QtTest>

#include "views/job_progress.h"
#include "views/message_banner.h"
#include "views/operating_point_table.h"
#include "views/run_list_panel.h"
#include "views/threshold_controls.h"

using namespace dynamax::views;

class TestWorkspaceViews : public QObject {
  Q_OBJECT

 private slots:
  void run_list_keeps_checks_across_refreshes() {
    RunListPanel panel;
    QSignalSpy changed(&panel, &RunListPanel::checked_runs_changed);
    panel.set_runs({{1, "tiny-mistral", "text · a.txt", "done", 4, 4, 256, {}, {}}});
    panel.set_checked({1});
    QCOMPARE(changed.count(), 1);
    panel.set_runs({{1, "tiny-mistral", "text · a.txt", "done", 4, 4, 256, {}, {}},
                    {2, "tiny-codestral", "text · a.txt", "running", 1, 4, 64, {}, {}}});
    QCOMPARE(panel.run_count(), 2);
    QCOMPARE(panel.checked_runs(), QVector<qint64>{1});
    QCOMPARE(panel.topLevelItem(1)->text(4), QString("1 / 4"));
    QCOMPARE(panel.topLevelItem(1)->text(3), QString("running"));
    panel.topLevelItem(1)->setCheckState(0, Qt::Checked);  // the user ticks it
    QCOMPARE(changed.last().first().value<QVector<qint64>>(), (QVector<qint64>{1, 2}));
  }

  void table_has_one_row_per_run() {
    OperatingPointTable table;
    table.set_rows({{"tiny-mistral #1", Qt::blue, 0.8, 9.5, 16, 0.406, 0.39, 0.93, std::nan("")},
                    {"tiny-codestral #2", Qt::red, 0.8, 15.0, 24, 0.375, 0.36, 0.97, 0.41}});
    QCOMPARE(table.rowCount(), 2);
    QCOMPARE(table.item(0, 0)->text(), QString("tiny-mistral #1"));
    QCOMPARE(table.item(0, 2)->text(), QString("9.50 / 16"));
    QCOMPARE(table.item(0, 3)->text(), QString("40.6 %"));
    QCOMPARE(table.item(0, 6)->text(), QString("—"));  // no accuracy positions
    QCOMPARE(table.item(1, 6)->text(), QString("41.0 %"));
  }

  void slider_and_spin_box_follow_each_other() {
    ThresholdControls controls;
    QSignalSpy moved(&controls, &ThresholdControls::threshold_changed);
    controls.slider()->setValue(250);
    QCOMPARE(controls.threshold(), 0.25);
    QCOMPARE(moved.count(), 1);
    controls.spin_box()->setValue(0.9);
    QCOMPARE(controls.slider()->value(), 900);
    QCOMPARE(moved.last().first().toDouble(), 0.9);
    controls.set_range(-6, 0);  // entropy: τ clamps into the new range and the slider follows
    QCOMPARE(controls.threshold(), 0.0);
    QCOMPARE(controls.slider()->value(), 1000);
  }

  void job_progress_shows_rate_and_eta() {
    JobProgress progress;
    QSignalSpy cancel(&progress, &JobProgress::cancel_requested);
    progress.start("Recording tiny-mistral");
    progress.set_progress(3, 12, 850, 75);
    QVERIFY2(progress.text().contains("3 / 12 samples") && progress.text().contains("850 tokens/s") &&
                 progress.text().contains("1 min 15 s"),
             qPrintable(progress.text()));
    QCOMPARE(progress.percent(), 25);
    QTest::mouseClick(progress.findChild<QToolButton*>(), Qt::LeftButton);
    QCOMPARE(cancel.count(), 1);
  }

  void banner_shows_and_hides() {
    QWidget window;
    auto* banner = new MessageBanner(&window);
    window.show();
    banner->show_message("bad.db: schema version 99");
    QCOMPARE(banner->text(), QString("bad.db: schema version 99"));
    banner->hide();
    QVERIFY(banner->text().isEmpty());
  }
};

QTEST_MAIN(TestWorkspaceViews)
#include "test_workspace_views.moc"
