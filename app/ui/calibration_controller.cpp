#include "app/ui/calibration_controller.h"

#include <QDoubleSpinBox>
#include <QtConcurrent>
#include <cmath>

#include "app/ui/tradeoff_controller.h"
#include "app/ui/tradeoff_panel.h"
#include "views/threshold_controls.h"

namespace dynamax::app {

CalibrationController::CalibrationController(TradeoffPanel* panel, QObject* parent) : QObject(parent), panel_(panel) {
  connect(&watcher_, &QFutureWatcher<CalibrationOutcome>::finished, this, &CalibrationController::finished);
}

CalibrationController::~CalibrationController() { watcher_.waitForFinished(); }

bool CalibrationController::start(const CalibrationChoice& choice) {
  if (is_busy()) {
    emit failed("A calibration is already running.");
    return false;
  }
  const std::vector<AnalysedRunPtr>& runs = panel_->controller()->runs();
  const auto run = std::find_if(runs.begin(), runs.end(),
                                [&](const AnalysedRunPtr& r) { return r->loaded.info.id == choice.run_id; });
  if (run == runs.end()) {
    emit failed(QString("Run #%1 is not shown: check it in the Runs list to calibrate it.").arg(choice.run_id));
    return false;
  }
  CalibrationOptions options = choice.options;
  options.decimals = panel_->controls()->spin_box()->decimals();  // the slider can then sit exactly on τ
  AnalysisOptions analysis;
  analysis.measure = panel_->controller()->measure().toStdString();
  calibrating_ = true;
  watcher_.setFuture(QtConcurrent::run([shown = *run, analysis, options]() -> CalibrationOutcome {
    try {
      auto result = std::make_shared<CertifiedRun>();
      result->run_id = shown->loaded.info.id;
      result->samples_done = shown->loaded.info.samples_done;
      result->calibration =
          calibrate_threshold(shown->loaded.run, shown->loaded.config, analysis, options, shown->loaded.name);
      return {std::move(result), {}};
    } catch (const std::exception& e) {
      return {nullptr, QString::fromStdString(e.what())};
    }
  }));
  return true;
}

void CalibrationController::finished() {
  const CalibrationOutcome outcome = watcher_.result();
  calibrating_ = false;
  if (!outcome.result) {
    emit failed("Calibration failed: " + outcome.error);
    return;
  }
  TradeoffController* controller = panel_->controller();
  const ThresholdCalibration& c = outcome.result->calibration;
  if (controller->measure().toStdString() != c.measure) {
    emit failed("The measure changed while calibrating; calibrate again.");
    return;
  }
  controller->set_calibration(outcome.result);
  views::ThresholdControls* controls = panel_->controls();
  controls->set_threshold(c.threshold());
  QString summary = calibration_summary(c);
  if (controls->threshold() != c.threshold())
    summary += QString(" — the slider stops at %1, short of the certified τ").arg(controls->threshold());
  emit calibrated(summary);
}

}  // namespace dynamax::app
