#pragma once
// The last accepted values of a job dialog (Record, Evaluate, Train), kept in QSettings under "dialogs/<name>", so
// that the next dialog starts from them instead of the defaults. A remembered model folder or dataset file that is
// gone is not brought back.
#include <QString>
#include <QVariantMap>

namespace dynamax::app {

class DatasetChooser;
class ModelChooser;

QVariantMap load_dialog_settings(const QString& dialog);  // empty before the first accept
void save_dialog_settings(const QString& dialog, const QVariantMap& values);

// The model folder and the dataset (kind, file, options) as values, and back.
void remember_model_and_dataset(QVariantMap& values, const ModelChooser* model, const DatasetChooser* dataset);
void recall_model_and_dataset(const QVariantMap& values, ModelChooser* model, DatasetChooser* dataset);

}  // namespace dynamax::app
