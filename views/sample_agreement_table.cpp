#include "views/sample_agreement_table.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include "views/sample_agreement_model.h"

namespace dynamax::views {

SampleAgreementTable::SampleAgreementTable(QWidget* parent)
    : QWidget(parent), model_(new SampleAgreementModel(this)), proxy_(new QSortFilterProxyModel(this)),
      only_differences_(new QCheckBox("Only where they differ", this)), summary_(new QLabel(this)),
      message_(new QLabel(this)), view_(new QTableView(this)) {
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(SampleAgreementModel::SortRole);
  proxy_->setFilterRole(SampleAgreementModel::DiffersRole);
  proxy_->setDynamicSortFilter(true);  // the order and the filter follow the slider
  view_->setModel(proxy_);
  view_->setSortingEnabled(true);
  view_->sortByColumn(0, Qt::AscendingOrder);
  view_->verticalHeader()->hide();
  view_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
  // The numbers and the agreement take what they need; the excerpt gets the rest and is elided.
  view_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  view_->horizontalHeader()->setMinimumSectionSize(60);
  view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setAlternatingRowColors(true);
  view_->setWordWrap(false);
  view_->setTextElideMode(Qt::ElideRight);
  only_differences_->setToolTip("Show only the samples that some runs keep (every scored token as the full model "
                                "says) and others change");
  summary_->setEnabled(false);  // a quiet, secondary line
  message_->setWordWrap(true);
  message_->setAlignment(Qt::AlignCenter);
  message_->hide();

  auto* bar = new QHBoxLayout;
  bar->addWidget(only_differences_);
  bar->addStretch(1);
  bar->addWidget(summary_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(bar);
  layout->addWidget(message_, 1);
  layout->addWidget(view_, 1);
  connect(only_differences_, &QCheckBox::toggled, this, &SampleAgreementTable::apply_filter);
  connect(view_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
    const int row = proxy_->mapToSource(index).row();
    if (row >= 0 && row < model_->agreement().rows.size()) emit sample_activated(model_->agreement().rows[row].sample_index);
  });
  view_->setToolTip("Double-click a sample to open it in the token inspector");
  set_data({});
}

const SampleAgreementData& SampleAgreementTable::data() const { return model_->agreement(); }

void SampleAgreementTable::set_data(const SampleAgreementData& data) {
  model_->set_data(data);
  view_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);  // after a reset: columns may be new
  const bool paired = data.message.isEmpty();
  message_->setText(data.message);
  message_->setVisible(!paired);
  view_->setVisible(paired);
  only_differences_->setEnabled(paired && data.runs.size() >= 2);  // one run has nothing to differ from
  apply_filter();
  int differing = 0;
  for (const SampleAgreementRow& row : data.rows) differing += row.runs_differ;
  summary_->setText(!paired || data.rows.isEmpty() ? QString()
                    : data.runs.size() < 2 ? QString("%1 samples").arg(data.rows.size())
                                           : QString("%1 samples, %2 differ").arg(data.rows.size()).arg(differing));
}

void SampleAgreementTable::set_only_differences(bool only) {
  only_differences_->setChecked(only);
  apply_filter();
}

void SampleAgreementTable::apply_filter() {
  const bool only = only_differences_->isChecked() && only_differences_->isEnabled();
  const QString wanted = only ? QStringLiteral("1") : QString();
  if (proxy_->filterRegularExpression().pattern() != wanted) proxy_->setFilterFixedString(wanted);
}

int SampleAgreementTable::shown_rows() const { return proxy_->rowCount(); }

QString SampleAgreementTable::text(int row, int column) const {
  return proxy_->index(row, column).data(Qt::DisplayRole).toString();
}

}  // namespace dynamax::views
