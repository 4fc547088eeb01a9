#include "views/classifier_list_panel.h"

#include <QHeaderView>
#include <cmath>

namespace dynamax::views {

namespace {

enum Column { Name, Kind, Model, Depths, Auroc, ColumnCount };

}  // namespace

ClassifierListPanel::ClassifierListPanel(QWidget* parent) : QTreeWidget(parent) {
  setColumnCount(ColumnCount);
  setHeaderLabels({"Classifier", "Kind", "Model", "Depths", "AUROC"});
  headerItem()->setToolTip(Auroc, "Mean validation AUROC over the exit depths");
  setRootIsDecorated(false);
  setUniformRowHeights(true);
  setAlternatingRowColors(true);
  header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  header()->setStretchLastSection(false);
}

void ClassifierListPanel::set_classifiers(const QVector<ClassifierRow>& rows) {
  clear();
  for (const ClassifierRow& r : rows) {
    auto* item = new QTreeWidgetItem(this);
    item->setText(Name, r.name);
    item->setText(Kind, r.kind);
    item->setText(Model, r.model);
    item->setText(Depths, r.depths);
    item->setText(Auroc, std::isnan(r.mean_auroc) ? QString("–") : QString::number(r.mean_auroc, 'f', 3));
    item->setTextAlignment(Auroc, Qt::AlignRight | Qt::AlignVCenter);
    for (int c = 0; c < ColumnCount; ++c) item->setToolTip(c, r.details);
  }
}

}  // namespace dynamax::views
