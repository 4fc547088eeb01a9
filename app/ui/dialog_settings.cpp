#include "app/ui/dialog_settings.h"

#include <QFileInfo>
#include <QSettings>

#include "app/ui/dataset_chooser.h"
#include "app/ui/model_chooser.h"

namespace dynamax::app {

QVariantMap load_dialog_settings(const QString& dialog) { return QSettings().value("dialogs/" + dialog).toMap(); }

void save_dialog_settings(const QString& dialog, const QVariantMap& values) {
  QSettings().setValue("dialogs/" + dialog, values);
}

void remember_model_and_dataset(QVariantMap& values, const ModelChooser* model, const DatasetChooser* dataset) {
  values["model"] = model->folder();
  if (!dataset) return;
  values["dataset_kind"] = dataset->kind();
  values["dataset_path"] = dataset->path();
  values["dataset_options"] = dataset->options();
}

void recall_model_and_dataset(const QVariantMap& values, ModelChooser* model, DatasetChooser* dataset) {
  const QString folder = values.value("model").toString();
  if (!folder.isEmpty() && QFileInfo(folder).isDir()) model->set_folder(folder);
  const QString path = values.value("dataset_path").toString();
  if (dataset && !path.isEmpty() && QFileInfo(path).isFile())
    dataset->set_dataset(values.value("dataset_kind").toString(), path, values.value("dataset_options").toString());
}

}  // namespace dynamax::app
