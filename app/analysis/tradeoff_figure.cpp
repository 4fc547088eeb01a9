#include "app/analysis/tradeoff_figure.h"

#include <cmath>

#include "core/analysis/operating_points.h"
#include "core/analysis/tradeoff_export.h"

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

// A run's name in a compact legend: "model · dataset", with its " #id" only where two runs would read alike, and
// its measure only where the runs' measures differ (else the threshold key names it once).
static QStringList series_names(const std::vector<const RunAnalysis*>& runs, bool one_measure) {
  QStringList bare, out;
  for (const RunAnalysis* r : runs) {
    const QString name = QString::fromStdString(r->run_name);
    const qsizetype hash = name.lastIndexOf(" #");
    bare << (hash > 0 ? name.left(hash) : name);
  }
  for (size_t i = 0; i < runs.size(); ++i) {
    QString name = bare.count(bare[int(i)]) > 1 ? QString::fromStdString(runs[i]->run_name) : bare[int(i)];
    if (!one_measure) name += " " + QString::fromStdString(runs[i]->threshold.label);
    out << name;
  }
  return out;
}

views::PlotData tradeoff_plot_data(const std::vector<const RunAnalysis*>& runs, FigureAxes axes, bool baselines) {
  views::PlotData d;
  d.x_title = compute_axis_title(axes.compute);
  d.y_title = quality_axis_title(axes.quality);
  d.x_is_fraction = true;
  bool one_measure = true;
  for (const RunAnalysis* r : runs) one_measure = one_measure && r->threshold.label == runs.front()->threshold.label;
  const QStringList series = series_names(runs, one_measure);
  const QString threshold_key =
      one_measure && !runs.empty() ? QString("threshold (%1)").arg(QString::fromStdString(runs.front()->threshold.label))
                                   : QString("threshold");
  for (size_t i = 0; i < runs.size(); ++i) {
    const RunAnalysis* r = runs[i];
    const int group = int(i);  // a run's baselines in its own colour, told apart by their dashes and points
    auto add = [&](views::PlotCurve curve, const QString& style) {
      curve.series = series[int(i)];
      curve.style = style;
      d.curves.push_back(std::move(curve));
    };
    add(to_curve(r->threshold, threshold_label(*r), axes, false, group), threshold_key);
    if (!baselines) continue;
    const QString name = QString::fromStdString(r->run_name);
    add(to_curve(r->static_exits, name + " static", axes, true, group), "static");
    add(to_curve(r->oracle, name + " oracle", axes, true, group), "oracle");
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

std::string sweep_csv(const std::vector<const RunAnalysis*>& runs) {
  std::vector<TradeoffCurve> curves;
  for (const RunAnalysis* a : runs)
    for (const TradeoffCurve* c : {&a->threshold, &a->static_exits, &a->oracle, &a->random})
      if (!c->points.empty()) curves.push_back(*c);
  return curves_csv(curves);
}

std::optional<double> cheapest_tau(const RunAnalysis& run, FigureAxes axes, double quality) {
  auto index = cheapest_point_reaching(run.threshold, axes.quality, quality, axes.compute);
  if (!index) return std::nullopt;
  return run.threshold.points[*index].parameter;
}

}  // namespace dynamax::app
