#pragma once
// The workspace's runs: model, dataset, status, samples done of the target, tokens. A checked run is shown in
// the trade-off plot; double-clicking one opens it in the token inspector. Its context menu (and the Delete key)
// asks to resume an unfinished run, delete runs or show a run's config: intents the window carries out.
#include <QTreeWidget>
#include <QVector>

class QMenu;

namespace dynamax::views {

struct RunRow {
  qint64 id = 0;
  QString model, dataset, status;  // status: running | done | cancelled | failed | interrupted
  qint64 samples_done = 0, sample_target = 0, tokens = 0;
  QString error;                   // shown on hover of a failed run
  QString dataset_spec;            // shown on hover of the dataset
  QString precision;               // the matmuls' compute precision: fp32 | bf16
  bool plottable = true;           // a recording; an evaluation run has no trade-off curve and no check box
};

class RunListPanel : public QTreeWidget {
  Q_OBJECT
 public:
  explicit RunListPanel(QWidget* parent = nullptr);

  // Replaces the rows, keeping the checks of runs still listed.
  void set_runs(const QVector<RunRow>& runs);
  void set_checked(const QVector<qint64>& ids);
  QVector<qint64> checked_runs() const;
  int run_count() const { return topLevelItemCount(); }
  QVector<qint64> selected_runs() const;
  // The context menu for the selected runs (the window shows it at the mouse; tests trigger its actions).
  QMenu* context_menu();

 signals:
  void checked_runs_changed(const QVector<qint64>& ids);
  void run_activated(qint64 id);
  void resume_requested(qint64 id);
  void delete_requested(const QVector<qint64>& ids);
  void config_requested(qint64 id);

 protected:
  void keyPressEvent(QKeyEvent* event) override;

 private:
  bool updating_ = false;
};

}  // namespace dynamax::views
