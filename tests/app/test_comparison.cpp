// The comparison dock end to end, offscreen: both tiny demo models recorded on the built-in prompts and shown in
// the trade-off panel; the histograms count every token of each run at its exit depth from the run's sweep, the
// table has one row per shared sample with each run's consistency on its scored tokens, moving the threshold up
// never makes tokens exit earlier, a hidden dock catches up when shown, one run and runs of different datasets are
// handled, and screenshots (light and dark) are saved to $DYNAMAX_COMPARE_SCREENSHOT when set.
#include <qcustomplot.h>

#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QTableView>
#include <QtTest>

#include "app/demo_paths.h"
#include "app/main_window.h"
#include "app/ui/comparison_panel.h"
#include "app/ui/record_controller.h"
#include "app/ui/tradeoff_controller.h"
#include "app/ui/tradeoff_panel.h"
#include "app/ui/workspace_controller.h"
#include "app/ui/workspace_panel.h"
#include "app/ui/workspace_snapshot.h"
#include "views/exit_depth_histogram.h"
#include "views/message_banner.h"
#include "views/run_list_panel.h"
#include "views/sample_agreement_table.h"
#include "views/threshold_controls.h"

using namespace dynamax;

namespace {

constexpr int kSamples = 6;

bool wait_idle(const app::MainWindow& w, int ms = 30'000) {
  return QTest::qWaitFor([&] { return w.is_idle(); }, ms);
}

app::RecordOptions recording(const char* model, const std::string& dataset, int limit) {
  app::RecordOptions o;
  o.model_dir = app::resources_dir() / "models" / model;
  o.dataset_spec = dataset;
  o.limit = size_t(limit);
  o.threads = 1;
  return o;
}

bool record(app::MainWindow& w, const app::RecordOptions& options) {
  QSignalSpy ended(w.recorder(), &app::RecordController::run_ended);
  return w.record(options) && ended.wait(60'000) && wait_idle(w);
}

// Each run's consistency on the scored tokens of its `sample`-th sample at τ, counted here from the recorded columns.
double consistency_by_hand(const app::AnalysedRun& run, int64_t sample_index, double tau) {
  const RecordedRun& r = run.loaded.run;
  int scored = 0, agreeing = 0;
  for (size_t row = 0; row < r.tokens; ++row) {
    if (r.sample_index[row] != sample_index || !r.predicts_answer[row]) continue;
    const int d = run.analysis.sweep->exit_depth(row, tau);
    ++scored;
    agreeing += d == r.depths || r.top1[r.cell(row, d)] == r.final_top1[row];
  }
  return double(agreeing) / scored;
}

}  // namespace

class TestComparison : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  std::unique_ptr<app::MainWindow> w_;

  app::ComparisonPanel* panel() const { return w_->comparison(); }
  views::ExitDepthHistogram* histograms() const { return panel()->histograms(); }
  views::SampleAgreementTable* table() const { return panel()->table(); }
  void set_tau(double tau) { w_->tradeoff()->controls()->spin_box()->setValue(tau); }
  double tau() const { return w_->tradeoff()->controller()->threshold(); }
  // An analysis that reuses loaded runs may finish before is_idle() is asked: wait for its result instead.
  bool wait_for_runs(size_t count) {
    return QTest::qWaitFor([&] { return w_->is_idle() && w_->tradeoff()->controller()->runs().size() == count; }, 30'000);
  }
  bool show_runs(const QVector<qint64>& ids) {
    w_->workspace_panel()->runs()->set_checked(ids);  // as the user's ticks do
    return wait_for_runs(size_t(ids.size()));
  }
  void show_comparison() {
    w_->comparison_dock()->show();
    w_->comparison_dock()->raise();
    QVERIFY(QTest::qWaitFor([&] { return panel()->isVisible(); }, 5'000));
  }

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("dynamax-test");
    QCoreApplication::setApplicationName("test_comparison");
    w_ = std::make_unique<app::MainWindow>();
    w_->resize(1440, 900);
    w_->show();
    w_->open_workspace(tmp_.filePath("compare.db"));
    QVERIFY(wait_idle(*w_));
    for (const char* model : {"tiny-mistral", "tiny-codestral"})
      QVERIFY(record(*w_, recording(model, app::demo_dataset_spec(), kSamples)));
    QVERIFY(wait_for_runs(2));  // both checked as they appeared
  }
  void cleanupTestCase() { w_.reset(); }

  void dock_is_in_the_window_and_the_view_menu() {
    QCOMPARE(w_->comparison_dock()->objectName(), QString("comparison_dock"));
    QCOMPARE(w_->comparison_dock()->widget(), panel());
    QCOMPARE(w_->dockWidgetArea(w_->comparison_dock()), Qt::BottomDockWidgetArea);
    bool in_menu = false;
    for (QAction* a : w_->findChildren<QAction*>()) in_menu |= a == w_->comparison_dock()->toggleViewAction();
    QVERIFY(in_menu);
    show_comparison();
  }

  void histograms_count_every_token_of_each_run() {
    set_tau(0.6);
    const auto& runs = w_->tradeoff()->controller()->runs();
    QCOMPARE(histograms()->run_count(), 2);
    for (int i = 0; i < 2; ++i) {
      const app::AnalysedRun& run = *runs[size_t(i)];
      const views::RunExitHistogram& h = histograms()->data()[i];
      QCOMPARE(h.run, QString::fromStdString(run.loaded.name));
      QCOMPARE(h.tokens, qint64(run.loaded.run.tokens));
      QCOMPARE(h.tokens, run.loaded.info.tokens);
      QCOMPARE(h.depths(), run.loaded.run.depths);
      QCOMPARE(histograms()->bars(i)->data()->size(), run.loaded.run.depths);
      QCOMPARE(h.color, w_->tradeoff()->controller()->run_color(size_t(i)));
      // the sweep's own histogram at τ, token for token
      const TradeoffPoint p = run.analysis.sweep->at(tau());
      qint64 counted = 0;
      for (int d = 1; d <= h.depths(); ++d) {
        const qint64 n = qRound64(h.shares[d - 1] * double(h.tokens));
        QCOMPARE(n, p.exit_counts[size_t(d - 1)]);
        counted += n;
      }
      QCOMPARE(counted, h.tokens);
      QVERIFY(qAbs(h.mean_depth_fraction - p.block_fraction) < 1e-12);
    }
    QCOMPARE(histograms()->data()[0].depths(), 16);  // tiny-mistral
    QCOMPARE(histograms()->data()[1].depths(), 24);  // tiny-codestral
  }

  void table_has_one_row_per_shared_sample() {
    set_tau(0.6);
    table()->set_only_differences(false);
    table()->view()->sortByColumn(0, Qt::AscendingOrder);
    const views::SampleAgreementData& data = table()->data();
    QVERIFY(data.message.isEmpty());
    QCOMPARE(data.runs.size(), 2);
    QCOMPARE(table()->shown_rows(), kSamples);
    QCOMPARE(table()->view()->model()->columnCount(), 6);
    const auto& runs = w_->tradeoff()->controller()->runs();
    const QStringList labels{"both keep", "both change", "only " + data.runs[0].name + " keeps",
                             "only " + data.runs[1].name + " keeps"};
    for (int s = 0; s < kSamples; ++s) {
      const views::SampleAgreementRow& row = data.rows[s];
      QCOMPARE(row.sample_index, qint64(s));
      QVERIFY2(!row.excerpt.isEmpty(), "the sample shows some of its text");
      QVERIFY2(labels.contains(row.agreement.section(" · ", 0, 0)), qPrintable(row.agreement));
      for (int r = 0; r < 2; ++r) {
        QCOMPARE(row.consistency[r], consistency_by_hand(*runs[size_t(r)], s, tau()));
        QVERIFY(row.mean_depth_fraction[r] > 0 && row.mean_depth_fraction[r] <= 1);
      }
      const bool a_keeps = row.consistency[0] == 1.0, b_keeps = row.consistency[1] == 1.0;
      QCOMPARE(row.runs_differ, a_keeps != b_keeps);
      QCOMPARE(row.agreement.section(" · ", 0, 0),
               a_keeps && b_keeps ? labels[0] : !a_keeps && !b_keeps ? labels[1] : a_keeps ? labels[2] : labels[3]);
      QVERIFY(table()->text(s, 0).startsWith(QString::number(s) + "  "));
    }
  }

  // Higher τ: tokens need more confidence to leave, so none leaves earlier and the mean depth never falls.
  void higher_threshold_never_exits_earlier() {
    QVector<double> previous(2, 0.0);
    QVector<QVector<double>> shares_before;
    for (double t : {0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 1.0}) {
      set_tau(t);
      QCOMPARE(tau(), t);
      QVERIFY(histograms()->title(0).contains(QString::number(histograms()->data()[0].mean_depth_fraction, 'f', 2)));
      for (int i = 0; i < 2; ++i) {
        const double mean = histograms()->data()[i].mean_depth_fraction;
        QVERIFY2(mean >= previous[i], qPrintable(QString("run %1: mean depth %2 at τ %3 after %4").arg(i).arg(mean).arg(t).arg(previous[i])));
        previous[i] = mean;
      }
      if (t == 0.05) shares_before = {histograms()->data()[0].shares, histograms()->data()[1].shares};
    }
    QVERIFY2(histograms()->data()[0].shares != shares_before[0], "the threshold moves the histogram");
    QVERIFY(histograms()->data()[1].shares != shares_before[1]);
  }

  // Another measure is another analysis: the histograms follow its sweep.
  void measure_change_is_followed() {
    set_tau(0.4);
    for (const char* measure : {"margin", "max-prob"}) {
      QSignalSpy analysed(w_->tradeoff()->controller(), &app::TradeoffController::runs_analysed);
      w_->tradeoff()->controls()->set_measure(measure);
      QVERIFY(analysed.wait(30'000));
      const auto& runs = w_->tradeoff()->controller()->runs();
      for (int i = 0; i < 2; ++i) {
        QCOMPARE(runs[size_t(i)]->measure, std::string(measure));
        QVERIFY(qAbs(histograms()->data()[i].mean_depth_fraction - runs[size_t(i)]->analysis.sweep->at(tau()).block_fraction) < 1e-12);
      }
    }
  }

  // A dock closed or behind another tab does no work while the slider moves, and catches up when shown.
  void hidden_dock_catches_up_when_shown_data() {
    QTest::addColumn<bool>("behind_a_tab");
    QTest::newRow("closed") << false;
    QTest::newRow("behind the inspector") << true;
  }
  void hidden_dock_catches_up_when_shown() {
    QFETCH(bool, behind_a_tab);
    set_tau(0.3);
    const double shown_mean = histograms()->data()[0].mean_depth_fraction;
    if (behind_a_tab)
      w_->findChild<QDockWidget*>("inspector_dock")->raise();
    else
      w_->comparison_dock()->hide();
    QTest::qWait(20);
    set_tau(0.9);
    QCOMPARE(histograms()->data()[0].mean_depth_fraction, shown_mean);
    show_comparison();
    QCOMPARE(histograms()->data()[0].mean_depth_fraction,
             w_->tradeoff()->controller()->runs()[0]->analysis.sweep->at(0.9).block_fraction);
  }

  void one_run_alone() {
    QVERIFY(show_runs({1}));
    QCOMPARE(histograms()->run_count(), 1);
    QCOMPARE(table()->shown_rows(), kSamples);
    QCOMPARE(table()->view()->model()->columnCount(), 4);
    QVERIFY(!table()->only_differences()->isEnabled());
    QVERIFY(table()->text(0, 3) == "keeps" || table()->text(0, 3) == "changes");
    QVERIFY(show_runs({1, 2}));
    QCOMPARE(histograms()->run_count(), 2);
  }

  void runs_of_different_datasets_are_not_paired() {
    const std::string other = "text:" + (app::resources_dir() / "prompts/demo_prompts.txt").string() + "#window=32";
    QVERIFY(record(*w_, recording("tiny-mistral", other, 2)));
    QVERIFY(wait_for_runs(3));  // the new run is checked as it appears
    QCOMPARE(histograms()->run_count(), 3);
    QVERIFY2(table()->data().message.contains("different datasets"), qPrintable(table()->data().message));
    QVERIFY(table()->data().message.contains("demo_prompts.txt"));
    QVERIFY(table()->message()->isVisible());
    QCOMPARE(table()->shown_rows(), 0);
    QVERIFY(w_->banner()->text().isEmpty());
    QVERIFY(show_runs({1, 2}));
    QCOMPARE(table()->shown_rows(), kSamples);
  }

  void screenshot() {
    show_comparison();
    set_tau(0.6);
    for (bool dark : {false, true}) {
      w_->set_dark(dark);
      QTest::qWait(50);
      const QImage shot = w_->grab().toImage();
      QCOMPARE(shot.size(), w_->size());
      QString path = qEnvironmentVariable("DYNAMAX_COMPARE_SCREENSHOT");
      if (path.isEmpty()) continue;
      if (dark) path.replace(".png", "-dark.png");
      QVERIFY2(shot.save(path), qPrintable(path));
    }
    w_->set_dark(false);
  }
};

QTEST_MAIN(TestComparison)
#include "test_comparison.moc"
