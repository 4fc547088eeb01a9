#pragma once
// Recorded runs loaded and analysed off the GUI thread for the trade-off panel and the token inspector. A run that
// has not grown since its last load, under the same measure, is reused instead of loaded again.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "app/analysis/loaded_run.h"
#include "core/analysis/run_analysis.h"
#include "core/tokenize/tokenizer.h"

namespace dynamax::app {

struct AnalysedRun {
  LoadedRun loaded;
  RunAnalysis analysis;
  std::shared_ptr<const Tokenizer> tokenizer;  // null when the model folder is gone: pieces show as ids
  std::string measure;

  std::string piece(int32_t id) const;  // the token as the window shows it (Tokenizer::readable_piece), or "#id"
};
using AnalysedRunPtr = std::shared_ptr<const AnalysedRun>;

struct AnalysisRequest {
  std::filesystem::path db;
  std::vector<int64_t> run_ids;
  std::string measure = "max-prob";
  std::vector<AnalysedRunPtr> previous;  // reused where still current
};

struct AnalysisResult {
  std::vector<AnalysedRunPtr> runs;  // in request order; runs without samples yet are left out
  std::vector<std::string> errors;   // one line per run that could not be analysed
};

// Safe on any thread (own connection); never throws.
AnalysisResult analyse_runs(const AnalysisRequest& request);

}  // namespace dynamax::app
