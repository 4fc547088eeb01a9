#include "app/ui/generated_answers_builder.h"

#include <nlohmann/json.hpp>

namespace dynamax::app {

namespace {

constexpr int kPromptTail = 160;  // characters of the prompt shown before the answers

std::string decoded(const Tokenizer& tokenizer, std::span<const int32_t> ids) {
  try {
    return tokenizer.decode(ids);
  } catch (const std::exception&) {
    return {};  // an id outside the vocabulary: the token falls back to its id below
  }
}

QString vocabulary_piece(const Tokenizer* tokenizer, int32_t id) {
  try {
    if (tokenizer) return QString::fromStdString(tokenizer->readable_piece(id));
  } catch (const std::exception&) {
  }
  return QString("#%1").arg(id);
}

// Each token's share of the decoded text: decoding the prefix up to it and taking what it added keeps spaces and
// multi-byte characters split over several tokens right.
QVector<QString> token_texts(const std::vector<StoredStep>& steps, const Tokenizer* tokenizer) {
  std::vector<int32_t> ids;
  for (const StoredStep& s : steps) ids.push_back(s.token_id);
  QVector<QString> out;
  QString before;
  for (size_t i = 0; i < ids.size(); ++i) {
    const QString upto = tokenizer ? QString::fromStdString(decoded(*tokenizer, std::span(ids).first(i + 1))) : QString();
    QString piece = upto.startsWith(before) ? upto.mid(before.size()) : QString();
    if (piece.isEmpty()) piece = vocabulary_piece(tokenizer, ids[i]);  // BOS, EOS: visible, so it can be coloured
    out.push_back(piece);
    if (!upto.isEmpty()) before = upto;
  }
  return out;
}

QString summary_of(const StoredGeneration& g) {
  QStringList parts;
  if (g.policy != "full") parts << QString("blocks saved %1 %").arg(100.0 * g.blocks_saved(), 0, 'f', 0);
  const nlohmann::json metrics = nlohmann::json::parse(g.metrics_json, nullptr, false);
  const std::pair<const char*, const char*> shown[] = {{"em", "EM"}, {"f1", "F1"}, {"consistency_f1", "F1 vs full"}};
  for (const auto& [key, label] : shown)
    if (metrics.is_object() && metrics.contains(key) && metrics[key].is_number())
      parts << QString("%1 %2").arg(label).arg(metrics[key].get<double>(), 0, 'g', 3);
  return parts.join(" · ");
}

}  // namespace

views::GeneratedAnswersData generated_answers_data(const std::vector<StoredGeneration>& generations,
                                                   const Tokenizer* tokenizer, int depths, const QString& title,
                                                   const std::string& prompt) {
  views::GeneratedAnswersData d;
  d.title = title;
  d.depths = depths;
  const QString full_prompt = QString::fromStdString(prompt).trimmed();
  d.prompt_tail = full_prompt.right(kPromptTail);
  bool any_tokens = false;
  for (const StoredGeneration& g : generations) {
    views::GeneratedAnswer a;
    a.policy = QString::fromStdString(g.policy);
    a.summary = summary_of(g);
    a.text = QString::fromStdString(g.output_text);
    const QVector<QString> texts = token_texts(g.steps, tokenizer);
    for (size_t i = 0; i < g.steps.size(); ++i)
      a.tokens.push_back({texts[qsizetype(i)], g.steps[i].exit_depth, g.steps[i].score});
    any_tokens |= !a.tokens.isEmpty();
    d.answers.push_back(a);
  }
  if (!generations.empty() && !any_tokens)
    d.note = "This evaluation scored the task teacher-forced: it generated no text to colour.";
  return d;
}

}  // namespace dynamax::app
