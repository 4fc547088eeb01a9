#pragma once
// Plain data for the inspector's generated answers: one sample of an evaluation run, every policy's answer token by
// token with the depth each token exited at. Filled by app/ from the `generations` tables.
#include <QString>
#include <QVector>

namespace dynamax::views {

struct ExitToken {
  QString text;        // the token's share of the decoded answer
  int depth = 0;       // 1..depths; depths = the full model
  float score = 0;     // the measure at the exit; NaN where none was evaluated
};

struct GeneratedAnswer {
  QString policy;      // "full" or e.g. "max-prob@0.9"
  QString summary;     // "blocks saved 38 % · em 1 · f1 1.00"
  QString text;        // the whole answer (shown as is when there are no tokens)
  QVector<ExitToken> tokens;
};

struct GeneratedAnswersData {
  QString title;                     // "tiny-mistral #4 · sample 2"
  QString prompt_tail;               // the end of the prompt, for context
  int depths = 0;
  QVector<GeneratedAnswer> answers;  // in the run's order; the full model's is the one whose policy is "full"
  QString note;                      // why there is nothing to show (a teacher-forced task, a failed read)
};

}  // namespace dynamax::views
