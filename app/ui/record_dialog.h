#pragma once
// "Record a run": model, dataset (kind, file, options; the built-in prompt set by default), sample limit, the top-k
// tokens kept per exit (5 by default: the inspector's hover lists them) and BLAS threads. Checks what it can before closing (the folder holds a model, the file exists, the spec parses) and says
// what is wrong inside the dialog; what only loading reveals (a file of the wrong kind) fails in the worker and is
// reported in the window.
#include <QDialog>
#include <vector>

#include "app/jobs/record_job.h"
#include "app/ui/workspace_snapshot.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace dynamax::app {

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

  void accept() override;

 private:
  void browse_model();
  void browse_dataset();
  void kind_changed(const QString& kind);
  QString dataset_spec() const;

  std::filesystem::path db_;
  QComboBox* model_;
  QComboBox* kind_;
  QLineEdit* path_;
  QLineEdit* dataset_options_;
  QSpinBox* limit_;
  QSpinBox* top_k_;
  QSpinBox* threads_;
  QLabel* error_;
};

}  // namespace dynamax::app
