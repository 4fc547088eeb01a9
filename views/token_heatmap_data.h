#pragma once
// Plain data for the token inspector: one sample's tokens × exit depths, what each exit would say and how sure it
// is, and where the current threshold makes each token exit. Filled by app/ from a recorded run.
#include <QString>
#include <QVector>

namespace dynamax::views {

struct RankedToken {
  QString piece;
  float prob = 0;
};

struct HeatmapCell {
  QString piece;        // the exit's top-1 token as text
  float shade = 0;      // the chosen measure mapped to [0, 1] (1 = most confident): the cell's colour
  float value = 0;      // the chosen measure's own value (what the hover names first)
  float prob = 0, margin = 0, entropy = 0, saturation = 0;  // the recorded measures, for hover
  bool agrees = false;  // top-1 equals the full model's top-1
  QVector<RankedToken> top_k;  // the exit's most likely tokens, best first; empty when top-k was not recorded
};

struct TokenHeatmapData {
  QString title;                 // "tiny-mistral #3 · sample 2 · max-prob"
  QString measure;               // "max-prob", the measure the cells are shaded by
  int depths = 0;                // rows 1..depths; the last is the full model
  QVector<QString> inputs;       // [tokens]: the token read at each position (column header)
  QVector<HeatmapCell> cells;    // [tokens × depths], token-major: cells[t * depths + (d − 1)]
  QVector<int> exit_depths;      // [tokens]: the depth each token exits at under the current threshold
  QVector<bool> answer;          // [tokens] or empty: the input is a token of the reference answer (QA datasets)

  int tokens() const { return int(inputs.size()); }
  int first_answer() const { return int(answer.indexOf(true)); }  // -1 when none
  const HeatmapCell& cell(int token, int depth) const { return cells[token * depths + depth - 1]; }
};

}  // namespace dynamax::views
