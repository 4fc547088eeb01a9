#include "views/tradeoff_plot.h"

#include <qcustomplot.h>

#include <QLabel>
#include <algorithm>
#include <QVBoxLayout>

#include "views/plot_legend_placement.h"
#include "views/plot_tooltip.h"

namespace dynamax::views {

namespace {

constexpr double kHoverRadiusPx = 12.0;

FigureLook screen_look(const QFont& font) {
  FigureLook look;
  look.font = font;
  look.line_width = 2.0;
  return look;
}

QString format_x(double x, bool fraction) {
  return fraction ? QString::number(x * 100.0, 'f', 1) + "%" : QString::number(x, 'g', 4);
}

}  // namespace

TradeoffPlot::TradeoffPlot(QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot(this)), placeholder_(new QLabel(plot_)), look_(screen_look(font())),
      figure_(plot_, look_) {
  placeholder_->setAlignment(Qt::AlignCenter);
  placeholder_->setWordWrap(true);
  placeholder_->setAttribute(Qt::WA_TransparentForMouseEvents);
  placeholder_->setAutoFillBackground(true);
  placeholder_->setFrameShape(QFrame::StyledPanel);
  placeholder_->setMargin(12);
  QFont large = font();
  large.setPointSizeF(large.pointSizeF() * 1.25);
  placeholder_->setFont(large);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_);
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  plot_->setPlottingHint(QCP::phFastPolylines);  // half the replot time on screen; exports keep true joins
  plot_->setMouseTracking(true);
  connect(plot_, &QCustomPlot::legendClick, this, [this](QCPLegend*, QCPAbstractLegendItem* item, QMouseEvent*) {
    auto* entry = qobject_cast<QCPPlottableLegendItem*>(item);
    const int curve = entry ? figure_.curve_of(qobject_cast<QCPGraph*>(entry->plottable())) : -1;
    if (curve >= 0) set_curve_visible(curve, !figure_.curve_visible(curve));
  });
  connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this](QMouseEvent*) { reset_view(); });
  connect(plot_, &QCustomPlot::mouseMove, this, &TradeoffPlot::show_hover);
}

void TradeoffPlot::set_placeholder(const QString& text) {
  placeholder_->setText(text);
  update_placeholder();
}

QString TradeoffPlot::placeholder() const { return placeholder_->isHidden() ? QString() : placeholder_->text(); }

// A card in the middle of the empty axes, on the window colour so that no grid line or tick runs through it.
void TradeoffPlot::update_placeholder() {
  placeholder_->setVisible(figure_.curve_count() == 0 && !placeholder_->text().isEmpty());
  const int width = std::min(plot_->width() - 80, 46 * placeholder_->fontMetrics().averageCharWidth() + 40);
  const int height = placeholder_->heightForWidth(width) + 8;
  placeholder_->setGeometry(QRect(0, 0, std::max(width, 100), height).translated(plot_->rect().center() - QPoint(width / 2, height / 2)));
  placeholder_->raise();
}

void TradeoffPlot::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  update_placeholder();
}

void TradeoffPlot::set_data(const PlotData& data) {
  figure_.set_data(data);
  update_placeholder();
  place_legend(plot_);
  figure_.separate_marker_labels();  // no τ label over another
  plot_->replot();
}

void TradeoffPlot::set_markers(const QVector<OperatingPoint>& markers) {
  figure_.set_markers(markers);
  figure_.separate_marker_labels();
  figure_.marker_layer()->replot();  // only the markers' layer: the curves are not redrawn
}

void TradeoffPlot::reset_view() {
  figure_.reset_view();
  place_legend(plot_);
  figure_.separate_marker_labels();
  plot_->replot();
}

void TradeoffPlot::set_dark(bool dark) {
  look_.dark = dark;
  figure_.set_look(look_);
  place_legend(plot_);
  plot_->replot();
}

void TradeoffPlot::set_curve_visible(int curve, bool visible) {
  if (curve < 0 || curve >= figure_.curve_count() || figure_.curve_visible(curve) == visible) return;
  figure_.set_curve_visible(curve, visible);
  plot_->replot();
  emit curve_visibility_changed(curve, visible);
}

QString TradeoffPlot::hover_text_at(QPoint pixel) const {
  const std::optional<NearestPoint> point = figure_.nearest_point(pixel, kHoverRadiusPx);
  if (!point) return {};
  const PlotData& data = figure_.data();
  const PlotCurve& curve = data.curves[point->curve];
  const QString x_name = data.x_title.isEmpty() ? QStringLiteral("x") : data.x_title;
  const QString y_name = data.y_title.isEmpty() ? QStringLiteral("y") : data.y_title;
  QString y = QString::number(point->y, 'g', 4);
  if (!curve.tooltip_unit.isEmpty()) y += " " + curve.tooltip_unit;
  return QString("%1\n%2: %3\n%4: %5").arg(curve.label, x_name, format_x(point->x, data.x_is_fraction), y_name, y);
}

void TradeoffPlot::show_hover(QMouseEvent* event) {
  const QPoint pixel = event->position().toPoint();
  show_plot_tooltip(plot_, pixel, hover_text_at(pixel));
}

}  // namespace dynamax::views
