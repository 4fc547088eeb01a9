#include "views/operating_point_table.h"

#include <QHeaderView>
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
  setColumnCount(7);
  setHorizontalHeaderLabels({"Run", "τ", "Mean depth", "Saved blocks", "Saved FLOPs", "Consistency", "Accuracy"});
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
  }
}

}  // namespace dynamax::views
