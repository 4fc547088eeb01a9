#include "app/ui/run_comparison.h"

#include "app/ui/sample_excerpt.h"
#include "core/analysis/exit_depth_distribution.h"
#include "core/analysis/sample_agreement.h"

namespace dynamax::app {

namespace {

// "text:demo_passages.txt#window=64": the dataset as a reader knows it, without the folders.
QString dataset_name(const RunInfo& info) {
  const QString spec = QString::fromStdString(info.dataset_spec);
  const qsizetype slash = spec.lastIndexOf('/');
  return QString::fromStdString(info.dataset_kind) + ":" + (slash >= 0 ? spec.mid(slash + 1) : spec.section(':', 1));
}

bool same_dataset(const std::vector<ComparedRunPtr>& runs) {
  for (const ComparedRunPtr& r : runs) {
    const RunInfo& a = r->analysed().loaded.info;
    const RunInfo& b = runs.front()->analysed().loaded.info;
    if (a.dataset_kind != b.dataset_kind || a.dataset_spec != b.dataset_spec) return false;
  }
  return true;
}

QString different_datasets_message(const std::vector<ComparedRunPtr>& runs) {
  QStringList datasets;
  for (const ComparedRunPtr& r : runs)
    datasets << QString("%1 on %2").arg(QString::fromStdString(r->analysed().loaded.name), dataset_name(r->analysed().loaded.info));
  return QString("The runs are on different datasets (%1), so their samples cannot be paired. Check runs of one "
                 "dataset to compare them sample by sample.")
      .arg(datasets.join("; "));
}

views::RunExitHistogram histogram(const ComparedRun& run, const std::vector<int>& exit_depths, QColor color) {
  const ExitDepthDistribution d = exit_depth_distribution(exit_depths, run.outcomes().depths());
  views::RunExitHistogram h;
  h.run = QString::fromStdString(run.analysed().loaded.name);
  h.color = color;
  for (int depth = 1; depth <= d.depths; ++depth) h.shares.push_back(d.share(depth));
  h.tokens = d.tokens;
  h.mean_depth_fraction = d.mean_fraction();
  return h;
}

}  // namespace

ComparedRun::ComparedRun(AnalysedRunPtr run) : run_(std::move(run)), outcomes_(run_->loaded.run) {
  const std::vector<size_t>& starts = outcomes_.sample_starts();
  for (size_t s = 0; s + 1 < starts.size(); ++s) excerpts_.push_back(sample_excerpt(*run_, starts[s], starts[s + 1]));
}

std::vector<int> ComparedRun::exit_depths(double tau) const {
  std::vector<int> depths(outcomes_.tokens());
  for (size_t row = 0; row < depths.size(); ++row) depths[row] = run_->analysis.sweep->exit_depth(row, tau);
  return depths;
}

Comparison compare_runs(const std::vector<ComparedRunPtr>& runs, const QVector<QColor>& colors, double tau) {
  Comparison out;
  std::vector<std::vector<SampleExits>> samples;
  std::vector<std::string> names;
  for (size_t r = 0; r < runs.size(); ++r) {
    const ComparedRun& run = *runs[r];
    const std::vector<int> depths = run.exit_depths(tau);
    const QColor color = colors.value(qsizetype(r));
    out.histograms.push_back(histogram(run, depths, color));
    samples.push_back(sample_exits(run.analysed().loaded.run, run.outcomes(), depths));
    names.push_back(run.analysed().loaded.name);
    out.agreement.runs.push_back({QString::fromStdString(names.back()), QString("#%1").arg(run.analysed().loaded.info.id), color});
  }
  if (runs.empty()) {
    out.agreement.message = "No runs to compare: check runs in the Runs list.";
    return out;
  }
  if (!same_dataset(runs)) {
    out.agreement.message = different_datasets_message(runs);
    return out;
  }
  for (const PairedSample& pair : pair_samples(samples)) {
    views::SampleAgreementRow row;
    row.sample_index = pair.sample_index;
    row.excerpt = runs.front()->excerpt(pair.in_run.front());
    std::vector<bool> keeps;
    std::vector<const SampleExits*> paired;
    for (size_t r = 0; r < runs.size(); ++r) {
      const SampleExits& s = samples[r][pair.in_run[r]];
      paired.push_back(&s);
      row.mean_depth_fraction.push_back(s.mean_depth / runs[r]->outcomes().depths());
      row.consistency.push_back(s.consistency());
      keeps.push_back(s.keeps());
    }
    row.agreement = QString::fromStdString(agreement_label(keeps, names));
    // A sample of many tokens is rarely kept whole: how many of its tokens the runs treat alike says more.
    if (const double alike = token_agreement(paired); alike >= 0)
      row.agreement += QString(" · %1 % of tokens alike").arg(qRound(alike * 100));
    row.runs_differ = runs_differ(keeps);
    out.agreement.rows.push_back(row);
  }
  if (out.agreement.rows.isEmpty()) out.agreement.message = "The runs share no recorded sample yet.";
  return out;
}

}  // namespace dynamax::app
