#pragma once
// Loads what the token inspector shows for one sample off the GUI thread: for a recording, the heatmap with the
// exits' top-k read from the workspace; for an evaluation, the policies' answers with their exit depths. Requests
// made while one loads are merged: the latest wins once the current one is done (as in Qt's Mandelbrot example).
#include <QFutureWatcher>
#include <QObject>
#include <filesystem>
#include <memory>

#include "app/ui/analysed_run.h"
#include "storage/run_store.h"
#include "views/generated_answers_data.h"
#include "views/token_heatmap_data.h"

namespace dynamax::app {

struct SampleRequest {
  std::filesystem::path db;
  AnalysedRunPtr recording;  // the recording to show, or null for `evaluation`
  RunInfo evaluation;
  std::shared_ptr<const Tokenizer> tokenizer;  // the evaluation's, when already loaded
  int sample = 0;                              // counted from 0 over the run's samples
  bool prefix = false;                         // a recording: the shared prefix the sample continues
  double tau = 0.5;
};

struct LoadedSample {
  bool is_evaluation = false;
  int64_t run_id = 0;
  int sample_count = 0;
  bool has_prefix = false;  // the recording's sample continues a shared prefix
  views::TokenHeatmapData heatmap;       // a recording's
  views::GeneratedAnswersData answers;   // an evaluation's
  std::shared_ptr<const Tokenizer> tokenizer;
  QString error;  // what could not be read; the rest is still shown
};

// Safe on any thread (own connection); never throws.
LoadedSample load_sample(const SampleRequest& request);

class SampleLoader : public QObject {
  Q_OBJECT
 public:
  explicit SampleLoader(QObject* parent = nullptr);
  ~SampleLoader() override;

  void load(const SampleRequest& request);
  // Until the result is handed over: the future itself ends before its finished() signal arrives.
  bool is_busy() const { return loading_; }

 signals:
  void loaded(const dynamax::app::LoadedSample& sample);

 private:
  void finished();

  QFutureWatcher<LoadedSample> watcher_;
  std::optional<SampleRequest> pending_;
  bool loading_ = false;
};

}  // namespace dynamax::app
