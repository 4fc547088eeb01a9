// The per-sample agreement table: one row per sample with each run's mean depth and consistency and the agreement
// label, numbers sorted as numbers, the "only where they differ" filter, one run, in-place updates at slider rate,
// and the message that replaces the rows when samples cannot be paired.
#include <QCheckBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QtTest>
#include <cmath>

#include "views/sample_agreement_table.h"

using namespace dynamax::views;

namespace {

SampleAgreementRow row(qint64 index, QVector<double> depth, QVector<double> consistency, QString agreement,
                       bool differ) {
  return {index, QString("excerpt %1").arg(index), depth, consistency, agreement, differ};
}

// Two runs on four samples; sample 2 has no scored token in run A.
SampleAgreementData two_runs() {
  SampleAgreementData d;
  d.runs = {{"tiny-mistral #1", "#1", QColor("#0072B2")}, {"tiny-codestral #2", "#2", QColor("#D55E00")}};
  d.rows = {row(0, {0.50, 0.75}, {1.0, 1.0}, "both keep", false),
            row(1, {0.25, 0.60}, {0.8, 1.0}, "only tiny-codestral #2 keeps", true),
            row(2, {0.90, 0.40}, {NAN, 0.5}, "only tiny-mistral #1 keeps", true),
            row(10, {0.30, 0.35}, {0.7, 0.9}, "both change", false)};
  return d;
}

}  // namespace

class TestSampleAgreementTable : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<SampleAgreementTable> table_;

 private slots:
  void init() {
    table_ = std::make_unique<SampleAgreementTable>();
    table_->resize(900, 300);
    table_->show();
    QVERIFY(QTest::qWaitForWindowExposed(table_.get()));
  }
  void cleanup() { table_.reset(); }

  void rows_show_each_run_and_the_agreement() {
    table_->set_data(two_runs());
    QCOMPARE(table_->shown_rows(), 4);
    const QAbstractItemModel* model = table_->view()->model();
    QCOMPARE(model->columnCount(), 6);  // sample, 2 × (depth, consistency), agreement
    QCOMPARE(model->headerData(0, Qt::Horizontal).toString(), QString("Sample"));
    QCOMPARE(model->headerData(1, Qt::Horizontal).toString(), QString("#1\nmean depth"));
    QCOMPARE(model->headerData(4, Qt::Horizontal).toString(), QString("#2\nconsistency"));
    QVERIFY(model->headerData(4, Qt::Horizontal, Qt::ToolTipRole).toString().startsWith("tiny-codestral #2: "));
    QCOMPARE(model->headerData(5, Qt::Horizontal).toString(), QString("Agreement"));
    QVERIFY(!model->headerData(3, Qt::Horizontal, Qt::DecorationRole).isNull());  // the run's colour swatch
    QCOMPARE(table_->text(1, 0), QString("1  excerpt 1"));
    QCOMPARE(table_->text(1, 1), QString("0.25 L"));
    QCOMPARE(table_->text(1, 2), QString("80.0 %"));
    QCOMPARE(table_->text(1, 4), QString("100.0 %"));
    QCOMPARE(table_->text(2, 2), QString("—"));  // nothing scored
    QCOMPARE(table_->text(1, 5), QString("only tiny-codestral #2 keeps"));
    QCOMPARE(table_->text(3, 5), QString("both change"));
    QVERIFY(table_->view()->isVisible());
    QVERIFY(!table_->message()->isVisible());
    QVERIFY(table_->only_differences()->isEnabled());
  }

  void only_where_they_differ_data() {
    QTest::addColumn<bool>("only");
    QTest::addColumn<QList<qint64>>("samples");
    QTest::newRow("all") << false << QList<qint64>{0, 1, 2, 10};
    QTest::newRow("differ") << true << QList<qint64>{1, 2};
  }
  void only_where_they_differ() {
    QFETCH(bool, only);
    QFETCH(QList<qint64>, samples);
    table_->set_data(two_runs());
    table_->only_differences()->setChecked(only);  // the user's click
    QCOMPARE(table_->shown_rows(), int(samples.size()));
    for (int r = 0; r < samples.size(); ++r) QVERIFY(table_->text(r, 0).startsWith(QString::number(samples[r]) + " "));
    table_->set_only_differences(false);
    QCOMPARE(table_->shown_rows(), 4);
  }

  void columns_sort_as_numbers_data() {
    QTest::addColumn<int>("column");
    QTest::addColumn<Qt::SortOrder>("order");
    QTest::addColumn<QList<qint64>>("samples");
    QTest::newRow("sample, descending") << 0 << Qt::DescendingOrder << QList<qint64>{10, 2, 1, 0};  // 10 after 2
    QTest::newRow("A depth") << 1 << Qt::AscendingOrder << QList<qint64>{1, 10, 0, 2};
    QTest::newRow("A consistency, nothing scored first") << 2 << Qt::AscendingOrder << QList<qint64>{2, 10, 1, 0};
    QTest::newRow("B depth, descending") << 3 << Qt::DescendingOrder << QList<qint64>{0, 1, 2, 10};
    QTest::newRow("agreement") << 5 << Qt::AscendingOrder << QList<qint64>{10, 0, 1, 2};
  }
  void columns_sort_as_numbers() {
    QFETCH(int, column);
    QFETCH(Qt::SortOrder, order);
    QFETCH(QList<qint64>, samples);
    table_->set_data(two_runs());
    table_->view()->sortByColumn(column, order);
    for (int r = 0; r < samples.size(); ++r)
      QVERIFY2(table_->text(r, 0).startsWith(QString::number(samples[r]) + " "), qPrintable(table_->text(r, 0)));
  }

  // The slider: the same samples with new values keep the sort and the filter and follow the values.
  void new_values_update_in_place() {
    table_->set_data(two_runs());
    table_->view()->sortByColumn(1, Qt::AscendingOrder);
    table_->set_only_differences(true);
    QSignalSpy reset(table_->view()->model(), &QAbstractItemModel::modelReset);
    SampleAgreementData later = two_runs();
    later.rows[0].mean_depth_fraction[0] = 0.1;  // sample 0 now differs and exits shallowest in run A
    later.rows[0].agreement = "only tiny-codestral #2 keeps";
    later.rows[0].runs_differ = true;
    table_->set_data(later);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(table_->shown_rows(), 3);
    QVERIFY(table_->text(0, 0).startsWith("0 "));
    QCOMPARE(table_->text(0, 1), QString("0.10 L"));
  }

  void one_run_has_its_columns_and_no_filter() {
    SampleAgreementData one;
    one.runs = {{"tiny-mistral #1", "#1", QColor("#0072B2")}};
    one.rows = {row(0, {0.5}, {1.0}, "keeps", false), row(1, {0.7}, {0.5}, "changes", false)};
    table_->set_only_differences(true);  // left on from a comparison before: it must not hide everything now
    table_->set_data(one);
    QCOMPARE(table_->view()->model()->columnCount(), 4);
    QCOMPARE(table_->shown_rows(), 2);
    QVERIFY(!table_->only_differences()->isEnabled());
    QCOMPARE(table_->text(1, 3), QString("changes"));
  }

  void a_message_replaces_unpaired_rows() {
    table_->set_data(two_runs());
    SampleAgreementData different = two_runs();
    different.rows.clear();
    different.message = "The runs are on different datasets";
    table_->set_data(different);
    QVERIFY(table_->message()->isVisible());
    QVERIFY(table_->message()->text().contains("different datasets"));
    QVERIFY(!table_->view()->isVisible());
    QCOMPARE(table_->shown_rows(), 0);
    QVERIFY(!table_->only_differences()->isEnabled());
    table_->set_data(two_runs());
    QVERIFY(table_->view()->isVisible());
    QVERIFY(!table_->message()->isVisible());
  }
};

QTEST_MAIN(TestSampleAgreementTable)
#include "test_sample_agreement_table.moc"
