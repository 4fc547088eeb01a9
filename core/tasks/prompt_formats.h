#pragma once
// The prompt templates of the evaluation, as the DYNAMAX paper's tasks use them. Each returns the prompt text;
// the reference answer is appended by the dataset as " " + answer.
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace dynamax {

// A question with its answer: a worked example (a "shot") or an earlier conversation turn.
struct QaPair {
  std::string question;
  std::string answer;
};

// TriviaQA, in the llm-foundry layout: "Question: <question>\nAnswer:" (the JSONL `context` already is this).
std::string triviaqa_context(std::string_view question);
// Worked examples, each "<context> <answer>\n\n", then the sample's context.
// `shots` hold contexts (question already formatted by triviaqa_context) and answers.
std::string triviaqa_prompt(std::span<const QaPair> shots, std::string_view context);

// TruthfulQA's QA primer (presets.py QA_PRIMER of the TruthfulQA paper's code): six Q/A pairs.
inline constexpr int truthfulqa_primer_pairs = 6;
// The first `shots` (0..6) primer pairs joined by "\n\n" ("" for 0).
std::string truthfulqa_primer(int shots);
// The primer, then "\n\nQ: <question>\nA:" (just "Q: <question>\nA:" with no primer).
std::string truthfulqa_prompt(std::string_view question, int shots);

// CoQA, 0-shot: "<story>\n\n", the earlier turns "Q: <question>\nA: <answer>\n\n", then "Q: <question>\nA:".
std::string coqa_prompt(std::string_view story, std::span<const QaPair> history, std::string_view question);

}  // namespace dynamax
