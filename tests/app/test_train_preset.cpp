// Training presets: `dynamax-code` sets the DYNAMAX authors' configuration (linear exit, reversed top-15 label,
// weights 1:2:3:4, schedule-free AdamW at 2.5e-4 per exit, raw inputs, no early stopping) in the options, in the
// Train dialog and through `train-exits --preset`, whose classifier file records it; unknown presets are refused.
#include <QtTest>

#include <nlohmann/json.hpp>

#include "app/jobs/train_exits_preset.h"
#include "app/ui/train_dialog.h"
#include "core/common/error.h"
#include "core/exits/classifier_file.h"
#include "support/test_support.h"

using namespace dynamax;
using nlohmann::json;

namespace {

void check_dynamax_code(const app::TrainExitsOptions& o) {
  QCOMPARE(o.classifier.kind, ClassifierKind::Linear);
  QCOMPARE(o.classifier.input, ClassifierInput::Raw);
  QCOMPARE(o.labels.top_k, 15);
  QVERIFY(o.labels.reverse);
  QCOMPARE(o.training.optimiser, Optimiser::ScheduleFreeAdamW);
  QCOMPARE(o.training.schedule_free.lr, 2.5e-4f);
  QCOMPARE(o.training.schedule_free.weight_decay, 0.0f);
  QCOMPARE(o.training.loss_weights, ExitLossWeights::ExitIndex);
  QVERIFY(!o.training.early_stopping);
  QCOMPARE(o.training.batch_sequences, 1);
}

}  // namespace

class TestTrainPreset : public QObject {
  Q_OBJECT
  QTemporaryDir tmp_;

 private slots:
  void dynamax_code_sets_the_authors_configuration() {
    app::TrainExitsOptions o;
    app::apply_training_preset("dynamax-code", o);
    check_dynamax_code(o);
    app::apply_training_preset("workbench", o);  // back to ours
    QCOMPARE(o.labels.top_k, 5);
    QCOMPARE(o.training.optimiser, Optimiser::AdamW);
    QVERIFY(o.training.early_stopping);
    QCOMPARE(o.classifier.input, ClassifierInput::Rms);
    QVERIFY_THROWS_EXCEPTION(Error, app::apply_training_preset("paper", o));
  }

  void exit_index_weights_are_one_two_three_four() {
    const std::vector<int> depths = {16, 20, 24, 28};
    const std::vector<double> w = exit_loss_weights(depths, {}, ExitLossWeights::ExitIndex);
    QCOMPARE(w, (std::vector<double>{0.1, 0.2, 0.3, 0.4}));
    const std::vector<double> by_depth = exit_loss_weights(depths);
    QCOMPARE(by_depth[0], 16.0 / 88.0);
  }

  void the_train_dialog_offers_it() {
    app::WorkspaceSnapshot workspace;
    workspace.path = tmp_.filePath("w.sqlite").toStdString();
    app::TrainDialog dialog(workspace);
    dialog.set_preset("dynamax-code");
    check_dynamax_code(dialog.options());
  }

  void the_cli_trains_with_it_and_the_file_records_it() {
    REQUIRE_SHARED();
    const QString out = tmp_.filePath("code.safetensors");
    const QString data = "text:" + QString::fromStdString((testing_support::shared_dir() / "data/text/austen-emma.txt").string()) + "#window=64";
    const auto r = testing_support::run_dynamax({"train-exits", "--model",
        QString::fromStdString((testing_support::shared_dir() / "fixtures/models/tiny-mistral").string()), "--data", data,
        "--limit", "10", "--preset", "dynamax-code", "--epochs", "3", "--out", out, "--json"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QCOMPARE(json::parse(r.out.toStdString())["best_epoch"].get<int>(), 3);  // no early stopping: the last epoch is kept
    const auto classifier = load_classifier(out.toStdString());
    QCOMPARE(classifier->spec().kind, ClassifierKind::Linear);
    QCOMPARE(classifier->spec().input, ClassifierInput::Raw);
    const json& record = classifier->record;
    QCOMPARE(record["labels"], json({{"top_k", 15}, {"reverse", true}}));
    QCOMPARE(record["training"]["optimiser"], json("schedule-free-adamw"));
    QCOMPARE(record["training"]["early_stopping"], json(false));
    QCOMPARE(record["result"]["depth_weights"], json({0.1, 0.2, 0.3, 0.4}));
  }

  void unknown_preset_is_a_usage_error() {
    const auto r = testing_support::run_dynamax({"train-exits", "--model", "m", "--data", "text:x", "--preset", "paper", "--out", "x"});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("unknown training preset 'paper'"), qPrintable(r.err));
  }
};

QTEST_MAIN(TestTrainPreset)
#include "test_train_preset.moc"
