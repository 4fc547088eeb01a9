#include "app/analysis/certified_region.h"

#include <cmath>

namespace dynamax::app {

namespace {

QString tau_text(double tau) {
  return std::isfinite(tau) ? QString::number(tau, 'g', 4) : QString(tau > 0 ? "+∞" : "−∞");
}

}  // namespace

views::PlotCurve certified_region(const RunAnalysis& run, const ThresholdCalibration& calibration, FigureAxes axes,
                                  int color_group) {
  views::PlotCurve band;
  band.label = certified_label(run, calibration);
  band.color_group = color_group;
  band.highlight = true;
  for (const CandidateTest& t : calibration.certificate.candidates) {
    if (t.status != CandidateStatus::Certified) break;
    const TradeoffPoint p = run.sweep->at(t.threshold);
    const double y = quality_of(p, axes.quality);
    if (std::isnan(y)) continue;
    band.x.push_back(compute_of(p, axes.compute));
    band.y.push_back(y);
  }
  return band;
}

QString certified_label(const RunAnalysis& run, const ThresholdCalibration& c) {
  return QString("%1 certified: %2 risk ≤ %3, ε = %4")
      .arg(QString::fromStdString(run.run_name), QString(risk_level_name(c.options.risk)))
      .arg(c.options.delta)
      .arg(c.options.epsilon);
}

QString calibration_summary(const ThresholdCalibration& c) {
  const CandidateTest& best = c.certified();
  return QString("%1 %2: certified τ = %3 (%4 risk ≤ %5 with probability ≥ %6; held-out risk %7 on %8 samples); "
                 "saves %9 % of blocks")
      .arg(QString::fromStdString(c.run_name), QString::fromStdString(c.measure), tau_text(best.threshold),
           QString(risk_level_name(c.options.risk)))
      .arg(c.options.delta)
      .arg(1 - c.options.epsilon)
      .arg(best.held_out_risk, 0, 'f', 4)
      .arg(c.certificate.held_out_samples)
      .arg(100 * (1 - c.point.block_fraction), 0, 'f', 1);
}

}  // namespace dynamax::app
