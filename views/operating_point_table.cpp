#include "views/operating_point_table.h"

#include <QHeaderView>
#include <algorithm>
#include <cmath>

namespace dynamax::views {

namespace {

QString percent(double fraction) {
  return std::isfinite(fraction) ? QString::number(fraction * 100.0, 'f', 1) + " %" : QStringLiteral("—");
}

QTableWidgetItem* number_item(const QString& text) {
  auto* item = new QTableWidgetItem(text);
  item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

}  // namespace

OperatingPointTable::OperatingPointTable(QWidget* parent) : QTableWidget(parent) {
  setColumnCount(10);
  setHorizontalHeaderLabels({"Run", "τ", "Mean depth", "Saved blocks", "Saved FLOPs", "Consistency", "Accuracy",
                             "δ / ε", "Certified τ", "Held-out risk"});
  horizontalHeaderItem(7)->setToolTip("Run → Calibrate…: the risk against the full model is ≤ δ with probability "
                                      "≥ 1 − ε over the calibration samples (Learn then Test)");
  horizontalHeaderItem(9)->setToolTip("The risk at the certified τ on the samples held out of the calibration: a "
                                      "check of the guarantee, not the guarantee");
  verticalHeader()->hide();
  verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);  // compact rows: the plot keeps the height
  horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
  horizontalHeaderItem(4)->setToolTip("1 − executed / full FLOPs, counting every exit head evaluated: negative when the "
                                      "heads cost more than the blocks skipped (small models, large vocabularies)");
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  setSelectionMode(QAbstractItemView::NoSelection);
  setAlternatingRowColors(true);
}

void OperatingPointTable::set_rows(const QVector<OperatingPointRow>& rows) {
  setRowCount(int(rows.size()));
  const bool calibrated = std::any_of(rows.begin(), rows.end(), [](const OperatingPointRow& r) { return !std::isnan(r.delta); });
  for (int column = 7; column < 10; ++column) setColumnHidden(column, !calibrated);
  for (int i = 0; i < rows.size(); ++i) {
    const OperatingPointRow& r = rows[i];
    auto* run = new QTableWidgetItem(r.run);
    QPixmap swatch(10, 10);
    swatch.fill(r.color);
    run->setIcon(QIcon(swatch));
    setItem(i, 0, run);
    setItem(i, 1, number_item(std::isfinite(r.tau) ? QString::number(r.tau, 'g', 3) : QString::number(r.tau)));
    setItem(i, 2, number_item(QString("%1 / %2").arg(r.mean_depth, 0, 'f', 2).arg(r.depths)));
    setItem(i, 3, number_item(percent(r.block_savings)));
    setItem(i, 4, number_item(percent(r.flop_savings)));
    setItem(i, 5, number_item(percent(r.consistency)));
    setItem(i, 6, number_item(percent(r.accuracy)));
    const bool calibrated_row = !std::isnan(r.delta);
    const QString tau = std::isfinite(r.certified_tau) ? QString::number(r.certified_tau, 'g', 4) : QStringLiteral("+∞");
    setItem(i, 7, number_item(calibrated_row ? QString("%1 / %2").arg(r.delta).arg(r.epsilon) : QStringLiteral("—")));
    setItem(i, 8, number_item(calibrated_row ? tau : QStringLiteral("—")));
    setItem(i, 9, number_item(calibrated_row ? QString::number(r.held_out_risk, 'f', 4) : QStringLiteral("—")));
  }
}

}  // namespace dynamax::views
