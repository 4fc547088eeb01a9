#pragma once
// The live view of a classifier training: train and validation loss per epoch, drawn as each epoch ends, and at
// the end the validation AUROC of every exit depth with its 95 % interval (± 1.96 SE) under the plot.
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QLabel;

namespace dynamax::views {

struct ExitAuroc {
  int depth = 0;
  double auroc = 0, auroc_se = 0;  // NaN when undefined (one class only)
};

class LossCurvePlot : public QWidget {
  Q_OBJECT
 public:
  explicit LossCurvePlot(QWidget* parent = nullptr);

  // Starts an empty plot for a new training.
  void start(const QString& title, int epochs);
  void add_epoch(int epoch, double train_loss, double valid_loss);
  void set_status(const QString& text);
  void set_validation(const QVector<ExitAuroc>& exits);
  void set_dark(bool dark);  // the plot's background, axes, text and point fills
  bool is_dark() const { return dark_; }

  int epoch_count() const;
  QVector<double> train_losses() const;
  QVector<double> valid_losses() const;
  QString summary() const;
  QCustomPlot* plot() const { return plot_; }

 private:
  QCustomPlot* plot_;
  QLabel* status_;
  QLabel* summary_;
  int epochs_ = 1;
  bool dark_ = false;
};

}  // namespace dynamax::views
