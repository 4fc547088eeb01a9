// Training exit classifiers and evaluating early-exit generation from the window, offscreen: a real training of a
// tiny classifier through the worker with its loss curves streaming into the Training dock while the event loop
// keeps turning, the classifier listed in the side panel and usable for recording afterwards, cancel, an
// evaluation on TriviaQA with its run listed and summarised, dialogs that refuse bad input, and model folders
// dropped on the window. Saves a screenshot of the window while training to $DYNAMAX_TRAIN_SCREENSHOT
// (default /tmp/train.png).
#include <qcustomplot.h>

#include <QDockWidget>
#include <functional>
#include <QMessageBox>
#include <QMimeData>
#include <QToolButton>
#include <QSettings>
#include <QtTest>

#include "app/demo_paths.h"
#include "app/main_window.h"
#include "app/jobs/stored_classifier_file.h"
#include "app/ui/dataset_chooser.h"
#include "app/ui/evaluate_controller.h"
#include "app/ui/evaluate_dialog.h"
#include "app/ui/job_launcher.h"
#include "app/ui/record_controller.h"
#include "app/ui/record_dialog.h"
#include "app/ui/train_controller.h"
#include "app/ui/train_dialog.h"
#include "app/ui/workspace_controller.h"
#include "app/ui/tradeoff_controller.h"
#include "app/ui/tradeoff_panel.h"
#include "app/ui/workspace_panel.h"
#include "storage/sqlite_db.h"
#include "support/stall_meter.h"
#include "support/test_support.h"
#include "views/classifier_list_panel.h"
#include "views/job_progress.h"
#include "views/loss_curve_plot.h"
#include "views/message_banner.h"
#include "views/run_list_panel.h"
#include "views/threshold_controls.h"

using namespace dynamax;

namespace {

bool wait_idle(const app::MainWindow& w, int ms = 30'000) {
  return QTest::qWaitFor([&] { return w.is_idle(); }, ms);
}

QString model_folder(const char* name) { return QString::fromStdString((app::resources_dir() / "models" / name).string()); }

QString demo_text() { return QString::fromStdString((app::resources_dir() / "prompts/demo_passages.txt").string()); }

QString triviaqa_file() {
  return QString::fromStdString((testing_support::shared_dir() / "data/triviaqa/triviaqa_sm_sub.jsonl").string());
}

using testing_support::StallMeter;

// Calls `check` on the modal dialog that `trigger` opens, then closes it.
template <typename Dialog>
bool with_modal_dialog(const std::function<void()>& trigger, const std::function<void(Dialog*)>& check) {
  bool seen = false;
  QTimer poll;
  QObject::connect(&poll, &QTimer::timeout, [&] {
    if (auto* dialog = qobject_cast<Dialog*>(QApplication::activeModalWidget())) {
      poll.stop();
      seen = true;
      check(dialog);
      dialog->reject();
    }
  });
  poll.start(20);
  trigger();
  return seen;
}

}  // namespace

class TestJobWindow : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;

  QString db(const char* name) const { return tmp_.filePath(name); }

  // A small training of tiny-mistral on the built-in passages, as the dialog would set it up.
  app::TrainExitsOptions tiny_training(const app::MainWindow& w, const QString& name, int epochs) const {
    app::TrainDialog dialog(w.workspace()->snapshot());
    dialog.set_model_folder(model_folder("tiny-mistral"));
    dialog.set_limit(8);  // 8 windows of 64 tokens: 7 train, the last fifth (1) validates
    dialog.set_epochs(epochs);
    dialog.set_name(name);
    [&] { QVERIFY2(dialog.problem().isEmpty(), qPrintable(dialog.problem())); }();
    app::TrainExitsOptions o = dialog.options();
    o.threads = 1;  // one core stays with the GUI thread on small CI machines
    o.training.patience = epochs;  // every epoch runs: the curve has all of them
    return o;
  }

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("dynamax-test");
    QCoreApplication::setApplicationName("test_job_window");
    QSettings().remove("dialogs");  // the job dialogs start from their defaults, not from an earlier run's values
    qRegisterMetaType<app::TrainedClassifier>();
  }

  void training_streams_loss_curves_and_lists_the_classifier() {
    app::MainWindow w;
    w.resize(1440, 900);
    w.show();
    w.open_workspace(db("train.db"));
    QVERIFY(wait_idle(w));
    app::TrainController* trainer = w.launcher()->trainer();
    views::LossCurvePlot* curves = w.launcher()->loss_curves();
    QSignalSpy trained(trainer, &app::TrainController::trained);
    QSignalSpy failed(trainer, &app::TrainController::failed);
    // a recorded run first, so that the screenshot shows the trade-off plot beside the loss curves
    QSignalSpy recorded(w.recorder(), &app::RecordController::run_ended);
    app::RecordDialog first(w.workspace()->snapshot());
    first.set_limit(6);
    app::RecordOptions recording = first.options();
    recording.threads = 1;
    QVERIFY(w.record(recording));
    QVERIFY(recorded.wait(60'000));
    QVERIFY(wait_idle(w));

    const app::TrainExitsOptions options = tiny_training(w, "tiny-linear", 6);
    QVERIFY(options.db_path == std::filesystem::path(db("train.db").toStdString()));
    QCOMPARE(QString::fromStdString(options.out.string()), tmp_.filePath("tiny-linear.safetensors"));  // beside the workspace
    QVERIFY(options.train_specs == std::vector<std::string>{app::demo_dataset_spec()});

    // the screenshot shows the window mid-training, taken as the fourth epoch's losses are drawn
    const QString shot_path = qEnvironmentVariable("DYNAMAX_TRAIN_SCREENSHOT", "/tmp/train.png");
    StallMeter meter;
    bool shot = false;
    int epochs_while_running = 0;
    connect(curves->plot(), &QCustomPlot::afterReplot, this, [&] {
      if (!trainer->is_running()) return;
      epochs_while_running = std::max(epochs_while_running, curves->epoch_count());
      if (curves->epoch_count() == 4 && !shot) {
        shot = w.grab().save(shot_path);
        meter.last = meter.clock.elapsed();  // the test's own grab of the whole window is not the window's stall
      }
    });

    QVERIFY(w.launcher()->train(options));
    QVERIFY(w.job_progress()->isVisible());
    QVERIFY(w.launcher()->training_dock()->isVisible());
    QVERIFY(!w.launcher()->train(options));  // one job at a time, said in the banner
    QVERIFY(w.banner()->text().contains("Another job"));
    w.banner()->hide();
    QVERIFY(trained.wait(120'000));
    QVERIFY(wait_idle(w));
    meter.timer.stop();
    qInfo("event loop: longest gap %lld ms while training", meter.longest);
    QVERIFY2(meter.longest <= 50, qPrintable(QString("the event loop stalled %1 ms").arg(meter.longest)));
    QCOMPARE(failed.count(), 0);
    QVERIFY2(shot, qPrintable(shot_path));

    // every epoch's train and validation loss arrived in the view, as they ended
    QCOMPARE(curves->epoch_count(), 6);
    QVERIFY2(epochs_while_running >= 1, "the loss curve grew while the training ran");
    for (double loss : curves->train_losses() + curves->valid_losses()) QVERIFY(std::isfinite(loss) && loss > 0);
    const auto c = trained.first().at(0).value<app::TrainedClassifier>();
    QCOMPARE(c.name, QString("tiny-linear"));
    QCOMPARE(c.exits.size(), 4);  // the default placement 8/10/12/14 of 16
    QCOMPARE(c.exits.at(0).depth, 8);
    QVERIFY2(curves->summary().contains("AUROC") && curves->summary().contains("±"), qPrintable(curves->summary()));
    QVERIFY(QFileInfo(c.file).size() > 1000);  // the classifier file was written

    // the side panel lists it (read back through the workspace snapshot) with its mean validation AUROC
    views::ClassifierListPanel* list = w.workspace_panel()->classifiers();
    QVERIFY(QTest::qWaitFor([&] { return list->classifier_count() == 1; }, 10'000));
    QCOMPARE(list->topLevelItem(0)->text(0), QString("tiny-linear"));
    QCOMPARE(list->topLevelItem(0)->text(1), QString("linear"));
    QCOMPARE(list->topLevelItem(0)->text(2), QString("tiny-mistral"));
    QCOMPARE(list->topLevelItem(0)->text(3), QString("8, 10, 12, 14"));
    const app::WorkspaceClassifier& listed = w.workspace()->snapshot().classifiers.at(0);
    double mean = 0, count = 0;
    for (const app::ExitValidation& e : c.exits)
      if (!std::isnan(e.auroc)) mean += e.auroc, ++count;
    QCOMPARE(listed.mean_auroc, mean / count);

    // the record dialog offers it for this model only, and a recording scores with it (exported from the database)
    app::RecordDialog record(w.workspace()->snapshot());
    record.set_model_folder(model_folder("tiny-mistral"));
    record.set_scored_classifiers({"tiny-linear"});
    record.set_limit(2);
    app::RecordOptions scored = record.options();
    QVERIFY(scored.stored_classifiers == std::vector<std::string>{"tiny-linear"});
    record.set_model_folder(model_folder("tiny-codestral"));
    QVERIFY(record.options().stored_classifiers.empty());
    QFile::remove(c.file);  // kept only in the workspace now
    scored.threads = 1;
    QSignalSpy ended(w.recorder(), &app::RecordController::run_ended);
    QVERIFY(w.record(scored));
    QVERIFY(ended.wait(60'000));
    QCOMPARE(ended.first().at(1).toString(), QString("done"));
    QVERIFY(w.banner()->text().isEmpty());
  }

  // Runs after the test above, in its workspace: training under the taken name asks; "No" keeps the dialog open,
  // "Yes" replaces, and the workspace and the earlier recording keep the first version, byte for byte.
  void retraining_a_name_asks_and_keeps_what_runs_used() {
    app::MainWindow w;
    w.open_workspace(db("train.db"));
    QVERIFY(wait_idle(w));
    QCOMPARE(w.workspace()->snapshot().classifiers.size(), size_t(1));
    QString first_run_file;  // the classifier file of the recording scored with tiny-linear
    for (const RunInfo& run : w.workspace()->snapshot().runs)
      if (run.config.contains("classifiers") && !run.config["classifiers"].empty())
        first_run_file = QString::fromStdString(run.config["classifiers"].at(0).get<std::string>());
    QVERIFY(!first_run_file.isEmpty());
    const std::string first_bytes = testing_support::read_file(first_run_file.toStdString());
    QVERIFY(QFileInfo(first_run_file).fileName().startsWith("tiny-linear-"));  // kept by content beside the workspace

    // The recording scored with the classifier offers it as a measure, tuned like the softmax ones
    views::ThresholdControls* controls = w.tradeoff()->controls();
    QVERIFY2(controls->listed_measures().contains("classifier:tiny-linear"), qPrintable(controls->listed_measures().join(',')));
    controls->set_threshold(0.42);
    controls->set_measure("classifier:tiny-linear");
    // the analysis under the new measure replaces the shown one when it is done
    QVERIFY(QTest::qWaitFor([&] {
      const auto& runs = w.tradeoff()->controller()->runs();
      return wait_idle(w) && runs.size() == 1 && runs.front()->analysis.threshold.label == "classifier:tiny-linear";
    }, 30'000));
    QCOMPARE(w.tradeoff()->controller()->measure(), QString("classifier:tiny-linear"));
    QCOMPARE(int(w.tradeoff()->controller()->runs().size()), 1);
    QVERIFY2(w.banner()->text().isEmpty(), qPrintable(w.banner()->text()));
    const RunAnalysis& scored = w.tradeoff()->controller()->runs().front()->analysis;
    QCOMPARE(QString::fromStdString(scored.threshold.label), QString("classifier:tiny-linear"));
    // a new measure starts where it keeps 90 % of the quality, strictly inside its range, not at an end
    const double start = controls->threshold();
    QVERIFY2(start > 0.0 && start < 1.0, qPrintable(QString::number(start)));
    QVERIFY(std::abs(start - *app::cheapest_tau(scored, w.tradeoff()->controller()->axes(), 0.9)) <= 0.0005);  // 3 decimals
    controls->set_threshold(0.3);
    controls->set_measure("max-prob");
    QCOMPARE(controls->threshold(), 0.42);  // each measure keeps its τ
    controls->set_measure("classifier:tiny-linear");
    QCOMPARE(controls->threshold(), 0.3);
    QVERIFY(wait_idle(w));

    app::TrainDialog dialog(w.workspace()->snapshot());
    dialog.set_model_folder(model_folder("tiny-mistral"));
    dialog.set_limit(8);
    dialog.set_epochs(2);
    dialog.set_name("tiny-linear");
    QString asked;
    auto answer = [&](QMessageBox::StandardButton button) {
      QTimer::singleShot(50, [&, button] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        if (!box) return;
        asked = box->text();
        box->button(button)->click();
      });
    };
    answer(QMessageBox::No);
    dialog.accept();
    QVERIFY2(asked.contains("'tiny-linear'") && asked.contains("earlier version"), qPrintable(asked));
    QCOMPARE(dialog.result(), int(QDialog::Rejected));  // still open: nothing was replaced
    asked.clear();
    answer(QMessageBox::Yes);
    dialog.accept();
    QVERIFY(!asked.isEmpty());
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    app::TrainExitsOptions options = dialog.options();
    QVERIFY(options.replace);
    options.threads = 1;
    options.training.seed = 99;  // another classifier under the same name
    QSignalSpy trained(w.launcher()->trainer(), &app::TrainController::trained);
    w.banner()->show_message("Recording failed: an earlier error");
    QVERIFY(w.launcher()->train(options));
    QVERIFY2(w.banner()->text().isEmpty(), "a new job clears a stale error");
    QVERIFY(trained.wait(120'000));
    QVERIFY(wait_idle(w));

    dynamax::Database d(db("train.db").toStdString(), dynamax::Database::Mode::ReadOnly);
    dynamax::Statement versions = d.prepare(
        "SELECT count(*), count(replaced_at) FROM classifiers WHERE name = 'tiny-linear'");
    versions.step();
    QCOMPARE(versions.int64(0), int64_t(2));  // the replaced version stays
    QCOMPARE(versions.int64(1), int64_t(1));
    QCOMPARE(w.workspace()->snapshot().classifiers.size(), size_t(1));  // the side panel lists the current one
    // the earlier recording still points to the classifier it was scored with
    QVERIFY(testing_support::read_file(first_run_file.toStdString()) == first_bytes);
    QVERIFY(testing_support::read_file(first_run_file.toStdString()) !=
            testing_support::read_file(app::export_stored_classifier(db("train.db").toStdString(), "tiny-linear")));
    // with the file deleted, the run's classifier is written again from the workspace's earlier version
    QFile::remove(first_run_file);
    QCOMPARE(app::pinned_classifier_file(db("train.db").toStdString(), first_run_file.toStdString()).string(),
             first_run_file.toStdString());
    QVERIFY(testing_support::read_file(first_run_file.toStdString()) == first_bytes);
  }

  void cancel_stops_training_cleanly() {
    app::MainWindow w;
    w.open_workspace(db("cancel.db"));
    QVERIFY(wait_idle(w));
    QSignalSpy cancelled(w.launcher()->trainer(), &app::TrainController::cancelled);
    const app::TrainExitsOptions options = tiny_training(w, "never", 5000);
    QVERIFY(w.launcher()->train(options));
    QVERIFY(QTest::qWaitFor([&] { return w.launcher()->loss_curves()->epoch_count() >= 1; }, 120'000));
    QTest::mouseClick(w.job_progress()->findChild<QToolButton*>(), Qt::LeftButton);  // the status bar's Cancel
    QVERIFY(cancelled.wait(30'000));
    QVERIFY(wait_idle(w));
    QVERIFY(w.launcher()->loss_curves()->epoch_count() < 5000);
    QVERIFY(!QFileInfo::exists(QString::fromStdString(options.out.string())));  // nothing saved
    QCOMPARE(w.workspace()->snapshot().classifiers.size(), size_t(0));
    QVERIFY(w.banner()->text().isEmpty());
    QVERIFY(!w.job_progress()->isVisible());
  }

  void evaluation_lists_the_run_and_summarises_each_policy() {
    REQUIRE_SHARED();
    app::MainWindow w;
    w.open_workspace(db("evaluate.db"));
    QVERIFY(wait_idle(w));
    app::EvaluateDialog dialog(w.workspace()->snapshot());
    dialog.set_model_folder(model_folder("tiny-mistral"));
    QCOMPARE(dialog.strategies(), (QStringList{"recompute", "copy-exit", "copy-prev", "mask"}));
    dialog.set_dataset("triviaqa", triviaqa_file(), "shots=2");
    dialog.set_limit(2);
    dialog.set_max_new_tokens(8);
    QVERIFY2(dialog.problem().isEmpty(), qPrintable(dialog.problem()));
    app::EvaluateOptions options = dialog.options();
    QVERIFY(options.thresholds == (std::vector<double>{0.5, 0.7, 0.9}));
    options.threads = 1;
    app::EvaluateController* evaluator = w.launcher()->evaluator();
    QSignalSpy ended(evaluator, &app::EvaluateController::run_ended);
    int rows_while_running = 0;
    connect(w.workspace(), &app::WorkspaceController::snapshot_changed, this, [&] {
      if (evaluator->is_running()) rows_while_running = std::max(rows_while_running, w.workspace_panel()->runs()->run_count());
    });
    QVERIFY(w.launcher()->evaluate(options));
    QVERIFY(ended.wait(120'000));
    QVERIFY(wait_idle(w));
    QCOMPARE(ended.first().at(1).toString(), QString("done"));
    const QStringList policies = ended.first().at(2).toStringList();
    QCOMPARE(policies.size(), 4);  // the full model and one policy per threshold
    QVERIFY2(policies.at(1).startsWith("max-prob@0.5: ") && policies.at(1).contains("blocks saved") &&
                 policies.at(1).contains("consistency"),
             qPrintable(policies.at(1)));
    QCOMPARE(rows_while_running, 1);  // the run was listed while it went
    views::RunListPanel* runs = w.workspace_panel()->runs();
    QCOMPARE(runs->run_count(), 1);
    QCOMPARE(runs->topLevelItem(0)->text(3), QString("done"));
    QCOMPARE(runs->topLevelItem(0)->text(4), QString("2 / 2"));
    // nothing to plot: no check box, not checked
    QVERIFY(!runs->topLevelItem(0)->data(0, Qt::CheckStateRole).isValid());
    QVERIFY(runs->checked_runs().isEmpty());
    runs->set_checked({1});
    QVERIFY(runs->checked_runs().isEmpty());
    QVERIFY2(w.banner()->text().contains("max-prob@0.9") && w.banner()->text().contains("done"),
             qPrintable(w.banner()->text()));
  }

  void dialogs_refuse_bad_input_with_a_message() {
    app::MainWindow w;
    w.open_workspace(db("dialogs.db"));
    QVERIFY(wait_idle(w));
    const app::WorkspaceSnapshot& s = w.workspace()->snapshot();

    app::TrainDialog train(s);
    QVERIFY2(train.problem().isEmpty(), qPrintable(train.problem()));  // the defaults are usable as they are
    train.set_model_folder(tmp_.path());
    QVERIFY2(train.problem().contains("config.json"), qPrintable(train.problem()));
    train.accept();
    QCOMPARE(train.result(), int(QDialog::Rejected));  // stays open, saying why
    train.set_model_folder(model_folder("tiny-mistral"));
    train.set_training_specs({"text:" + tmp_.filePath("no-such-book.txt")});
    QVERIFY2(train.problem().contains("does not exist"), qPrintable(train.problem()));
    train.set_training_specs({});
    QVERIFY2(train.problem().contains("at least one"), qPrintable(train.problem()));
    train.set_training_specs({QString::fromStdString(app::demo_dataset_spec())});
    train.set_validation_spec("text", tmp_.filePath("missing.txt"), "window=64");
    QVERIFY2(train.problem().startsWith("Validation"), qPrintable(train.problem()));
    train.set_validation_spec("text", {}, {});
    for (const char* depths : {"8, x", "16", "0", "8, 8"}) {
      train.set_depths(depths);
      QVERIFY2(train.problem().startsWith("Exit depths"), qPrintable(QString(depths) + ": " + train.problem()));
    }
    train.set_depths("4, 12");
    QVERIFY(train.problem().isEmpty());
    QVERIFY(train.options().depths == (std::vector<int>{4, 12}));

    // changing the kind never keeps a file of the other kind; going back restores it
    app::DatasetChooser chooser;
    chooser.set_dataset("text", demo_text(), "window=64");
    chooser.set_kind("triviaqa");
    QVERIFY(chooser.path().isEmpty());
    QCOMPARE(chooser.spec(), QString("triviaqa:#shots=2"));
    chooser.set_kind("text");
    QCOMPARE(chooser.path(), demo_text());

    app::EvaluateDialog evaluate(s);
    QVERIFY2(evaluate.problem().isEmpty(), qPrintable(evaluate.problem()));
    evaluate.set_thresholds("0.5, abc");
    QVERIFY2(evaluate.problem().startsWith("Thresholds"), qPrintable(evaluate.problem()));
    evaluate.set_thresholds(" ");
    QVERIFY2(evaluate.problem().startsWith("Thresholds"), qPrintable(evaluate.problem()));
    evaluate.set_thresholds("0.9");
    evaluate.set_dataset("triviaqa", tmp_.filePath("missing.jsonl"), "shots=2");
    QVERIFY2(evaluate.problem().contains("does not exist"), qPrintable(evaluate.problem()));
    evaluate.set_dataset("text", demo_text(), "window=zero");
    QVERIFY2(evaluate.problem().startsWith("Dataset"), qPrintable(evaluate.problem()));
    evaluate.set_model_folder(tmp_.path());
    QVERIFY2(evaluate.problem().contains("config.json"), qPrintable(evaluate.problem()));
    evaluate.accept();
    QCOMPARE(evaluate.result(), int(QDialog::Rejected));
    evaluate.set_model_folder(model_folder("tiny-codestral"));  // a Mamba model: state strategies
    QCOMPARE(evaluate.strategies(), (QStringList{"keep", "update"}));
  }

  void dropping_a_model_folder_opens_the_record_dialog() {
    app::MainWindow w;
    w.show();
    w.open_workspace(db("drop.db"));
    QVERIFY(wait_idle(w));
    auto drop = [&](const QString& path) {
      QMimeData mime;
      mime.setUrls({QUrl::fromLocalFile(path)});
      QDragEnterEvent enter(QPoint(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
      QApplication::sendEvent(&w, &enter);
      QVERIFY(enter.isAccepted());
      QDropEvent event(QPointF(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
      QApplication::sendEvent(&w, &event);
    };
    QString model_in_dialog;
    const bool opened = with_modal_dialog<app::RecordDialog>([&] { drop(model_folder("tiny-mistral")); },
                                                             [&](app::RecordDialog* dialog) {
                                                               model_in_dialog = QString::fromStdString(dialog->options().model_dir.string());
                                                             });
    QVERIFY(opened);
    QCOMPARE(model_in_dialog, model_folder("tiny-mistral"));
    QVERIFY(w.banner()->text().isEmpty());
    QVERIFY(!w.recorder()->is_running());  // closed without recording

    drop(tmp_.path());  // a folder without config.json: a message, no dialog
    QVERIFY2(w.banner()->text().contains("neither a model folder"), qPrintable(w.banner()->text()));
    QVERIFY(QApplication::activeModalWidget() == nullptr);
  }

  // Each job dialog starts from its last accepted values; a dialog that was refused or cancelled remembers nothing.
  void dialogs_remember_their_last_accepted_values() {
    app::MainWindow w;
    w.open_workspace(db("memory.db"));
    QVERIFY(wait_idle(w));
    const app::WorkspaceSnapshot& s = w.workspace()->snapshot();
    {
      app::RecordDialog record(s);
      record.set_model_folder(model_folder("tiny-codestral"));
      record.set_limit(3);
      record.accept();
      QCOMPARE(record.result(), int(QDialog::Accepted));
      app::EvaluateDialog evaluate(s);
      evaluate.set_model_folder(model_folder("tiny-codestral"));
      evaluate.set_thresholds("0.4, 0.8");
      evaluate.set_limit(2);
      evaluate.accept();
      QCOMPARE(evaluate.result(), int(QDialog::Accepted));
      app::EvaluateDialog refused(s);
      refused.set_thresholds("not a number");
      refused.accept();  // refused: not remembered
    }
    app::RecordDialog record(s);
    QCOMPARE(QString::fromStdString(record.options().model_dir.string()), model_folder("tiny-codestral"));
    QCOMPARE(record.options().limit, size_t(3));
    app::EvaluateDialog evaluate(s);
    QVERIFY(evaluate.options().thresholds == (std::vector<double>{0.4, 0.8}));
    QCOMPARE(evaluate.options().limit, size_t(2));
    QCOMPARE(evaluate.strategies(), (QStringList{"keep", "update"}));  // the remembered model's strategies
  }
};

QTEST_MAIN(TestJobWindow)
#include "test_job_window.moc"
