#pragma once
// Calibrates one shown run's threshold with Learn then Test off the GUI thread (QtConcurrent + QFutureWatcher, on
// the run already loaded in memory: no database), then shows the result: the certified region on the run's curve,
// δ, ε and the held-out risk in the table, and the slider at the certified τ.
#include <QFutureWatcher>
#include <QObject>
#include <memory>

#include "app/analysis/certified_region.h"
#include "app/ui/calibration_dialog.h"

namespace dynamax::app {

class TradeoffPanel;

struct CalibrationOutcome {
  std::shared_ptr<const CertifiedRun> result;  // null on failure
  QString error;
};

class CalibrationController : public QObject {
  Q_OBJECT
 public:
  explicit CalibrationController(TradeoffPanel* panel, QObject* parent = nullptr);
  ~CalibrationController() override;

  // False, with failed(), when the run is not shown or a calibration is already running.
  bool start(const CalibrationChoice& choice);
  bool is_busy() const { return calibrating_; }

 signals:
  void calibrated(const QString& summary);
  void failed(const QString& message);

 private:
  void finished();

  TradeoffPanel* panel_;
  QFutureWatcher<CalibrationOutcome> watcher_;
  bool calibrating_ = false;  // until finished() hands the result over (the future ends before it runs)
};

}  // namespace dynamax::app
