#pragma once
// A dataset spec `kind:file#options` for a job: the kind, the file (File…) and its options (each kind's defaults
// filled in when the kind changes). Each kind keeps its own file: a text file never stays as a QA dataset.
#include <QHash>
#include <QWidget>

class QComboBox;
class QLineEdit;

namespace dynamax::app {

class DatasetChooser : public QWidget {
  Q_OBJECT
 public:
  explicit DatasetChooser(QWidget* parent = nullptr);

  void set_dataset(const QString& kind, const QString& path, const QString& options);
  // As a user picks a kind: its own last path (empty at first) and its default options.
  void set_kind(const QString& kind);
  QString kind() const;
  QString path() const;
  QString options() const;
  QString spec() const;
  // Empty when the file exists and the spec parses, else what is wrong.
  QString problem() const;

 private:
  QComboBox* kind_;
  QLineEdit* path_;
  QLineEdit* options_;
  QString shown_kind_;          // the kind the path belongs to
  QHash<QString, QString> paths_;  // the path last given for each other kind
};

}  // namespace dynamax::app
