#include "views/sample_agreement_model.h"

#include <QIcon>
#include <QPixmap>
#include <cmath>

namespace dynamax::views {

namespace {

QString percent(double fraction) {
  return std::isfinite(fraction) ? QString::number(fraction * 100.0, 'f', 1) + " %" : QStringLiteral("—");
}

QString depth_fraction(double fraction) {
  return std::isfinite(fraction) ? QString::number(fraction, 'f', 2) + " L" : QStringLiteral("—");
}

// NaN (nothing scored) sorts below every number.
double sort_key(double value) { return std::isfinite(value) ? value : -1.0; }

}  // namespace

bool SampleAgreementModel::same_layout(const SampleAgreementData& data) const {
  if (data.runs.size() != data_.runs.size() || data.rows.size() != data_.rows.size()) return false;
  for (int r = 0; r < data.runs.size(); ++r)
    if (data.runs[r].name != data_.runs[r].name) return false;
  for (int i = 0; i < data.rows.size(); ++i)
    if (data.rows[i].sample_index != data_.rows[i].sample_index) return false;
  return true;
}

void SampleAgreementModel::set_data(const SampleAgreementData& data) {
  if (!same_layout(data)) {
    beginResetModel();
    data_ = data;
    endResetModel();
    return;
  }
  data_ = data;
  if (!data_.rows.isEmpty()) emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
  emit headerDataChanged(Qt::Horizontal, 0, columnCount() - 1);  // colours follow the theme
}

int SampleAgreementModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(data_.rows.size());
}

int SampleAgreementModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : 2 + 2 * int(data_.runs.size());
}

QVariant SampleAgreementModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= data_.rows.size()) return {};
  const SampleAgreementRow& row = data_.rows[index.row()];
  const int column = index.column(), agreement_column = columnCount() - 1;
  if (role == DiffersRole) return row.runs_differ ? QStringLiteral("1") : QStringLiteral("0");
  if (column == 0) {
    if (role == Qt::DisplayRole) return QString("%1  %2").arg(row.sample_index).arg(row.excerpt);
    if (role == Qt::ToolTipRole) return row.excerpt;
    if (role == SortRole) return row.sample_index;
    return {};
  }
  if (column == agreement_column) {
    if (role == Qt::DisplayRole || role == SortRole) return row.agreement;
    return {};
  }
  const int run = (column - 1) / 2;
  const bool depth = (column - 1) % 2 == 0;
  const double value = depth ? row.mean_depth_fraction.value(run, NAN) : row.consistency.value(run, NAN);
  if (role == Qt::DisplayRole) return depth ? depth_fraction(value) : percent(value);
  if (role == SortRole) return sort_key(value);
  if (role == Qt::TextAlignmentRole) return int(Qt::AlignRight | Qt::AlignVCenter);
  return {};
}

QVariant SampleAgreementModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  const int agreement_column = columnCount() - 1;
  if (section == 0) return role == Qt::DisplayRole ? QVariant("Sample") : QVariant();
  if (section == agreement_column) {
    if (role == Qt::DisplayRole) return "Agreement";
    if (role == Qt::ToolTipRole) return "Which runs keep the full model's token on every scored token of the sample";
    return {};
  }
  const int run = (section - 1) / 2;
  if (run >= data_.runs.size()) return {};
  const bool depth = (section - 1) % 2 == 0;
  const SampleAgreementRun& r = data_.runs[run];
  if (role == Qt::DisplayRole) return QString("%1\n%2").arg(r.tag, depth ? "mean depth" : "consistency");
  if (role == Qt::ToolTipRole)
    return r.name + (depth ? ": mean exit depth of the sample's tokens, as a fraction of the model's depth L"
                           : ": share of the sample's scored tokens whose exit token is the full model's token");
  if (role == Qt::DecorationRole) {
    QPixmap swatch(10, 10);
    swatch.fill(data_.runs[run].color);
    return QIcon(swatch);
  }
  return {};
}

}  // namespace dynamax::views
