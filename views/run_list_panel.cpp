#include "views/run_list_panel.h"

#include <QHeaderView>
#include <QSet>

namespace dynamax::views {

namespace {

enum Column { Id, Model, Dataset, Status, Samples, Tokens, Precision, ColumnCount };

QColor status_color(const QString& status) {
  if (status == "running") return QColor("#0072B2");
  if (status == "failed" || status == "interrupted") return QColor("#D55E00");
  if (status == "cancelled") return QColor("#999999");
  return {};
}

}  // namespace

RunListPanel::RunListPanel(QWidget* parent) : QTreeWidget(parent) {
  setColumnCount(ColumnCount);
  setHeaderLabels({"Run", "Model", "Dataset", "Status", "Samples", "Tokens", "Precision"});
  setRootIsDecorated(false);
  setUniformRowHeights(true);
  setAlternatingRowColors(true);
  header()->setSectionResizeMode(QHeaderView::ResizeToContents);
  header()->setStretchLastSection(false);
  connect(this, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem*, int column) {
    if (!updating_ && column == Id) emit checked_runs_changed(checked_runs());
  });
  connect(this, &QTreeWidget::itemDoubleClicked, this,
          [this](QTreeWidgetItem* item, int) { emit run_activated(item->data(Id, Qt::UserRole).toLongLong()); });
}

void RunListPanel::set_runs(const QVector<RunRow>& runs) {
  const QVector<qint64> checked = checked_runs();
  updating_ = true;
  // Update rows in place when the list only grew: a refresh during a run must not reset scrolling or selection.
  while (topLevelItemCount() > runs.size()) delete takeTopLevelItem(topLevelItemCount() - 1);
  for (int i = 0; i < runs.size(); ++i) {
    const RunRow& r = runs[i];
    QTreeWidgetItem* item = i < topLevelItemCount() ? topLevelItem(i) : new QTreeWidgetItem(this);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setData(Id, Qt::UserRole, r.id);
    item->setText(Id, QString("#%1").arg(r.id));
    item->setCheckState(Id, checked.contains(r.id) ? Qt::Checked : Qt::Unchecked);
    item->setText(Model, r.model);
    item->setText(Dataset, r.dataset);
    item->setText(Status, r.status);
    item->setForeground(Status, status_color(r.status).isValid() ? QBrush(status_color(r.status)) : palette().text());
    item->setText(Samples, QString("%1 / %2").arg(r.samples_done).arg(r.sample_target));
    item->setText(Tokens, QLocale().toString(r.tokens));
    item->setTextAlignment(Samples, Qt::AlignRight | Qt::AlignVCenter);
    item->setTextAlignment(Tokens, Qt::AlignRight | Qt::AlignVCenter);
    item->setText(Precision, r.precision);
    item->setToolTip(Status, r.error);
    item->setToolTip(Dataset, r.dataset_spec);
  }
  updating_ = false;
  if (checked_runs() != checked) emit checked_runs_changed(checked_runs());
}

void RunListPanel::set_checked(const QVector<qint64>& ids) {
  const QVector<qint64> before = checked_runs();
  updating_ = true;
  for (int i = 0; i < topLevelItemCount(); ++i) {
    QTreeWidgetItem* item = topLevelItem(i);
    item->setCheckState(Id, ids.contains(item->data(Id, Qt::UserRole).toLongLong()) ? Qt::Checked : Qt::Unchecked);
  }
  updating_ = false;
  if (checked_runs() != before) emit checked_runs_changed(checked_runs());
}

QVector<qint64> RunListPanel::checked_runs() const {
  QVector<qint64> ids;
  for (int i = 0; i < topLevelItemCount(); ++i)
    if (topLevelItem(i)->checkState(Id) == Qt::Checked) ids.push_back(topLevelItem(i)->data(Id, Qt::UserRole).toLongLong());
  return ids;
}

}  // namespace dynamax::views
