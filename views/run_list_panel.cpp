#include "views/run_list_panel.h"

#include <QHeaderView>
#include <QKeyEvent>
#include <QMenu>
#include <QSet>

namespace dynamax::views {

namespace {

enum Column { Id, Model, Dataset, Status, Samples, Tokens, Precision, ColumnCount };

bool resumable(const QString& status) { return status == "cancelled" || status == "interrupted" || status == "failed"; }

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
  // The dataset name is the one long column: it takes what the dock leaves and elides, so the short columns
  // (status, counts, precision) stay in view without a horizontal scroll. Its tooltip holds the full spec.
  header()->setSectionResizeMode(Dataset, QHeaderView::Stretch);
  header()->setMinimumSectionSize(24);
  header()->setStretchLastSection(false);
  setTextElideMode(Qt::ElideRight);
  connect(this, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem*, int column) {
    if (!updating_ && column == Id) emit checked_runs_changed(checked_runs());
  });
  connect(this, &QTreeWidget::itemDoubleClicked, this,
          [this](QTreeWidgetItem* item, int) { emit run_activated(item->data(Id, Qt::UserRole).toLongLong()); });
  setSelectionMode(QAbstractItemView::ExtendedSelection);
  setContextMenuPolicy(Qt::CustomContextMenu);
  connect(this, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
    if (QMenu* menu = context_menu()) {
      menu->exec(viewport()->mapToGlobal(at));
      menu->deleteLater();
    }
  });
}

QVector<qint64> RunListPanel::selected_runs() const {
  QVector<qint64> ids;
  for (int i = 0; i < topLevelItemCount(); ++i)
    if (topLevelItem(i)->isSelected()) ids << topLevelItem(i)->data(Id, Qt::UserRole).toLongLong();
  return ids;
}

QMenu* RunListPanel::context_menu() {
  const QVector<qint64> ids = selected_runs();
  if (ids.isEmpty()) return nullptr;
  auto* menu = new QMenu(this);
  if (ids.size() == 1) {
    const qint64 id = ids.front();
    const QTreeWidgetItem* item = currentItem() && currentItem()->isSelected() ? currentItem() : selectedItems().front();
    QAction* resume = menu->addAction(QString("Resume run #%1").arg(id), this, [this, id] { emit resume_requested(id); });
    resume->setEnabled(resumable(item->text(Status)));
    resume->setToolTip("Records (or evaluates) the samples the run has not finished yet");
    menu->addAction(QString("Show config of run #%1").arg(id), this, [this, id] { emit config_requested(id); });
    menu->addSeparator();
  }
  QAction* remove = menu->addAction(ids.size() == 1 ? QString("Delete run #%1…").arg(ids.front())
                                                    : QString("Delete %1 runs…").arg(ids.size()),
                                    this, [this, ids] { emit delete_requested(ids); });
  remove->setShortcut(QKeySequence::Delete);
  return menu;
}

void RunListPanel::keyPressEvent(QKeyEvent* event) {
  if (event->matches(QKeySequence::Delete) && !selected_runs().isEmpty()) {
    emit delete_requested(selected_runs());
    return;
  }
  QTreeWidget::keyPressEvent(event);
}

void RunListPanel::set_runs(const QVector<RunRow>& runs) {
  const QVector<qint64> checked = checked_runs();
  updating_ = true;
  // Update rows in place when the list only grew: a refresh during a run must not reset scrolling or selection.
  while (topLevelItemCount() > runs.size()) delete takeTopLevelItem(topLevelItemCount() - 1);
  for (int i = 0; i < runs.size(); ++i) {
    const RunRow& r = runs[i];
    QTreeWidgetItem* item = i < topLevelItemCount() ? topLevelItem(i) : new QTreeWidgetItem(this);
    item->setData(Id, Qt::UserRole, r.id);
    item->setText(Id, QString("#%1").arg(r.id));
    if (r.plottable) {
      item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
      item->setCheckState(Id, checked.contains(r.id) ? Qt::Checked : Qt::Unchecked);
    } else {
      item->setFlags(item->flags() & ~Qt::ItemIsUserCheckable);
      item->setData(Id, Qt::CheckStateRole, QVariant());  // no box: nothing to plot
      item->setToolTip(Id, "An evaluation run: its results are in its summary, not in the trade-off plot");
    }
    item->setText(Model, r.model);
    item->setText(Dataset, r.dataset);
    item->setText(Status, r.status);
    // Without a status colour the text follows the palette, so that it reads in either theme.
    item->setData(Status, Qt::ForegroundRole,
                  status_color(r.status).isValid() ? QVariant(QBrush(status_color(r.status))) : QVariant());
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
    if (!(item->flags() & Qt::ItemIsUserCheckable)) continue;
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
