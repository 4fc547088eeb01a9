#include "app/ui/train_controller.h"

#include "app/ui/job_controller.h"
#include "views/job_progress.h"
#include "views/loss_curve_plot.h"

namespace dynamax::app {

TrainController::TrainController(JobController* jobs, views::LossCurvePlot* plot, QObject* parent)
    : QObject(parent), jobs_(jobs), plot_(plot) {}

bool TrainController::start(const TrainExitsOptions& options) {
  if (jobs_->is_running()) return false;
  auto* worker = new TrainExitsWorker(options);
  const QString name = QString::fromStdString(options.name.empty() ? options.out.stem().string() : options.name);
  connect(worker, &TrainExitsWorker::features, this, [this](qulonglong done, qulonglong total, double rate, double eta) {
    jobs_->progress()->set_progress(qint64(done), qint64(total), rate, eta, "sequences/s", "sequences");
    plot_->set_status(QString("Reading the model's exits: %1 / %2 sequences").arg(done).arg(total));
  });
  connect(worker, &TrainExitsWorker::epoch, this, [this](int epoch, int epochs, double train, double valid, double eta) {
    jobs_->progress()->set_progress(epoch, epochs, 0, eta, "", "epochs");
    plot_->set_status(QString("Epoch %1 of %2: train loss %3, validation loss %4")
                          .arg(epoch).arg(epochs).arg(train, 0, 'f', 4).arg(valid, 0, 'f', 4));
    plot_->add_epoch(epoch, train, valid);
  });
  connect(worker, &TrainExitsWorker::finished, this, [this, worker](const QString& status, const TrainedClassifier& c) {
    jobs_->release(worker);
    if (status != "done") {
      plot_->set_status("Training cancelled; nothing was saved.");
      emit cancelled();
      return;
    }
    QVector<views::ExitAuroc> exits;
    for (const ExitValidation& e : c.exits) exits.push_back({e.depth, e.auroc, e.auroc_se});
    plot_->set_validation(exits);
    plot_->set_status(QString("%1: best epoch %2, saved to %3 and the workspace").arg(c.name).arg(c.best_epoch).arg(c.file));
    emit trained(c);
  });
  connect(worker, &TrainExitsWorker::failed, this, [this, worker](const QString& message) {
    jobs_->release(worker);
    plot_->set_status("Training failed: " + message);
    emit failed(message);
  });
  worker_ = worker;
  if (!jobs_->start(worker, "Training " + name)) return false;
  plot_->start(QString("Training %1 (%2) on %3").arg(name, QString(classifier_kind_name(options.classifier.kind)),
                                                     QString::fromStdString(options.model_dir.filename().string())),
               options.training.epochs);
  emit started();
  return true;
}

void TrainController::cancel() {
  if (worker_) worker_->cancel();
}

bool TrainController::is_running() const { return jobs_->runs(worker_); }

}  // namespace dynamax::app
