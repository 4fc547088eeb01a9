#pragma once
// "Record a run": model, dataset (kind, file, options; the built-in prompt set by default), sample limit, the top-k
// tokens kept per exit (5 by default: the inspector's hover lists them), BLAS threads, the compute precision, and optionally the
// workspace's exit classifiers to score every (token, depth) with. Checks what it can
// before closing (the folder holds a model, the file exists, the spec parses) and says what is wrong inside the
// dialog; what only loading reveals (a file of the wrong kind) fails in the worker and is reported in the window.
#include <QDialog>

#include "app/jobs/record_job.h"
#include "app/ui/workspace_snapshot.h"

class QComboBox;
class QLabel;
class QListWidget;
class QSpinBox;

namespace dynamax::app {

class DatasetChooser;
class ModelChooser;

class RecordDialog : public QDialog {
  Q_OBJECT
 public:
  RecordDialog(const WorkspaceSnapshot& workspace, QWidget* parent = nullptr);

  // The options as filled in, for the workspace's database. Valid after accept().
  RecordOptions options() const;
  // Empty when the inputs are usable, else what is wrong (also shown in the dialog).
  QString problem() const;

  void set_model_folder(const QString& folder);
  void set_dataset(const QString& kind, const QString& path, const QString& options);
  void set_limit(int limit);
  void set_scored_classifiers(const QStringList& names);

  void accept() override;

 private:
  void list_classifiers_of(const QString& model_folder);

  std::filesystem::path db_;
  std::vector<WorkspaceClassifier> workspace_classifiers_;
  ModelChooser* model_;
  DatasetChooser* dataset_;
  QSpinBox* limit_;
  QSpinBox* top_k_;
  QSpinBox* threads_;
  QComboBox* precision_;
  QListWidget* classifiers_;
  QLabel* error_;
};

}  // namespace dynamax::app
