#pragma once
// The token inspector panel: pick a run and a sample. A recording shows its tokens × depths heatmap, which follows
// the threshold and the measure of the trade-off panel; an evaluation shows its generated answers coloured by the
// depth each token exited at. The sample's data loads off the GUI thread (SampleLoader).
#include <QWidget>
#include <map>
#include <memory>
#include <vector>

#include "app/ui/analysed_run.h"
#include "storage/run_store.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QScrollArea;
class QSpinBox;
class QStackedWidget;

namespace dynamax::views {
class GeneratedAnswersView;
class TokenHeatmap;
}  // namespace dynamax::views

namespace dynamax::app {

struct LoadedSample;
class SampleLoader;
class TradeoffController;
class WorkspaceController;

class TokenInspector : public QWidget {
  Q_OBJECT
 public:
  TokenInspector(TradeoffController* analyses, WorkspaceController* workspace, QWidget* parent = nullptr);

  void show_run(qint64 run_id);  // when it is among the analysed recordings or the workspace's evaluations
  void show_sample(int sample);
  // A sample continued from a shared prefix opens where it leaves the prefix; this box shows the prefix instead.
  QCheckBox* prefix_box() const { return prefix_; }
  void set_dark(bool dark);
  views::TokenHeatmap* heatmap() const { return heatmap_; }
  QScrollArea* heatmap_scroll() const { return heatmap_scroll_; }
  views::GeneratedAnswersView* answers() const { return answers_; }
  qint64 run_id() const;
  bool is_busy() const;  // a sample is loading

 private:
  void runs_changed();
  void workspace_changed();
  void rebuild();
  void sample_loaded(const LoadedSample& sample);
  void threshold_moved(double tau);
  void scroll_to_answer();
  AnalysedRunPtr recording(qint64 id) const;
  const RunInfo* evaluation(qint64 id) const;

  TradeoffController* analyses_;
  WorkspaceController* workspace_;
  SampleLoader* loader_;
  QComboBox* run_;
  QSpinBox* sample_;
  QCheckBox* prefix_;
  QLabel* hint_;
  QStackedWidget* pages_;
  QScrollArea* heatmap_scroll_;
  views::TokenHeatmap* heatmap_;
  views::GeneratedAnswersView* answers_;
  std::vector<RunInfo> evaluations_;  // the workspace's evaluation runs with samples
  std::map<std::string, std::shared_ptr<const Tokenizer>> tokenizers_;  // by model folder, loaded once
};

}  // namespace dynamax::app
