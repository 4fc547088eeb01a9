#pragma once
// Plain data for the per-sample agreement table: for the samples that compared runs share, each run's mean exit
// depth and its consistency with its own full model at the current threshold, and which runs keep the sample.
// Filled by app/ from the analysed runs.
#include <QColor>
#include <QString>
#include <QVector>

namespace dynamax::views {

struct SampleAgreementRun {
  QString name;  // "tiny-mistral #1"
  QString tag;   // "#1": short enough for column headers, which also show the colour
  QColor color;  // the run's curve colour in the trade-off plot
};

struct SampleAgreementRow {
  qint64 sample_index = 0;              // in the dataset
  QString excerpt;                      // a few words of the sample's text
  QVector<double> mean_depth_fraction;  // [runs]: mean exit depth / L
  QVector<double> consistency;          // [runs]: scored tokens whose exit keeps the full model's token; NaN: none
  QString agreement;                    // "both keep", "both change", "only tiny-mistral #1 keeps", ...
  bool runs_differ = false;             // some runs keep the sample and others change it
};

struct SampleAgreementData {
  QVector<SampleAgreementRun> runs;
  QVector<SampleAgreementRow> rows;
  QString message;  // why samples are not paired (e.g. runs on different datasets): shown instead of the rows
};

}  // namespace dynamax::views
