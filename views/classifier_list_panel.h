#pragma once
// The workspace's trained exit classifiers: name, kind, model, exit depths and mean validation AUROC.
#include <QTreeWidget>
#include <QVector>

namespace dynamax::views {

struct ClassifierRow {
  QString name, kind, model, depths;  // depths as "8, 10, 12, 14"
  double mean_auroc = 0;              // NaN when the record has none
  QString details;                    // shown on hover
};

class ClassifierListPanel : public QTreeWidget {
  Q_OBJECT
 public:
  explicit ClassifierListPanel(QWidget* parent = nullptr);
  void set_classifiers(const QVector<ClassifierRow>& rows);
  int classifier_count() const { return topLevelItemCount(); }
};

}  // namespace dynamax::views
