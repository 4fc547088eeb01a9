#pragma once
// The workspace's models: a list of names, and the selected model's description beside it.
#include <QSplitter>
#include <QString>
#include <QVector>

class QListWidget;
class QPlainTextEdit;

namespace dynamax::views {

struct ModelEntry {
  QString name;         // shown in the list
  QString description;  // shown when selected (monospace text)
};

class ModelListPanel : public QSplitter {
  Q_OBJECT
 public:
  explicit ModelListPanel(QWidget* parent = nullptr);
  void set_models(const QVector<ModelEntry>& models);
  int model_count() const;

 signals:
  void model_selected(int index);

 private:
  QVector<ModelEntry> models_;
  QListWidget* list_;
  QPlainTextEdit* details_;
};

}  // namespace dynamax::views
