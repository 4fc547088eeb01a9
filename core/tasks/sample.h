#pragma once
// One evaluation sample: the prompt and the reference answer as text and as the ids of one teacher-forced pass.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dynamax {

class Tokenizer;

struct Sample {
  // Stable within the dataset: "17" (question index in the file), "3" (text window), "<story id>#turn4" (CoQA).
  std::string key;
  // BOS (if tokenizer.add_bos) + prompt + reference answer, for one teacher-forced pass.
  std::vector<int32_t> ids;
  // ids[0, prompt_tokens) are the prompt (incl. BOS); ids[prompt_tokens, end) are the reference answer.
  // Plain text windows: only BOS is prompt (prompt_tokens = 1; 0 for a tokenizer without BOS).
  int prompt_tokens = 0;
  // The prompt text. Plain text windows: the window's text, decoded from its ids, for display (every token of it
  // is scored, none is prompt).
  std::string prompt;
  // The reference answer as appended to the prompt, e.g. " Onion" ("" for plain text windows).
  std::string answer;
  // All gold answers: TriviaQA aliases, CoQA's gold set for the turn, TruthfulQA's correct answers.
  std::vector<std::string> gold;
  // TruthfulQA's incorrect answers.
  std::vector<std::string> incorrect;
  // truthfulqa-mc: the MC1 choices (exactly one labelled 1) and the MC2 choices, with labels, in file order.
  std::vector<std::pair<std::string, int>> choices;
  std::vector<std::pair<std::string, int>> choices_mc2;

  int answer_tokens() const { return static_cast<int>(ids.size()) - prompt_tokens; }
};

// Fills ids and prompt_tokens from prompt and answer.
// prompt + answer is encoded once, as one text: that is the tokenization the model sees when it reads the
// whole string, and encoding the parts separately is wrong for sentencepiece-style tokenizers (encode(" Onion")
// on its own gets a dummy-prefix "▁" and becomes "▁▁|On|ion", where the joined text gives ":|▁On|ion").
// The prompt boundary is then the length of encode(prompt), which is a prefix of the joined encoding whenever
// no token straddles the boundary (answers start with a space, which begins a new token). Should a token
// straddle it all the same, the boundary is the longest common prefix, so the straddling token counts as answer:
// the answer tokens are always exactly the tail of ids and every token of the answer is scored.
void tokenize_sample(Sample& sample, const Tokenizer& tokenizer);

}  // namespace dynamax
