#include "views/exit_depth_histogram.h"

#include <qcustomplot.h>

#include <QVBoxLayout>
#include <cmath>

#include "views/plot_axis_ticker.h"
#include "views/plot_theme.h"
#include "views/plot_tooltip.h"

namespace dynamax::views {

namespace {

// Depth ticks on whole numbers, 1, 2, 4, 8, ... blocks apart, as many as fit a panel of `width_px` with room for
// three label widths each (never more than 8): side by side, narrow panels would run their labels together.
double depth_tick_step(int depths, int width_px, int label_px) {
  const int fitting = std::clamp(width_px / std::max(1, 3 * label_px), 2, 8);
  double step = 1;
  while (depths / step > fitting) step *= 2;
  return step;
}

// The shared y scale: the tallest bar of any run plus a little headroom, rounded up to a tick.
double share_axis_top(const QVector<RunExitHistogram>& runs) {
  double top = 0;
  for (const RunExitHistogram& r : runs)
    for (double s : r.shares)
      if (std::isfinite(s)) top = std::max(top, s);
  const double step = top > 0.5 ? 0.1 : 0.05;
  return std::clamp(std::ceil(top * 1.05 / step) * step, 0.05, 1.0);
}

bool same_shape(const QVector<RunExitHistogram>& a, const QVector<RunExitHistogram>& b) {
  if (a.size() != b.size()) return false;
  for (int i = 0; i < a.size(); ++i)
    if (a[i].depths() != b[i].depths()) return false;
  return true;
}

}  // namespace

ExitDepthHistogram::ExitDepthHistogram(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_);
  plot_->setLocale(QLocale::c());
  plot_->setMouseTracking(true);
  plot_->setMinimumSize(240, 160);
  connect(plot_, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
    const QPoint pixel = event->position().toPoint();
    show_plot_tooltip(plot_, pixel, hover_text_at(pixel));
  });
  rebuild_panels();
  style();
  plot_->replot();
}

QString ExitDepthHistogram::title_text(const RunExitHistogram& run) {
  // One line per part ("model", "dataset #id", the mean): long names must not run into the next run's title.
  return QString("%1\nmean exit depth %2 L").arg(QString(run.run).replace(" · ", "\n")).arg(run.mean_depth_fraction, 0, 'f', 2);
}

QString ExitDepthHistogram::title(int run) const {
  return run >= 0 && run < panels_.size() ? panels_[run].title->text() : QString();
}

void ExitDepthHistogram::set_data(const QVector<RunExitHistogram>& runs) {
  const bool reshape = !same_shape(runs, runs_) || panels_.isEmpty() != runs.isEmpty();
  runs_ = runs;
  if (reshape) {
    rebuild_panels();
    style();
  }
  fill_panels();
  plot_->replot();
}

void ExitDepthHistogram::set_dark(bool dark) {
  dark_ = dark;
  style();
  plot_->replot();
}

void ExitDepthHistogram::rebuild_panels() {
  delete margins_;  // before the layout goes: it unregisters the axis rects it aligns
  margins_ = nullptr;
  plot_->clearPlottables();
  plot_->plotLayout()->clear();
  panels_.clear();
  placeholder_ = nullptr;
  if (runs_.isEmpty()) {
    placeholder_ = new QCPTextElement(plot_, "No runs to compare: check runs in the Runs list.");
    plot_->plotLayout()->addElement(0, 0, placeholder_);
    return;
  }
  margins_ = new QCPMarginGroup(plot_);
  for (int i = 0; i < runs_.size(); ++i) {
    Panel panel;
    panel.title = new QCPTextElement(plot_);
    panel.rect = new QCPAxisRect(plot_);
    plot_->plotLayout()->addElement(0, i, panel.title);
    plot_->plotLayout()->addElement(1, i, panel.rect);
    // Plot areas line up across runs: same top and bottom edges, so equal shares stand equally high.
    panel.rect->setMarginGroup(QCP::msTop | QCP::msBottom, margins_);
    QCPAxis* x = panel.rect->axis(QCPAxis::atBottom);
    QCPAxis* y = panel.rect->axis(QCPAxis::atLeft);
    auto depth_ticker = QSharedPointer<QCPAxisTickerFixed>::create();
    depth_ticker->setScaleStrategy(QCPAxisTickerFixed::ssNone);
    x->setTicker(depth_ticker);
    x->setRange(0.5, runs_[i].depths() + 0.5);
    x->setLabel("exit depth");
    x->grid()->setVisible(false);  // vertical lines would cut through the bars
    y->setTicker(QSharedPointer<QCPAxisTicker>(new PlotTicker(true)));
    y->setLabel(i == 0 ? "share of tokens" : QString());
    y->setTickLabels(i == 0);  // one scale for all: labelled once
    panel.bars = new QCPBars(x, y);
    panel.bars->setWidth(0.8);
    panels_.push_back(panel);
  }
}

void ExitDepthHistogram::fit_depth_ticks() {
  for (int i = 0; i < panels_.size(); ++i) {
    auto ticker = panels_[i].rect->axis(QCPAxis::atBottom)->ticker().dynamicCast<QCPAxisTickerFixed>();
    const int label_px = QFontMetrics(font()).horizontalAdvance(QString::number(runs_[i].depths()));
    if (ticker) ticker->setTickStep(depth_tick_step(runs_[i].depths(), std::max(width(), 200) / int(panels_.size()), label_px));
  }
}

void ExitDepthHistogram::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  fit_depth_ticks();
  plot_->replot();
}

void ExitDepthHistogram::fill_panels() {
  fit_depth_ticks();
  const double top = share_axis_top(runs_);
  for (int i = 0; i < panels_.size(); ++i) {
    const RunExitHistogram& run = runs_[i];
    QVector<double> depths(run.depths());
    for (int d = 0; d < depths.size(); ++d) depths[d] = d + 1;
    panels_[i].bars->setData(depths, run.shares, true);
    panels_[i].bars->setBrush(run.color);
    panels_[i].bars->setPen(QPen(run.color.darker(125), 1));
    panels_[i].title->setText(title_text(run));
    panels_[i].rect->axis(QCPAxis::atLeft)->setRange(0, top);
  }
}

void ExitDepthHistogram::style() {
  const PlotTheme theme = dark_ ? dark_theme() : light_theme();
  const QFont font = this->font();
  QFont bold = font;
  bold.setBold(true);
  plot_->setBackground(theme.background);
  if (placeholder_) {
    placeholder_->setFont(font);
    placeholder_->setTextColor(theme.hidden_text);
  }
  for (const Panel& panel : panels_) {
    panel.title->setFont(bold);
    panel.title->setTextColor(theme.foreground);
    for (QCPAxis* axis : panel.rect->axes()) {
      const QPen pen(theme.foreground, 1);
      axis->setBasePen(pen);
      axis->setTickPen(pen);
      axis->setSubTicks(false);
      axis->setTickLabelFont(font);
      axis->setLabelFont(font);
      axis->setTickLabelColor(theme.foreground);
      axis->setLabelColor(theme.foreground);
      axis->grid()->setPen(QPen(theme.grid, 1));
      axis->grid()->setZeroLinePen(Qt::NoPen);
    }
  }
}

QString ExitDepthHistogram::hover_text_at(QPoint pixel) const {
  for (int i = 0; i < panels_.size(); ++i) {
    if (!panels_[i].rect->rect().contains(pixel)) continue;
    const RunExitHistogram& run = runs_[i];
    const int depth = qRound(panels_[i].rect->axis(QCPAxis::atBottom)->pixelToCoord(pixel.x()));
    if (depth < 1 || depth > run.depths()) return {};
    const double share = run.shares[depth - 1];
    return QString("%1\nexit depth %2 of %3: %4 % of tokens (%5 of %6)")
        .arg(run.run)
        .arg(depth)
        .arg(run.depths())
        .arg(share * 100.0, 0, 'f', 1)
        .arg(qRound64(share * double(run.tokens)))
        .arg(run.tokens);
  }
  return {};
}

}  // namespace dynamax::views
