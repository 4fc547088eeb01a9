#pragma once
// The token inspector panel: pick one of the analysed runs and a sample; the heatmap shows its tokens × depths
// and follows the threshold and the measure of the trade-off panel.
#include <QWidget>

class QComboBox;
class QSpinBox;
class QLabel;

namespace dynamax::views {
class TokenHeatmap;
}

namespace dynamax::app {

class TradeoffController;

class TokenInspector : public QWidget {
  Q_OBJECT
 public:
  explicit TokenInspector(TradeoffController* analyses, QWidget* parent = nullptr);

  void show_run(qint64 run_id);  // when it is among the analysed runs
  void show_sample(int sample);
  void set_dark(bool dark);
  views::TokenHeatmap* heatmap() const { return heatmap_; }
  qint64 run_id() const;

 private:
  void runs_changed();
  void rebuild();
  void threshold_moved(double tau);

  TradeoffController* analyses_;
  QComboBox* run_;
  QSpinBox* sample_;
  QLabel* hint_;
  views::TokenHeatmap* heatmap_;
};

}  // namespace dynamax::app
