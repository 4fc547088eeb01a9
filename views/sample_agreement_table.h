#pragma once
// The per-sample agreement table: one row per sample the compared runs share, each run's mean exit depth and
// consistency at the current threshold, and which runs keep the sample; sortable by any column, with a filter
// for the samples where the runs differ. A message replaces the rows when samples cannot be paired.
#include <QWidget>

#include "views/sample_agreement_data.h"

class QCheckBox;
class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace dynamax::views {

class SampleAgreementModel;

class SampleAgreementTable : public QWidget {
  Q_OBJECT
 public:
  explicit SampleAgreementTable(QWidget* parent = nullptr);

  void set_data(const SampleAgreementData& data);
  void set_only_differences(bool only);

  const SampleAgreementData& data() const;
  // The rows as shown (sorted and filtered).
  int shown_rows() const;
  QString text(int row, int column) const;
  QTableView* view() const { return view_; }
  QCheckBox* only_differences() const { return only_differences_; }
  QLabel* message() const { return message_; }

 signals:
  void sample_activated(qint64 sample_index);  // a row was double-clicked

 private:
  void apply_filter();

  SampleAgreementModel* model_;
  QSortFilterProxyModel* proxy_;
  QCheckBox* only_differences_;
  QLabel* summary_;
  QLabel* message_;
  QTableView* view_;
};

}  // namespace dynamax::views
