#pragma once
// The window's central panel: measure, axes and threshold controls over the trade-off plot, with the operating-
// point table under it, driven by a TradeoffController. τ is remembered per measure; a measure seen for the first
// time starts at the cheapest τ that keeps 90 % of the first run's best quality (not at an end where every or no
// token exits).
#include <QMap>
#include <QWidget>

class QLabel;

namespace dynamax::views {
class OperatingPointTable;
class ThresholdControls;
class TradeoffPlot;
}  // namespace dynamax::views

namespace dynamax::app {

class TradeoffController;

class TradeoffPanel : public QWidget {
  Q_OBJECT
 public:
  explicit TradeoffPanel(QWidget* parent = nullptr);

  TradeoffController* controller() const { return controller_; }
  views::ThresholdControls* controls() const { return controls_; }
  views::TradeoffPlot* plot() const { return plot_; }
  views::OperatingPointTable* table() const { return table_; }
  QString info() const;  // what the line under the table explains now

  // τ per measure key, the current measure's included; for the session.
  QMap<QString, double> thresholds() const;
  void set_thresholds(const QMap<QString, double>& thresholds);

  static constexpr double kStartQuality = 0.9;

 private:
  void measure_changed(const QString& measure);
  void runs_analysed();
  void explain();  // the info line under the table

  views::ThresholdControls* controls_;
  views::TradeoffPlot* plot_;
  views::OperatingPointTable* table_;
  TradeoffController* controller_;
  QLabel* info_;
  QString measure_;
  QMap<QString, double> thresholds_;  // of the measures not shown now
  bool start_from_data_ = false;      // the measure is new: τ follows the first analysis
};

}  // namespace dynamax::app
