#pragma once
// Runs a training of exit classifiers in its own thread for the window (see JobWorker): feature extraction
// progress, the losses of every epoch as it ends (for the live loss curves), then the classifier's validation
// metrics.
#include <QMetaType>
#include <QVector>

#include "app/jobs/job_worker.h"
#include "app/jobs/train_exits_job.h"

namespace dynamax::app {

struct ExitValidation {
  int depth = 0;
  double auroc = 0, auroc_se = 0;  // NaN when the validation data has one class only
};

struct TrainedClassifier {
  QString name, file;
  int best_epoch = 0;
  QVector<ExitValidation> exits;
};

class TrainExitsWorker : public JobWorker {
  Q_OBJECT
 public:
  explicit TrainExitsWorker(TrainExitsOptions options, QObject* parent = nullptr);
  ~TrainExitsWorker() override;  // cancels and waits for the thread

 signals:
  void features(qulonglong sequences_done, qulonglong sequences_total, double sequences_per_second, double eta_seconds);
  void epoch(int epoch, int epochs, double train_loss, double valid_loss, double eta_seconds);
  void finished(QString status, dynamax::app::TrainedClassifier classifier);  // done (with it) | cancelled

 protected:
  void run(const std::atomic<bool>& cancel) override;

 private:
  TrainExitsOptions options_;
};

}  // namespace dynamax::app

Q_DECLARE_METATYPE(dynamax::app::TrainedClassifier)
