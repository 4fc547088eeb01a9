// The interactive trade-off plot, rendered offscreen: curves drawn in their colours, markers that
// follow set_markers, legend clicks that hide a curve, hover values, zoom reset and the dark theme.
#include <qcustomplot.h>

#include <QtTest>

#include "views/tradeoff_plot.h"

using namespace dynamax::views;

namespace {

// Two rising trade-off curves and a dashed baseline, as the analysis would hand them over.
PlotData sample_data() {
  PlotData data;
  data.x_title = "Compute (blocks)";
  data.y_title = "Consistency";
  PlotCurve mistral{"tiny-mistral", {0.5, 0.625, 0.75, 0.875, 1.0}, {0.40, 0.66, 0.82, 0.93, 1.0}, false, false, {}};
  PlotCurve codestral{"tiny-codestral", {0.5, 0.625, 0.75, 0.875, 1.0}, {0.30, 0.52, 0.70, 0.86, 1.0}, false, false, {}};
  PlotCurve statics{"static exits", {0.5, 0.625, 0.75, 0.875, 1.0}, {0.20, 0.35, 0.55, 0.75, 1.0}, true, false, {}};
  data.curves = {mistral, codestral, statics};
  return data;
}

QImage render(TradeoffPlot& widget) {
  widget.plot()->replot();
  return widget.plot()->grab().toImage();
}

bool close_to(QColor a, QColor b, int tolerance = 60) {
  return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue()) <= tolerance;
}

// Pixels of a colour within a square of half-width r around a point.
int count_near(const QImage& image, QPointF centre, QColor color, int r) {
  int count = 0;
  for (int dy = -r; dy <= r; ++dy)
    for (int dx = -r; dx <= r; ++dx) {
      const QPoint p = centre.toPoint() + QPoint(dx, dy);
      if (image.rect().contains(p) && close_to(image.pixelColor(p), color)) ++count;
    }
  return count;
}

// Share of points along a curve's segments (in pixels) that show the curve's colour nearby.
double share_of_curve_drawn(TradeoffPlot& widget, const QImage& image, int curve) {
  const QCPGraph* graph = widget.plot()->graph(curve);
  const QColor color = widget.curve_color(curve);
  int probes = 0, hits = 0;
  for (auto it = graph->data()->constBegin(); it + 1 != graph->data()->constEnd(); ++it) {
    const QPointF a = graph->coordsToPixels(it->key, it->value);
    const QPointF b = graph->coordsToPixels((it + 1)->key, (it + 1)->value);
    for (double t = 0.2; t < 0.85; t += 0.1, ++probes)
      if (count_near(image, a + (b - a) * t, color, 1) > 0) ++hits;
  }
  return double(hits) / probes;
}

QPointF marker_pixel(TradeoffPlot& widget, int marker) {
  const QPointF at = widget.marker_positions()[marker];
  return {widget.plot()->xAxis->coordToPixel(at.x()), widget.plot()->yAxis->coordToPixel(at.y())};
}

}  // namespace

class TestTradeoffPlot : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<TradeoffPlot> widget_;

 private slots:
  void init() {
    widget_ = std::make_unique<TradeoffPlot>();
    widget_->resize(720, 480);
    widget_->show();
    QVERIFY(QTest::qWaitForWindowExposed(widget_.get()));
    widget_->set_data(sample_data());
  }
  void cleanup() { widget_.reset(); }

  void draws_one_graph_per_curve_in_its_colour() {
    QCOMPARE(widget_->curve_count(), 3);
    QCOMPARE(widget_->plot()->graphCount(), 3);
    const QImage image = render(*widget_);
    QCOMPARE(share_of_curve_drawn(*widget_, image, 0), 1.0);
    QCOMPARE(share_of_curve_drawn(*widget_, image, 1), 1.0);
    const double dashed = share_of_curve_drawn(*widget_, image, 2);
    QVERIFY2(dashed > 0.3 && dashed < 1.0, qPrintable(QString("baseline drawn at %1 of probes").arg(dashed)));
    QVERIFY(widget_->curve_color(0) != widget_->curve_color(1));
    QVERIFY(widget_->curve_color(1) != widget_->curve_color(2));
  }

  void compute_axis_shows_percent_from_0_to_100() {
    render(*widget_);
    const QVector<QString> labels = widget_->plot()->xAxis->tickVectorLabels();
    QVERIFY2(labels.contains("0%") && labels.contains("100%"), qPrintable(QStringList(labels.toList()).join(' ')));
  }

  void markers_follow_set_markers() {
    widget_->set_markers({{"tiny-mistral", 0.75, 0.82, "τ = 0.8"}});
    QCOMPARE(widget_->marker_positions(), QVector<QPointF>{QPointF(0.75, 0.82)});
    QImage image = render(*widget_);
    const QPointF first = marker_pixel(*widget_, 0);
    const QColor color = widget_->curve_color(0);
    QVERIFY2(count_near(image, first, color, 3) >= 30, "no filled disc at the marker");

    QCPGraph* graph_before = widget_->plot()->graph(0);
    widget_->set_markers({{"tiny-mistral", 0.875, 0.93, "τ = 0.9"}});
    QCOMPARE(widget_->plot()->graph(0), graph_before);  // curves were not rebuilt
    image = widget_->plot()->grab().toImage();  // no full replot: set_markers redrew the markers' layer
    const QPointF second = marker_pixel(*widget_, 0);
    QVERIFY(QLineF(first, second).length() > 20);
    QVERIFY2(count_near(image, second, color, 3) >= 30, "the disc did not move to the new point");
    QVERIFY2(count_near(image, first, color, 3) < 20, "the disc is still at the old point");
  }

  void markers_of_an_unknown_curve_are_still_drawn() {
    widget_->set_markers({{"no such curve", 0.6, 0.5, "?"}});
    QCOMPARE(widget_->marker_positions().size(), 1);
    const QImage image = render(*widget_);
    QVERIFY(count_near(image, marker_pixel(*widget_, 0), widget_->plot()->xAxis->basePen().color(), 3) >= 20);
  }

  void legend_click_hides_and_shows_a_curve() {
    QSignalSpy toggled(widget_.get(), &TradeoffPlot::curve_visibility_changed);
    render(*widget_);
    const QPoint entry = widget_->plot()->legend->item(1)->rect().center();
    QTest::mouseClick(widget_->plot(), Qt::LeftButton, Qt::NoModifier, entry);
    QVERIFY(!widget_->curve_visible(1));
    QCOMPARE(toggled.size(), 1);
    QCOMPARE(share_of_curve_drawn(*widget_, render(*widget_), 1), 0.0);
    QCOMPARE(share_of_curve_drawn(*widget_, render(*widget_), 0), 1.0);

    QTest::mouseClick(widget_->plot(), Qt::LeftButton, Qt::NoModifier, entry);
    QVERIFY(widget_->curve_visible(1));
    QCOMPARE(share_of_curve_drawn(*widget_, render(*widget_), 1), 1.0);
  }

  void legend_does_not_cover_the_curves() {
    render(*widget_);
    const QRect legend = widget_->plot()->legend->outerRect();
    for (int c = 0; c < widget_->curve_count(); ++c) {
      const QCPGraph* graph = widget_->plot()->graph(c);
      for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
        QVERIFY(!legend.contains(graph->coordsToPixels(it->key, it->value).toPoint()));
    }
  }

  void legend_moves_below_when_every_corner_is_taken() {
    PlotData crowded = sample_data();
    for (double y : {0.0, 1.0}) {  // flat lines along the bottom and the top edge
      PlotCurve edge;
      edge.label = QString("flat at %1").arg(y);
      edge.x = {0.0, 1.0};
      edge.y = {y, y};
      crowded.curves.push_back(edge);
    }
    widget_->set_data(crowded);
    render(*widget_);
    QCustomPlot* plot = widget_->plot();
    QVERIFY2(plot->legend->outerRect().top() >= plot->axisRect()->outerRect().bottom(), "legend is not below the plot");
    QVERIFY(plot->legend->outerRect().width() < plot->axisRect()->width());  // entries side by side, not stretched
    QVERIFY(plot->legend->outerRect().height() < 3 * plot->legend->item(0)->outerRect().height());

    widget_->set_data(sample_data());  // room again inside the axes: the legend returns there
    render(*widget_);
    QVERIFY(plot->axisRect()->rect().contains(plot->legend->outerRect()));
    QCOMPARE(plot->plotLayout()->rowCount(), 1);
  }

  void hover_names_the_nearest_point() {
    render(*widget_);
    const QCPGraph* graph = widget_->plot()->graph(0);
    const QPoint near_point = (graph->coordsToPixels(0.75, 0.82) + QPointF(3, -2)).toPoint();
    const QString text = widget_->hover_text_at(near_point);
    QVERIFY2(text.contains("tiny-mistral") && text.contains("75.0%") && text.contains("0.82"), qPrintable(text));
    QVERIFY(widget_->hover_text_at(QPoint(2, 2)).isEmpty());
  }

  void reset_view_undoes_zoom() {
    widget_->plot()->xAxis->setRange(0.6, 0.7);
    widget_->plot()->yAxis->setRange(0.5, 0.6);
    widget_->reset_view();
    QCOMPARE(widget_->plot()->xAxis->range().lower, -0.02);
    QCOMPARE(widget_->plot()->xAxis->range().upper, 1.02);
    QVERIFY(widget_->plot()->yAxis->range().contains(0.2) && widget_->plot()->yAxis->range().contains(1.0));
  }

  void dark_theme_darkens_the_background() {
    const QPoint corner(3, 3);
    QVERIFY(render(*widget_).pixelColor(corner).lightness() > 200);
    widget_->set_dark(true);
    QVERIFY(widget_->is_dark());
    const QImage dark = render(*widget_);
    QVERIFY(dark.pixelColor(corner).lightness() < 60);
    QCOMPARE(share_of_curve_drawn(*widget_, dark, 0), 1.0);
  }
};

QTEST_MAIN(TestTradeoffPlot)
#include "test_tradeoff_plot.moc"
