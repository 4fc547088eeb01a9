#pragma once
// "Train exit classifiers": model, training data (one dataset spec or several; the built-in prompt set by
// default), optional validation data (else the last fifth of the training sequences), classifier kind, exit depths
// (the model's default placement shown), a training preset (ours, or the DYNAMAX authors' code), top-k label
// relaxation, epochs, seed, name and output file (by default `<name>.safetensors` beside the workspace). The
// classifier is also stored in the workspace database. A taken name or output file asks before replacing it (the
// workspace keeps the earlier version).
#include <QDialog>

#include "app/jobs/train_exits_job.h"
#include "app/ui/workspace_snapshot.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace dynamax::app {

class DatasetChooser;
class ModelChooser;

class TrainDialog : public QDialog {
  Q_OBJECT
 public:
  TrainDialog(const WorkspaceSnapshot& workspace, QWidget* parent = nullptr);

  // The options as filled in, for the workspace's database. Valid after accept().
  TrainExitsOptions options() const;
  // Empty when the inputs are usable, else what is wrong (also shown in the dialog).
  QString problem() const;

  void set_model_folder(const QString& folder);
  void set_training_specs(const QStringList& specs);
  void set_validation_spec(const QString& kind, const QString& path, const QString& options);  // empty path: none
  void set_limit(int sequences);
  void set_kind(const QString& kind);
  void set_preset(const QString& preset);  // app/jobs/train_exits_preset.h
  void set_depths(const QString& depths);
  void set_epochs(int epochs);
  void set_name(const QString& name);

  void accept() override;

 private:
  void add_training_spec();
  void model_changed();
  QStringList training_specs() const;
  std::vector<int> depths() const;  // empty: the default placement; throws dynamax::Error for bad input
  std::filesystem::path out_file() const;
  QString taken() const;

  std::vector<std::string> classifier_names_;
  bool replace_ = false;  // the user agreed to replace a taken name or file
  std::filesystem::path db_;
  ModelChooser* model_;
  QListWidget* train_specs_;
  DatasetChooser* train_input_;
  QCheckBox* validate_separately_;
  DatasetChooser* valid_;
  QSpinBox* limit_;
  QComboBox* preset_;
  QComboBox* kind_;
  QLineEdit* depths_;
  QSpinBox* top_k_;
  QSpinBox* epochs_;
  QSpinBox* seed_;
  QLineEdit* name_;
  QLineEdit* out_;
  QSpinBox* threads_;
  QComboBox* precision_;
  QLabel* error_;
};

}  // namespace dynamax::app
