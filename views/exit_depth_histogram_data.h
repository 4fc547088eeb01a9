#pragma once
// Plain data for the exit-depth histograms: for each compared run, the share of its tokens that exit at each
// depth under the current threshold. Filled by app/ from the analysed runs.
#include <QColor>
#include <QString>
#include <QVector>

namespace dynamax::views {

struct RunExitHistogram {
  QString run;                      // "tiny-mistral #1": the run, named after its model
  QColor color;                     // the run's curve colour in the trade-off plot
  QVector<double> shares;           // [L]: share of tokens exiting at depth d in shares[d − 1]; sums to 1
  qint64 tokens = 0;
  double mean_depth_fraction = 0;   // mean exit depth / L

  int depths() const { return int(shares.size()); }
};

}  // namespace dynamax::views
