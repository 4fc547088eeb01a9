#pragma once
// A few words of a recorded sample to recognise it by in a table: the start of a text window, or for a prompt with
// an answer the words leading into the answer and the answer itself (few-shot prompts all start alike).
#include <QString>
#include <cstddef>

#include "app/ui/analysed_run.h"

namespace dynamax::app {

// The sample spanning rows [begin, end) of the run.
QString sample_excerpt(const AnalysedRun& run, size_t begin, size_t end);

}  // namespace dynamax::app
