// The views of training jobs, offscreen: the loss curves growing epoch by epoch and the validation AUROC under
// them, the classifier list, and the job progress counting other units than samples.
#include <qcustomplot.h>

#include <QLabel>
#include <QToolButton>
#include <QtTest>

#include "views/classifier_list_panel.h"
#include "views/job_progress.h"
#include "views/loss_curve_plot.h"

using namespace dynamax::views;

class TestJobViews : public QObject {
  Q_OBJECT

 private slots:
  void loss_curves_grow_by_epoch() {
    LossCurvePlot view;
    view.resize(400, 320);
    view.start("Training tiny-linear", 3);
    view.add_epoch(1, 0.70, 0.72);
    view.add_epoch(2, 0.55, 0.61);
    QCOMPARE(view.epoch_count(), 2);
    QCOMPARE(view.train_losses(), (QVector<double>{0.70, 0.55}));
    QCOMPARE(view.valid_losses(), (QVector<double>{0.72, 0.61}));
    QCustomPlot* plot = view.plot();
    QVERIFY(plot->yAxis->range().contains(0.55) && plot->yAxis->range().contains(0.72));
    QCOMPARE(plot->xAxis->range().upper, 3.5);  // room for every planned epoch
    QVERIFY(view.summary().isEmpty());
    view.set_validation({{8, 0.61, 0.02}, {10, std::nan(""), std::nan("")}});
    QVERIFY2(view.summary().contains("0.610 ± 0.039") && view.summary().contains("–"), qPrintable(view.summary()));
    // the curve is drawn: the validation colour appears in the rendered plot
    plot->replot();
    const QImage image = plot->toPixmap(400, 260).toImage();
    bool vermillion = false;
    for (int y = 0; y < image.height() && !vermillion; ++y)
      for (int x = 0; x < image.width() && !vermillion; ++x) {
        const QColor c = image.pixelColor(x, y);  // #D55E00, allowing for antialiasing
        vermillion = c.red() > 180 && c.green() > 60 && c.green() < 130 && c.blue() < 60;
      }
    QVERIFY(vermillion);
    view.start("again", 5);  // a new training starts empty
    QCOMPARE(view.epoch_count(), 0);
    QVERIFY(view.summary().isEmpty());
  }

  void classifier_list_shows_mean_auroc() {
    ClassifierListPanel list;
    list.set_classifiers({{"tiny-linear", "linear", "tiny-mistral", "8, 10, 12, 14", 0.5734, "details"},
                          {"untested", "mamba", "", "4", std::nan(""), {}}});
    QCOMPARE(list.classifier_count(), 2);
    QCOMPARE(list.topLevelItem(0)->text(4), QString("0.573"));
    QCOMPARE(list.topLevelItem(1)->text(4), QString("–"));
    list.set_classifiers({});
    QCOMPARE(list.classifier_count(), 0);
  }

  void job_progress_counts_any_unit() {
    JobProgress progress;
    progress.start("Training tiny-linear");
    progress.set_progress(2, 8, 3.5, 12, "sequences/s", "sequences");
    QVERIFY2(progress.text().contains("2 / 8 sequences") && progress.text().contains("3.5 sequences/s") &&
                 progress.text().contains("ETA 12 s"),
             qPrintable(progress.text()));
    progress.set_progress(3, 10, 0, 20, "", "epochs");
    QVERIFY2(progress.text().endsWith("3 / 10 epochs ETA 20 s"), qPrintable(progress.text()));
    QTest::mouseClick(progress.findChild<QToolButton*>(), Qt::LeftButton);
    QVERIFY(progress.text().contains("stopping"));
    progress.set_progress(4, 10, 0, 15, "", "epochs");
    QVERIFY(progress.text().contains("stopping"));  // until the job has stopped
  }
};

QTEST_MAIN(TestJobViews)
#include "test_job_views.moc"
