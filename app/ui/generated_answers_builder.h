#pragma once
// The inspector's data for one sample of an evaluation run: every policy's answer split into its tokens' text, each
// with the depth it exited at and its score, and a one-line summary (blocks saved, the task's metrics).
#include <QString>
#include <vector>

#include "core/tokenize/tokenizer.h"
#include "storage/generation_reader.h"
#include "views/generated_answers_data.h"

namespace dynamax::app {

// `tokenizer` null: tokens show as "#id". `prompt`: the sample's prompt (its end is shown for context).
views::GeneratedAnswersData generated_answers_data(const std::vector<StoredGeneration>& generations,
                                                   const Tokenizer* tokenizer, int depths, const QString& title,
                                                   const std::string& prompt);

}  // namespace dynamax::app
