#pragma once
// A dataset spec `kind:file#options` for a job: the kind, the file (File…) and its options (each kind's defaults
// filled in when the kind changes).
#include <QWidget>

class QComboBox;
class QLineEdit;

namespace dynamax::app {

class DatasetChooser : public QWidget {
  Q_OBJECT
 public:
  explicit DatasetChooser(QWidget* parent = nullptr);

  void set_dataset(const QString& kind, const QString& path, const QString& options);
  QString kind() const;
  QString spec() const;
  // Empty when the file exists and the spec parses, else what is wrong.
  QString problem() const;

 private:
  QComboBox* kind_;
  QLineEdit* path_;
  QLineEdit* options_;
};

}  // namespace dynamax::app
