#pragma once
// The workbench's main window on one workspace: the side panel (models, datasets, runs), the trade-off panel in
// the centre, the token inspector below, background jobs (record, train exit classifiers, evaluate; one at a time)
// with progress and cancel in the status bar, exports, the theme, and the session restored on start. Errors show in a banner at the top, never a modal box.
#include <QMainWindow>
#include <QSet>

#include "app/jobs/record_job.h"
#include "app/ui/session_settings.h"

class QDockWidget;
class QLabel;

namespace dynamax::views {
class JobProgress;
class MessageBanner;
}  // namespace dynamax::views

namespace dynamax::app {

class CalibrationController;
class ComparisonPanel;
class JobController;
class JobLauncher;
class RecordController;
class RunImporter;
class RunActions;
class TokenInspector;
class TradeoffPanel;
class WorkspaceController;
class WorkspacePanel;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  void open_workspace(const QString& path);
  // Starts a recording into the open workspace (what the Record dialog does when accepted).
  bool record(RecordOptions options);
  // Merges these workspaces' runs into the open one in the background (File → Import runs… after its file dialog).
  bool import_runs(const QStringList& files);
  void restore_session(const SessionState& state);
  SessionState session_state() const;
  void set_dark(bool dark);
  // True when nothing is loading, analysing or recording (screenshots and tests wait for it).
  bool is_idle() const;

  WorkspaceController* workspace() const { return workspace_; }
  WorkspacePanel* workspace_panel() const { return workspace_panel_; }
  TradeoffPanel* tradeoff() const { return tradeoff_; }
  TokenInspector* inspector() const { return inspector_; }
  ComparisonPanel* comparison() const { return comparison_; }
  QDockWidget* comparison_dock() const { return comparison_dock_; }
  RecordController* recorder() const { return recorder_; }
  JobLauncher* launcher() const { return launcher_; }
  CalibrationController* calibrator() const { return calibrator_; }
  views::MessageBanner* banner() const { return banner_; }
  views::JobProgress* job_progress() const { return job_progress_; }
  QLabel* read_only_label() const { return read_only_label_; }
  const QList<QAction*>& write_actions() const { return write_actions_; }

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void build_menus();
  void workspace_opened();
  void workspace_changed();
  void workspace_open_failed(const QString& path);
  void list_classifier_measures();  // the checked recordings' classifiers, as measures
  void show_record_dialog(const QString& model_folder = {});
  void show_calibration_dialog();
  void choose_workspace();
  void choose_runs_to_import();
  void export_figure();
  void export_data();
  void export_table();
  void report(const QString& message);
  void inform(const QString& message);

  RunActions* run_actions_ = nullptr;
  QString restore_checked_in_;  // the last session's workspace and its checked runs, applied on its first listing
  QVector<qint64> restore_checked_;
  views::MessageBanner* banner_;
  views::JobProgress* job_progress_;
  WorkspaceController* workspace_;
  WorkspacePanel* workspace_panel_;
  TradeoffPanel* tradeoff_;
  TokenInspector* inspector_;
  JobController* jobs_;
  RecordController* recorder_;
  JobLauncher* launcher_;
  RunImporter* importer_;
  CalibrationController* calibrator_;
  QDockWidget* workspace_dock_;
  QDockWidget* inspector_dock_;
  ComparisonPanel* comparison_ = nullptr;
  QDockWidget* comparison_dock_ = nullptr;
  QAction* dark_action_ = nullptr;
  QLabel* read_only_label_ = nullptr;  // in the status bar while the workspace is read-only
  QList<QAction*> write_actions_;      // off while the workspace is read-only
  QSet<qint64> seen_runs_;  // runs listed before: new ones are checked (plotted) as they appear
  bool first_listing_ = true;
};

}  // namespace dynamax::app
