#pragma once
// The agreement table as a Qt model: a sample column, then per run its mean exit depth and consistency, then the
// agreement. Numbers sort as numbers (Qt::UserRole holds the sort key); DiffersRole lets a proxy keep only the
// samples where the runs differ. New values for the same samples update in place, so a sorted view follows the
// slider without being reset.
#include <QAbstractTableModel>

#include "views/sample_agreement_data.h"

namespace dynamax::views {

class SampleAgreementModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  static constexpr int SortRole = Qt::UserRole;
  static constexpr int DiffersRole = Qt::UserRole + 1;  // "1" where the runs differ, else "0"

  using QAbstractTableModel::QAbstractTableModel;

  void set_data(const SampleAgreementData& data);
  const SampleAgreementData& agreement() const { return data_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  bool same_layout(const SampleAgreementData& data) const;  // same runs and samples: values may change in place

  SampleAgreementData data_;
};

}  // namespace dynamax::views
