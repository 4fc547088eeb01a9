#pragma once
// The window's central panel: measure, axes and threshold controls over the trade-off plot, with the operating-
// point table under it, driven by a TradeoffController.
#include <QWidget>

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

 private:
  void measure_changed(const QString& measure);

  views::ThresholdControls* controls_;
  views::TradeoffPlot* plot_;
  views::OperatingPointTable* table_;
  TradeoffController* controller_;
};

}  // namespace dynamax::app
