#pragma once
// "Evaluate": real early-exit generation on a task. Model, dataset (kind and file; the built-in prompts as text by
// default), sample limit, new-token limit, the confidence measure (the softmax measures, saturation, or one of the
// workspace's classifiers for this model), thresholds (one policy each) and what skipped blocks get: the KV-cache
// strategies for a transformer, the state strategies for a Mamba model.
#include <QDialog>

#include "app/jobs/evaluate_job.h"
#include "app/ui/workspace_snapshot.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace dynamax::app {

class DatasetChooser;
class ModelChooser;

class EvaluateDialog : public QDialog {
  Q_OBJECT
 public:
  EvaluateDialog(const WorkspaceSnapshot& workspace, QWidget* parent = nullptr);

  // The options as filled in, for the workspace's database. Valid after accept().
  EvaluateOptions options() const;
  // Empty when the inputs are usable, else what is wrong (also shown in the dialog).
  QString problem() const;

  void set_model_folder(const QString& folder);
  void set_dataset(const QString& kind, const QString& path, const QString& options);
  void set_limit(int samples);
  void set_max_new_tokens(int tokens);
  void set_measure(const QString& measure);
  void set_thresholds(const QString& thresholds);
  QStringList strategies() const;  // offered for the chosen model's architecture

  void accept() override;

 private:
  void model_changed();
  std::vector<double> thresholds() const;  // throws dynamax::Error for bad input

  std::filesystem::path db_;
  std::vector<WorkspaceClassifier> workspace_classifiers_;
  ModelChooser* model_;
  DatasetChooser* dataset_;
  QSpinBox* limit_;
  QSpinBox* max_new_;
  QComboBox* measure_;
  QLineEdit* thresholds_;
  QLabel* strategy_label_;
  QComboBox* strategy_;
  QSpinBox* threads_;
  QComboBox* precision_;
  QLabel* error_;
};

}  // namespace dynamax::app
