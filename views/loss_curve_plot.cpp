#include "views/loss_curve_plot.h"

#include <qcustomplot.h>

#include <QLabel>
#include <QVBoxLayout>
#include <cmath>

#include "views/plot_theme.h"

namespace dynamax::views {

namespace {

enum Graph { Train, Valid };

QVector<double> values(const QCPGraph* graph) {
  QVector<double> out;
  for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) out << it->value;
  return out;
}

}  // namespace

LossCurvePlot::LossCurvePlot(QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot(this)), status_(new QLabel(this)), summary_(new QLabel(this)) {
  // Okabe–Ito blue and vermillion, as the trade-off plot's first two curves.
  const QColor blue("#0072B2"), vermillion("#D55E00");
  QCPGraph* train = plot_->addGraph();
  train->setName("train");
  train->setPen(QPen(blue, 2));
  train->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, blue, Qt::white, 6));
  QCPGraph* valid = plot_->addGraph();
  valid->setName("validation");
  valid->setPen(QPen(vermillion, 2, Qt::DashLine));
  valid->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, vermillion, Qt::white, 6));
  plot_->xAxis->setLabel("epoch");
  plot_->yAxis->setLabel("loss (weighted BCE)");
  QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
  ticker->setTickStep(1);
  ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
  plot_->xAxis->setTicker(ticker);
  // The legend in a row above the axes: the curves can go anywhere, so no corner inside them is always free.
  plot_->legend->setVisible(true);
  plot_->axisRect()->insetLayout()->take(plot_->legend);
  plot_->plotLayout()->insertRow(0);
  plot_->plotLayout()->addElement(0, 0, plot_->legend);
  plot_->plotLayout()->setRowStretchFactor(0, 0.001);
  plot_->legend->setFillOrder(QCPLegend::foColumnsFirst);
  plot_->legend->setBorderPen(Qt::NoPen);
  plot_->legend->setBrush(Qt::NoBrush);
  plot_->setMinimumHeight(180);
  status_->setWordWrap(true);
  summary_->setWordWrap(true);
  summary_->setTextFormat(Qt::RichText);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(status_);
  layout->addWidget(plot_, 1);
  layout->addWidget(summary_);
  start({}, 1);
  set_dark(false);
}

void LossCurvePlot::set_dark(bool dark) {
  dark_ = dark;
  const PlotTheme theme = dark ? dark_theme() : light_theme();
  plot_->setBackground(theme.background);
  plot_->axisRect()->setBackground(theme.background);
  for (QCPAxis* axis : plot_->axisRect()->axes()) {
    axis->setBasePen(QPen(theme.foreground));
    axis->setTickPen(QPen(theme.foreground));
    axis->setSubTickPen(QPen(theme.foreground));
    axis->setTickLabelColor(theme.foreground);
    axis->setLabelColor(theme.foreground);
    axis->grid()->setPen(QPen(theme.grid, 1, Qt::DotLine));
  }
  plot_->legend->setTextColor(theme.foreground);
  for (int g = 0; g < plot_->graphCount(); ++g) {
    QCPScatterStyle points = plot_->graph(g)->scatterStyle();
    points.setBrush(theme.background);  // hollow points, in either theme
    plot_->graph(g)->setScatterStyle(points);
  }
  plot_->replot();
}

void LossCurvePlot::start(const QString& title, int epochs) {
  epochs_ = std::max(1, epochs);
  plot_->graph(Train)->data()->clear();
  plot_->graph(Valid)->data()->clear();
  plot_->xAxis->setRange(0.5, epochs_ + 0.5);
  plot_->yAxis->setRange(0, 1);
  status_->setText(title);
  summary_->clear();
  summary_->hide();
  plot_->replot();
}

void LossCurvePlot::add_epoch(int epoch, double train_loss, double valid_loss) {
  plot_->graph(Train)->addData(epoch, train_loss);
  plot_->graph(Valid)->addData(epoch, valid_loss);
  bool found = false;
  QCPRange y = plot_->graph(Train)->getValueRange(found);
  y.expand(plot_->graph(Valid)->getValueRange(found));
  const double pad = std::max(0.05 * y.size(), 0.01);
  plot_->yAxis->setRange(std::max(0.0, y.lower - pad), y.upper + pad);
  plot_->xAxis->setRange(0.5, std::max(epochs_, epoch) + 0.5);
  plot_->replot();  // once per epoch: cheap, and a screenshot taken now shows it
}

void LossCurvePlot::set_status(const QString& text) { status_->setText(text); }

void LossCurvePlot::set_validation(const QVector<ExitAuroc>& exits) {
  QString rows;
  for (const ExitAuroc& e : exits) {
    const QString value = std::isnan(e.auroc) ? QString("–")
                                              : QString("%1 ± %2").arg(e.auroc, 0, 'f', 3).arg(1.96 * e.auroc_se, 0, 'f', 3);
    rows += QString("<tr><td align='right'>%1</td><td>&nbsp;&nbsp;%2</td></tr>").arg(e.depth).arg(value);
  }
  summary_->setText("<b>Validation AUROC</b> (± 1.96 SE)<table><tr><th align='right'>depth</th><th></th></tr>" + rows +
                    "</table>");
  summary_->setVisible(!exits.isEmpty());
}

int LossCurvePlot::epoch_count() const { return plot_->graph(Train)->dataCount(); }

QVector<double> LossCurvePlot::train_losses() const { return values(plot_->graph(Train)); }

QVector<double> LossCurvePlot::valid_losses() const { return values(plot_->graph(Valid)); }

QString LossCurvePlot::summary() const { return summary_->isHidden() ? QString() : summary_->text(); }

}  // namespace dynamax::views
