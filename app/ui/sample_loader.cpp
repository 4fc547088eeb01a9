#include "app/ui/sample_loader.h"

#include <QtConcurrent>

#include "app/ui/generated_answers_builder.h"
#include "app/ui/read_snapshot.h"
#include "app/ui/token_heatmap_builder.h"
#include "storage/exit_topk_reader.h"
#include "storage/generation_reader.h"

namespace dynamax::app {

namespace {

void load_recording(const SampleRequest& request, LoadedSample& out) {
  const AnalysedRun& run = *request.recording;
  out.run_id = run.loaded.info.id;
  out.sample_count = sample_count(run);
  out.has_prefix = has_shared_prefix(run, request.sample);
  const SampleRows rows = sample_rows(run, request.sample, request.prefix);
  SampleTopK top_k;
  try {
    Database db(request.db, Database::Mode::ReadOnly);
    const int end_position = rows.end > rows.begin ? run.loaded.run.position[rows.end - 1] + 1 : 0;
    top_k = load_sample_topk(db, out.run_id, rows.sample_index, end_position, run.loaded.run.depths);
  } catch (const std::exception& e) {
    out.error = QString("Top-k of run %1: %2").arg(out.run_id).arg(QString::fromStdString(e.what()));
  }
  out.heatmap = token_heatmap_data(run, request.sample, request.tau, top_k, request.prefix);
}

void load_evaluation(const SampleRequest& request, LoadedSample& out) {
  const RunInfo& info = request.evaluation;
  out.is_evaluation = true;
  out.run_id = info.id;
  out.tokenizer = request.tokenizer;
  if (!out.tokenizer) {
    try {
      out.tokenizer = load_tokenizer(info.model_path);
    } catch (const std::exception&) {
      // the model folder is gone: tokens show as ids
    }
  }
  const QString name = QString("%1 #%2").arg(QString::fromStdString(info.model_name)).arg(info.id);
  try {
    Database db(request.db, Database::Mode::ReadOnly);
    ReadSnapshot snapshot(db);  // an evaluation still running must not tear the sample
    const std::vector<int64_t> indices = generation_sample_indices(db, info.id);
    out.sample_count = int(indices.size());
    if (indices.empty()) {
      out.answers.title = name;
      out.answers.note = "This evaluation has no generated answers yet.";
      return;
    }
    const int64_t index = indices[size_t(std::clamp(request.sample, 0, int(indices.size()) - 1))];
    const QString title = QString("%1 · %2 · sample %3").arg(name, QString::fromStdString(info.dataset_kind)).arg(index);
    out.answers = generated_answers_data(load_sample_generations(db, info.id, index), out.tokenizer.get(), info.depths,
                                         title, sample_prompt(db, info.id, index));
  } catch (const std::exception& e) {
    out.answers.title = name;
    out.error = QString("Run %1: %2").arg(info.id).arg(QString::fromStdString(e.what()));
    out.answers.note = out.error;
  }
}

}  // namespace

LoadedSample load_sample(const SampleRequest& request) {
  LoadedSample out;
  try {
    if (request.recording)
      load_recording(request, out);
    else
      load_evaluation(request, out);
  } catch (const std::exception& e) {
    out.error = QString::fromStdString(e.what());
  }
  return out;
}

SampleLoader::SampleLoader(QObject* parent) : QObject(parent) {
  connect(&watcher_, &QFutureWatcher<LoadedSample>::finished, this, &SampleLoader::finished);
}

SampleLoader::~SampleLoader() { watcher_.waitForFinished(); }

void SampleLoader::load(const SampleRequest& request) {
  loading_ = true;
  if (watcher_.isRunning()) {
    pending_ = request;
    return;
  }
  watcher_.setFuture(QtConcurrent::run([request] { return load_sample(request); }));
}

void SampleLoader::finished() {
  if (pending_) {
    const SampleRequest next = *std::exchange(pending_, std::nullopt);
    load(next);  // inputs moved meanwhile: this result is already stale
    return;
  }
  loading_ = false;
  emit loaded(watcher_.result());
}

}  // namespace dynamax::app
