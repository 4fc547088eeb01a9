#include "app/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QVBoxLayout>

#include "app/main_window_launcher.h"
#include "app/openblas_core.h"
#include "app/ui/calibration_controller.h"
#include "app/ui/calibration_dialog.h"
#include "app/ui/comparison_panel.h"
#include "app/ui/figure_export.h"
#include "app/ui/job_controller.h"
#include "app/ui/job_launcher.h"
#include "app/ui/record_controller.h"
#include "app/ui/run_importer.h"
#include "app/ui/record_dialog.h"
#include "app/ui/run_actions.h"
#include "app/ui/scored_classifiers.h"
#include "app/ui/theme.h"
#include "app/ui/token_inspector.h"
#include "app/ui/tradeoff_controller.h"
#include "app/ui/tradeoff_panel.h"
#include "app/ui/workspace_controller.h"
#include "app/ui/workspace_panel.h"
#include "core/common/error.h"
#include "views/job_progress.h"
#include "views/loss_curve_plot.h"
#include "views/message_banner.h"
#include "views/run_list_panel.h"
#include "views/threshold_controls.h"
#include "views/tradeoff_plot.h"

namespace dynamax::app {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), banner_(new views::MessageBanner), job_progress_(new views::JobProgress),
      workspace_(new WorkspaceController(this)), workspace_panel_(new WorkspacePanel), tradeoff_(new TradeoffPanel),
      inspector_(new TokenInspector(tradeoff_->controller(), workspace_)), jobs_(new JobController(job_progress_, this)),
      recorder_(new RecordController(jobs_, this)), launcher_(new JobLauncher(this, workspace_, jobs_)),
      importer_(new RunImporter(this)),
      calibrator_(new CalibrationController(tradeoff_, this)),
      workspace_dock_(new QDockWidget("Workspace", this)), inspector_dock_(new QDockWidget("Token inspector", this)) {
  setWindowTitle("DYNAMAX Workbench");
  setAcceptDrops(true);
  auto* centre = new QWidget(this);
  auto* layout = new QVBoxLayout(centre);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(banner_);
  layout->addWidget(tradeoff_, 1);
  setCentralWidget(centre);
  workspace_dock_->setObjectName("workspace_dock");
  workspace_dock_->setWidget(workspace_panel_);
  addDockWidget(Qt::LeftDockWidgetArea, workspace_dock_);
  inspector_dock_->setObjectName("inspector_dock");
  inspector_dock_->setWidget(inspector_);
  addDockWidget(Qt::BottomDockWidgetArea, inspector_dock_);
  comparison_ = new ComparisonPanel(tradeoff_->controller());
  comparison_dock_ = new QDockWidget("Comparison", this);
  comparison_dock_->setObjectName("comparison_dock");
  comparison_dock_->setWidget(comparison_);
  connect(comparison_dock_, &QDockWidget::visibilityChanged, comparison_, &ComparisonPanel::set_in_view);
  connect(comparison_, &ComparisonPanel::sample_activated, this, [this](qint64 run, qint64 sample) {
    inspector_->show_run(run);
    inspector_->show_sample(int(sample));
    inspector_dock_->show();
    inspector_dock_->raise();
  });
  tabifyDockWidget(inspector_dock_, comparison_dock_);
  inspector_dock_->raise();  // the inspector stays in front; the comparison is one tab away
  resizeDocks({workspace_dock_}, {430}, Qt::Horizontal);
  resizeDocks({inspector_dock_}, {350}, Qt::Vertical);
  read_only_label_ = new QLabel("Read-only workspace: viewing only");
  read_only_label_->setObjectName("read_only_label");
  read_only_label_->setToolTip("The workspace is on read-only media or its file may not be written: recording, "
                               "training and evaluating are off.");
  read_only_label_->hide();
  statusBar()->addPermanentWidget(read_only_label_);
  statusBar()->addPermanentWidget(job_progress_);
  statusBar()->showMessage(QString("OpenBLAS core: %1").arg(openblas_core_name()));
  build_menus();

  connect(workspace_, &WorkspaceController::opened, this, &MainWindow::workspace_opened);
  connect(workspace_, &WorkspaceController::snapshot_changed, this, &MainWindow::workspace_changed);
  connect(workspace_, &WorkspaceController::failed, this, &MainWindow::report);
  connect(workspace_, &WorkspaceController::open_failed, this, &MainWindow::workspace_open_failed);
  views::RunListPanel* runs = workspace_panel_->runs();
  connect(runs, &views::RunListPanel::checked_runs_changed, tradeoff_->controller(), &TradeoffController::set_runs);
  connect(runs, &views::RunListPanel::checked_runs_changed, this, &MainWindow::list_classifier_measures);
  connect(runs, &views::RunListPanel::run_activated, this, [this, runs](qint64 id) {
    QVector<qint64> checked = runs->checked_runs();
    if (!checked.contains(id)) runs->set_checked(checked << id);
    inspector_->show_run(id);
    inspector_dock_->show();
    inspector_dock_->raise();
  });
  connect(tradeoff_->controller(), &TradeoffController::failed, this, &MainWindow::report);
  connect(recorder_, &RecordController::run_grew, workspace_, &WorkspaceController::refresh);
  connect(recorder_, &RecordController::notice, this,
          [this](const QString& text) { banner_->show_message(text, views::MessageBanner::Kind::Info); });
  connect(recorder_, &RecordController::run_ended, this, [this](qint64 id, const QString& status) {
    workspace_->refresh();
    statusBar()->showMessage(QString("Run #%1 %2").arg(id).arg(status), 8000);
  });
  connect(recorder_, &RecordController::failed, this, [this](const QString& message) {
    workspace_->refresh();
    report("Recording failed: " + message);
  });
  connect(calibrator_, &CalibrationController::calibrated, this, &MainWindow::inform);
  connect(calibrator_, &CalibrationController::failed, this, &MainWindow::report);
  connect(jobs_, &JobController::started, banner_, &views::MessageBanner::clear_error);
  run_actions_ = new RunActions(
      this, workspace_, jobs_,
      [this](const RunInfo& run) {
        RecordOptions o;
        o.resume_run = run.id;
        o.model_dir = run.model_path;
        return record(o);
      },
      [this](const RunInfo& run) {
        EvaluateOptions o;
        o.resume_run = run.id;
        o.model_dir = run.model_path;
        return launcher_->evaluate(o);
      });
  connect(runs, &views::RunListPanel::resume_requested, run_actions_, &RunActions::resume);
  connect(runs, &views::RunListPanel::delete_requested, run_actions_, &RunActions::remove);
  connect(runs, &views::RunListPanel::config_requested, run_actions_, &RunActions::show_config);
  connect(run_actions_, &RunActions::error, this, &MainWindow::report);
  connect(run_actions_, &RunActions::status, this, &MainWindow::inform);
  connect(launcher_, &JobLauncher::workspace_changed, workspace_, &WorkspaceController::refresh);
  connect(importer_, &RunImporter::imported, this, [this](const QString& summary) {
    workspace_->refresh();
    banner_->show_message(summary, views::MessageBanner::Kind::Info);
    statusBar()->clearMessage();
  });
  connect(importer_, &RunImporter::failed, this, [this](const QString& message) {
    statusBar()->clearMessage();
    report(message);
  });
  connect(launcher_, &JobLauncher::status, this, &MainWindow::inform);
  connect(launcher_, &JobLauncher::error, this, &MainWindow::report);
  connect(launcher_, &JobLauncher::notice, this, [this](const QString& text) {
    banner_->show_message(text, views::MessageBanner::Kind::Info);
  });
  resize(1440, 900);
}

MainWindow::~MainWindow() = default;

void MainWindow::build_menus() {
  QMenu* file = menuBar()->addMenu("&File");
  file->addAction("&Open workspace…", QKeySequence::Open, this, &MainWindow::choose_workspace);
  QAction* import_action = file->addAction("&Import runs…", this, &MainWindow::choose_runs_to_import);
  file->addSeparator();
  file->addAction("Export &figure…", QKeySequence("Ctrl+E"), this, &MainWindow::export_figure);
  file->addAction("Export &data (CSV)…", this, &MainWindow::export_data);
  file->addAction("Export &table (LaTeX)…", this, &MainWindow::export_table);
  file->addSeparator();
  file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);

  QMenu* run = menuBar()->addMenu("&Run");
  run->addAction("&Record…", QKeySequence("Ctrl+R"), this, [this] { show_record_dialog(); });
  launcher_->add_actions(run);
  write_actions_ = run->actions();  // every job writes the workspace
  write_actions_.push_back(import_action);
  run->addAction("Ca&librate τ…", QKeySequence("Ctrl+Shift+L"), this, &MainWindow::show_calibration_dialog);
  run->addSeparator();
  run->addAction("&Cancel job", QKeySequence("Ctrl+."), jobs_, &JobController::cancel);

  QMenu* view = menuBar()->addMenu("&View");
  view->addAction(workspace_dock_->toggleViewAction());
  view->addAction(inspector_dock_->toggleViewAction());
  view->addAction(comparison_dock_->toggleViewAction());
  view->addAction(launcher_->training_dock()->toggleViewAction());
  view->addAction("Reset &zoom", QKeySequence("Ctrl+0"), tradeoff_->plot(), &views::TradeoffPlot::reset_view);
  view->addSeparator();
  dark_action_ = view->addAction("&Dark theme");
  dark_action_->setCheckable(true);
  dark_action_->setShortcut(QKeySequence("Ctrl+Shift+D"));
  connect(dark_action_, &QAction::toggled, this, &MainWindow::set_dark);
}

// Nothing of the current workspace changes until the new one has been read (workspace_opened).
void MainWindow::open_workspace(const QString& path) {
  workspace_->open(path);
  statusBar()->showMessage("Opening " + path + "…");
}

void MainWindow::workspace_opened() {
  seen_runs_.clear();
  first_listing_ = true;
  const bool read_only = workspace_->is_read_only();
  setWindowTitle("DYNAMAX Workbench — " + QFileInfo(workspace_->path()).fileName() + (read_only ? " (read-only)" : ""));
  tradeoff_->controller()->set_workspace(workspace_->path());
  read_only_label_->setVisible(read_only);
  for (QAction* action : write_actions_) action->setEnabled(!read_only);
  statusBar()->showMessage("Workspace " + workspace_->path() + (read_only ? ": read-only, for viewing" : ""), 5000);
}

void MainWindow::workspace_open_failed(const QString& path) {
  statusBar()->showMessage(workspace_->is_open() ? QString("Could not open %1; %2 stays open").arg(path, workspace_->path())
                                                 : QString("Could not open %1").arg(path));
}

void MainWindow::workspace_changed() {
  const WorkspaceSnapshot& s = workspace_->snapshot();
  views::RunListPanel* runs = workspace_panel_->runs();
  const bool first = std::exchange(first_listing_, false);
  workspace_panel_->set_snapshot(s);
  // New recordings are plotted as they appear; on opening, the latest finished recording of each model.
  QVector<qint64> checked = first ? QVector<qint64>{} : runs->checked_runs();  // a new workspace starts unticked
  QSet<std::string> models_shown;
  for (auto it = s.runs.rbegin(); it != s.runs.rend(); ++it) {
    if (seen_runs_.contains(it->id) || it->kind != "record") continue;
    const bool latest_of_model = first && it->status == "done" && !models_shown.contains(it->model_name);
    if ((!first || latest_of_model) && !checked.contains(it->id)) checked.push_back(it->id);
    models_shown.insert(it->model_name);
  }
  // The last session's checks in this workspace, in their order (which gives the colours), where they still exist.
  if (first && !restore_checked_.isEmpty() && restore_checked_in_ == workspace_->path()) {
    checked.clear();
    for (qint64 id : restore_checked_)
      if (std::any_of(s.runs.begin(), s.runs.end(), [&](const RunInfo& r) { return r.id == id; })) checked << id;
  } else {
    std::sort(checked.begin(), checked.end());
  }
  restore_checked_.clear();
  for (const RunInfo& r : s.runs) seen_runs_.insert(r.id);
  runs->set_checked(checked);
  tradeoff_->controller()->set_runs(runs->checked_runs());  // also when the checks did not change across workspaces
  tradeoff_->controller()->runs_updated(s.runs);
  list_classifier_measures();
  const bool recorded = std::any_of(s.runs.begin(), s.runs.end(), [](const RunInfo& r) { return r.kind == "record"; });
  tradeoff_->plot()->set_placeholder(
      recorded ? "Check a recording in the Runs list to plot its trade-off."
               : "No recordings yet.\nRun → Record… (Ctrl+R) records a demo model on the built-in passages in "
                 "a few seconds; its trade-off curve grows here as it records.");
}

void MainWindow::list_classifier_measures() {
  tradeoff_->controls()->set_classifiers(
      scored_classifiers(workspace_->snapshot().runs, workspace_panel_->runs()->checked_runs()));
}

bool MainWindow::record(RecordOptions options) {
  if (!workspace_->is_open()) {
    report("Open a workspace before recording.");
    return false;
  }
  if (workspace_->is_read_only()) {
    report("The workspace is read-only: record into another workspace.");
    return false;
  }
  options.db_path = workspace_->path().toStdString();
  if (!recorder_->start(options)) {
    report("Another job is running; cancel it or wait for it to finish.");
    return false;
  }
  return true;
}

void MainWindow::show_record_dialog(const QString& model_folder) {
  if (!workspace_->is_open()) {
    report("Open a workspace before recording.");
    return;
  }
  if (workspace_->is_read_only()) {
    report("The workspace is read-only: record into another workspace.");
    return;
  }
  RecordDialog dialog(workspace_->snapshot(), this);
  if (!model_folder.isEmpty()) dialog.set_model_folder(model_folder);
  if (dialog.exec() == QDialog::Accepted) record(dialog.options());
}

void MainWindow::show_calibration_dialog() {
  QVector<QPair<qint64, QString>> runs;
  for (const AnalysedRunPtr& r : tradeoff_->controller()->runs())
    runs.push_back({r->loaded.info.id, QString::fromStdString(r->loaded.name)});
  if (runs.isEmpty()) {
    report("Check a recorded run in the Runs list to calibrate its threshold.");
    return;
  }
  CalibrationDialog dialog(runs, tradeoff_->controller()->measure(), this);
  if (dialog.exec() == QDialog::Accepted) calibrator_->start(dialog.choice());
}

void MainWindow::choose_workspace() {
  const QString path = QFileDialog::getSaveFileName(this, "Open or create a workspace", workspace_->path(),
                                                    "Workspace database (*.db *.sqlite);;All files (*)", nullptr,
                                                    QFileDialog::DontConfirmOverwrite);
  if (!path.isEmpty()) open_workspace(path);
}

void MainWindow::choose_runs_to_import() {
  const QStringList files = QFileDialog::getOpenFileNames(this, "Import the runs of workspaces (shards are joined)",
                                                          QFileInfo(workspace_->path()).absolutePath(),
                                                          "Workspace database (*.db *.sqlite);;All files (*)");
  if (!files.isEmpty()) import_runs(files);
}

bool MainWindow::import_runs(const QStringList& files) {
  if (!workspace_->is_open() || workspace_->is_read_only() || jobs_->is_running() ||
      !importer_->start(workspace_->path(), files)) {
    report("Import runs into a writable workspace while no job is running in it.");
    return false;
  }
  statusBar()->showMessage("Importing runs…");
  return true;
}

void MainWindow::export_figure() {
  const QString path = export_figure_with_dialog(tradeoff_->controller()->plot_data(), this);
  if (!path.isEmpty()) inform("Wrote " + path);
}

void MainWindow::export_data() {
  const QString path = QFileDialog::getSaveFileName(this, "Export curve data", "tradeoff.csv", "CSV (*.csv)");
  if (path.isEmpty()) return;
  const QString error = export_curves_csv(tradeoff_->controller()->analyses(), path);
  error.isEmpty() ? inform("Wrote " + path) : report(error);
}

void MainWindow::export_table() {
  const QString path = QFileDialog::getSaveFileName(this, "Export operating points", "operating_points.tex",
                                                    "LaTeX (*.tex)");
  if (path.isEmpty()) return;
  const QString error = export_latex_table(tradeoff_->controller()->operating_points(), path);
  error.isEmpty() ? inform("Wrote " + path) : report(error);
}

void MainWindow::report(const QString& message) { banner_->show_message(message, views::MessageBanner::Kind::Error); }

void MainWindow::inform(const QString& message) { statusBar()->showMessage(message, 8000); }

void MainWindow::set_dark(bool dark) {
  if (dark_action_->isChecked() != dark) {
    dark_action_->setChecked(dark);  // toggled() calls back here with the action in step
    return;
  }
  apply_theme(dark);
  tradeoff_->plot()->set_dark(dark);
  launcher_->loss_curves()->set_dark(dark);
  inspector_->set_dark(dark);
  comparison_->set_dark(dark);
}

bool MainWindow::is_idle() const {
  return workspace_->is_open() && !workspace_->is_busy() && !tradeoff_->controller()->is_busy() &&
         !jobs_->is_running() && !inspector_->is_busy() && !importer_->is_busy() && !calibrator_->is_busy();
}

void MainWindow::restore_session(const SessionState& state) {
  if (!state.geometry.isEmpty()) restoreGeometry(state.geometry);
  if (!state.dock_state.isEmpty()) restoreState(state.dock_state);
  views::ThresholdControls* controls = tradeoff_->controls();
  controls->set_measure(state.measure);
  controls->set_axes(state.compute_axis, state.quality_axis);
  controls->set_threshold(state.threshold);
  QMap<QString, double> thresholds = state.thresholds;
  thresholds[state.measure] = state.threshold;
  tradeoff_->set_thresholds(thresholds);
  restore_checked_in_ = state.checked_in;
  restore_checked_ = state.checked_runs;
  set_dark(state.dark);
}

SessionState MainWindow::session_state() const {
  SessionState s;
  s.workspace = workspace_->path();
  s.geometry = saveGeometry();
  s.dock_state = saveState();
  const views::ThresholdControls* controls = tradeoff_->controls();
  s.measure = controls->measure();
  s.compute_axis = controls->compute_axis();
  s.quality_axis = controls->quality_axis();
  s.threshold = controls->threshold();
  s.thresholds = tradeoff_->thresholds();
  s.checked_in = workspace_->path();
  s.checked_runs = workspace_panel_->runs()->checked_runs();
  s.dark = dark_action_->isChecked();
  return s;
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (jobs_->is_running() &&
      QMessageBox::question(this, "Quit while a job runs?",
                            "A job is running. Quit and cancel it? A cancelled recording or evaluation keeps what it "
                            "has done and can be resumed from the Runs list.",
                            QMessageBox::Yes | QMessageBox::No, QMessageBox::No) != QMessageBox::Yes) {
    event->ignore();
    return;
  }
  save_session(session_state());
  jobs_->cancel();  // the worker stops at its next check; its destructor joins the thread
  event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

// A model folder starts the Record dialog with it; a .db file opens as the workspace.
void MainWindow::dropEvent(QDropEvent* event) {
  for (const QUrl& url : event->mimeData()->urls()) {
    const QFileInfo info(url.toLocalFile());
    if (info.isDir() && QFileInfo(info.filePath() + "/config.json").isFile())
      show_record_dialog(info.filePath());
    else if (info.isFile() && (info.suffix() == "db" || info.suffix() == "sqlite"))
      open_workspace(info.filePath());
    else
      report(QString("%1 is neither a model folder (no config.json) nor a workspace database.").arg(info.filePath()));
  }
}

int launch_main_window(const std::string& screenshot_png, const std::string& workspace) {
  static int argc = 1;
  static char name[] = "dynamax";
  static char* argv[] = {name, nullptr};
  QApplication app(argc, argv);
  QApplication::setOrganizationName("dynamax");
  QApplication::setApplicationName("workbench");
  MainWindow window;
  const SessionState session = load_session();
  window.restore_session(session);
  QString path = QString::fromStdString(workspace);
  if (path.isEmpty()) path = session.workspace.isEmpty() ? WorkspaceController::default_path() : session.workspace;
  window.open_workspace(path);
  window.show();
  if (!screenshot_png.empty()) {
    QElapsedTimer waited;
    waited.start();
    do QApplication::processEvents(QEventLoop::AllEvents, 50);
    while (!window.is_idle() && waited.elapsed() < 20'000 && window.banner()->text().isEmpty());
    if (!window.grab().save(QString::fromStdString(screenshot_png))) throw Error(screenshot_png + ": cannot write the screenshot");
    return 0;
  }
  return app.exec();
}

}  // namespace dynamax::app
