// The exit-depth histograms, rendered offscreen: one plot per run side by side, one bar per depth of the run's own
// range with the height of its share, drawn in the run's colour inside its own plot only, one y scale for all,
// titles with the mean exit depth, updates in place at slider rate, hover text, no runs, and the dark theme.
#include <qcustomplot.h>

#include <QtTest>
#include <numeric>

#include "views/exit_depth_histogram.h"

using namespace dynamax::views;

namespace {

// A run of L depths whose tokens exit as `counts` say (one count per depth).
RunExitHistogram run_of(const QString& name, QColor color, const QList<int>& counts) {
  RunExitHistogram h;
  h.run = name;
  h.color = color;
  h.tokens = std::accumulate(counts.begin(), counts.end(), 0);
  double depth_sum = 0;
  for (int d = 0; d < counts.size(); ++d) {
    h.shares.push_back(double(counts[d]) / double(h.tokens));
    depth_sum += double(d + 1) * counts[d];
  }
  h.mean_depth_fraction = depth_sum / double(h.tokens) / counts.size();
  return h;
}

// Counts exiting at each of L depths: most tokens early, some at L (never confident enough).
QList<int> counts_for(int depths, int seed) {
  QList<int> counts;
  for (int d = 1; d <= depths; ++d) counts.push_back(d == depths ? 20 + seed : (d * 7 + seed * 3) % 11);
  return counts;
}

const QColor kColors[] = {QColor("#0072B2"), QColor("#D55E00"), QColor("#009E73")};

bool close_to(QColor a, QColor b, int tolerance = 40) {
  return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue()) <= tolerance;
}

int pixels_of(const QImage& image, QRect area, QColor color) {
  int count = 0;
  for (int y = area.top(); y <= area.bottom(); ++y)
    for (int x = area.left(); x <= area.right(); ++x)
      if (image.rect().contains(x, y) && close_to(image.pixelColor(x, y), color)) ++count;
  return count;
}

QImage render(ExitDepthHistogram& widget) {
  widget.plot()->replot();
  return widget.plot()->grab().toImage();
}

}  // namespace

class TestExitDepthHistogram : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<ExitDepthHistogram> widget_;

 private slots:
  void init() {
    widget_ = std::make_unique<ExitDepthHistogram>();
    widget_->resize(900, 320);
    widget_->show();
    QVERIFY(QTest::qWaitForWindowExposed(widget_.get()));
  }
  void cleanup() { widget_.reset(); }

  void bars_per_run_equal_the_shares_data() {
    QTest::addColumn<QList<int>>("depths");  // L of each run
    QTest::newRow("one run") << QList<int>{16};
    QTest::newRow("mistral vs codestral") << QList<int>{16, 24};
    QTest::newRow("three runs, 7B depths") << QList<int>{32, 64, 16};
  }
  void bars_per_run_equal_the_shares() {
    QFETCH(QList<int>, depths);
    QVector<RunExitHistogram> runs;
    for (int i = 0; i < depths.size(); ++i)
      runs.push_back(run_of(QString("model-%1 #%2").arg(depths[i]).arg(i + 1), kColors[i], counts_for(depths[i], i)));
    widget_->set_data(runs);
    const QImage image = render(*widget_);
    QCOMPARE(widget_->run_count(), int(depths.size()));

    for (int i = 0; i < depths.size(); ++i) {
      const QCPBars* bars = widget_->bars(i);
      QCOMPARE(bars->data()->size(), depths[i]);
      double total = 0;
      int d = 1;
      for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it, ++d) {
        QCOMPARE(it->key, double(d));
        QCOMPARE(it->value, runs[i].shares[d - 1]);  // bar height = the share of tokens exiting at d
        total += it->value;
      }
      QVERIFY(qAbs(total - 1.0) < 1e-12);
      // the run's own depth range on x; one y scale for all runs
      const QCPAxisRect* rect = widget_->axis_rect(i);
      QCOMPARE(rect->axis(QCPAxis::atBottom)->range(), QCPRange(0.5, depths[i] + 0.5));
      QCOMPARE(rect->axis(QCPAxis::atLeft)->range(), widget_->axis_rect(0)->axis(QCPAxis::atLeft)->range());
      QCOMPARE(rect->rect().top(), widget_->axis_rect(0)->rect().top());
      QCOMPARE(rect->rect().bottom(), widget_->axis_rect(0)->rect().bottom());
      // plots side by side, left to right in run order
      if (i > 0) QVERIFY(rect->rect().left() > widget_->axis_rect(i - 1)->rect().right());
      QVERIFY(widget_->title(i).startsWith(runs[i].run));
      QVERIFY2(widget_->title(i).contains(QString::number(runs[i].mean_depth_fraction, 'f', 2) + " L"),
               qPrintable(widget_->title(i)));

      // drawn: the tallest bar's middle shows the run's colour, and no other run's colour is in this plot
      const int tallest = int(std::max_element(runs[i].shares.begin(), runs[i].shares.end()) - runs[i].shares.begin());
      const QPointF middle = bars->coordsToPixels(tallest + 1, runs[i].shares[tallest] / 2);
      QVERIFY(close_to(image.pixelColor(middle.toPoint()), kColors[i]));
      QVERIFY(pixels_of(image, rect->rect(), kColors[i]) > 50);
      for (int j = 0; j < depths.size(); ++j)
        if (j != i) QCOMPARE(pixels_of(image, rect->rect(), kColors[j]), 0);
      // the bar's drawn height is its share on the shared scale
      const double top_px = bars->coordsToPixels(tallest + 1, runs[i].shares[tallest]).y();
      const double base_px = bars->coordsToPixels(tallest + 1, 0).y();
      QVERIFY(close_to(image.pixelColor(QPoint(qRound(middle.x()), qRound(top_px) + 2)), kColors[i]));
      QVERIFY(!close_to(image.pixelColor(QPoint(qRound(middle.x()), qRound(top_px) - 3)), kColors[i]));
      QVERIFY(base_px > top_px);
    }
  }

  // The slider: new shares for the same runs move the bars without rebuilding the plots.
  void new_shares_update_in_place() {
    widget_->set_data({run_of("a #1", kColors[0], {1, 1, 2}), run_of("b #2", kColors[1], {2, 2})});
    const QCPBars* before = widget_->bars(0);
    widget_->set_data({run_of("a #1", kColors[0], {0, 0, 4}), run_of("b #2", kColors[1], {0, 4})});
    QCOMPARE(widget_->bars(0), before);
    QCOMPARE(widget_->bars(0)->data()->at(2)->value, 1.0);
    QVERIFY(widget_->title(0).contains("1.00 L"));
    // another depth range rebuilds that plot
    widget_->set_data({run_of("a #1", kColors[0], {1, 1, 1, 1}), run_of("b #2", kColors[1], {0, 4})});
    QCOMPARE(widget_->bars(0)->data()->size(), 4);
    QCOMPARE(widget_->axis_rect(0)->axis(QCPAxis::atBottom)->range(), QCPRange(0.5, 4.5));
  }

  void hover_names_the_depth_and_share() {
    widget_->set_data({run_of("tiny-mistral #1", kColors[0], {10, 30, 60})});
    render(*widget_);
    const QPointF bar = widget_->bars(0)->coordsToPixels(3, 0.3);
    const QString text = widget_->hover_text_at(bar.toPoint());
    QVERIFY2(text.contains("tiny-mistral #1") && text.contains("exit depth 3 of 3") && text.contains("60.0 %") &&
                 text.contains("60 of 100"),
             qPrintable(text));
    QVERIFY(widget_->hover_text_at(QPoint(1, 1)).isEmpty());
  }

  void no_runs_and_back() {
    widget_->set_data({run_of("a #1", kColors[0], {1, 1})});
    widget_->set_data({});
    QCOMPARE(widget_->run_count(), 0);
    QVERIFY(widget_->bars(0) == nullptr);
    QVERIFY(!render(*widget_).isNull());
    widget_->set_data({run_of("a #1", kColors[0], {1, 1})});
    QCOMPARE(widget_->run_count(), 1);
  }

  void dark_theme_darkens_the_background() {
    widget_->set_data({run_of("a #1", kColors[0], {1, 3})});
    widget_->set_dark(true);
    const QImage dark = render(*widget_);
    QVERIFY(dark.pixelColor(2, dark.height() / 2).lightness() < 80);
    widget_->set_dark(false);
    const QImage light = render(*widget_);
    QVERIFY(light.pixelColor(2, light.height() / 2).lightness() > 200);
  }
};

QTEST_MAIN(TestExitDepthHistogram)
#include "test_exit_depth_histogram.moc"
