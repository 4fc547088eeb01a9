#include "app/analysis/tradeoff_figure.h"

#include <cmath>

#include "core/analysis/operating_points.h"

namespace dynamax::app {

QString compute_axis_title(ComputeAxis axis) {
  return axis == ComputeAxis::Blocks ? "Compute (% of blocks)" : "Compute (% of FLOPs)";
}

QString quality_axis_title(QualityAxis axis) {
  switch (axis) {
    case QualityAxis::Consistency: return "Token consistency";
    case QualityAxis::Accuracy: return "Token accuracy";
    case QualityAxis::AnswerAgreement: return "Answer agreement";
  }
  return {};
}

QString threshold_label(const RunAnalysis& run) {
  return QString::fromStdString(run.run_name + " " + run.threshold.label);
}

static views::PlotCurve to_curve(const TradeoffCurve& curve, const QString& label, FigureAxes axes, bool baseline,
                                 int group) {
  views::PlotCurve c;
  c.label = label;
  c.color_group = group;
  c.baseline = baseline;
  c.scatter = curve.kind == CurveKind::Static;  // one point per depth: a line between them would invent policies
  for (const TradeoffPoint& p : curve.points) {
    const double y = quality_of(p, axes.quality);
    if (std::isnan(y)) continue;
    c.x.push_back(compute_of(p, axes.compute));
    c.y.push_back(y);
  }
  return c;
}

views::PlotData tradeoff_plot_data(const std::vector<const RunAnalysis*>& runs, FigureAxes axes, bool baselines) {
  views::PlotData d;
  d.x_title = compute_axis_title(axes.compute);
  d.y_title = quality_axis_title(axes.quality);
  d.x_is_fraction = true;
  for (size_t i = 0; i < runs.size(); ++i) {
    const RunAnalysis* r = runs[i];
    const int group = int(i);  // a run's baselines in its own colour, told apart by their dashes and points
    d.curves.push_back(to_curve(r->threshold, threshold_label(*r), axes, false, group));
    if (!baselines) continue;
    const QString name = QString::fromStdString(r->run_name);
    d.curves.push_back(to_curve(r->static_exits, name + " static", axes, true, group));
    d.curves.push_back(to_curve(r->oracle, name + " oracle", axes, true, group));
  }
  return d;
}

QVector<views::OperatingPoint> markers_at(const std::vector<const RunAnalysis*>& runs, FigureAxes axes, double tau) {
  QVector<views::OperatingPoint> out;
  for (const RunAnalysis* r : runs) {
    const TradeoffPoint p = r->sweep->at(tau);
    const double y = quality_of(p, axes.quality);
    if (std::isnan(y)) continue;
    out.push_back({threshold_label(*r), compute_of(p, axes.compute), y, QString("τ = %1").arg(tau, 0, 'g', 3)});
  }
  return out;
}

std::optional<double> cheapest_tau(const RunAnalysis& run, FigureAxes axes, double quality) {
  auto index = cheapest_point_reaching(run.threshold, axes.quality, quality, axes.compute);
  if (!index) return std::nullopt;
  return run.threshold.points[*index].parameter;
}

}  // namespace dynamax::app
