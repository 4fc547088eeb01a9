// The token inspector's heatmap rendered offscreen: one cell per (token, depth) in the measure's colour, the exit
// boundary under each token's exit row, moving with set_exit_depths, and hover text naming the cell.
#include <QtTest>

#include "views/token_heatmap.h"

using namespace dynamax::views;

namespace {

constexpr int kTokens = 5, kDepths = 4;
const QVector<int> kExits = {1, 2, 4, 3, 2};

// Shades that differ per cell, so a wrong cell position shows as a wrong colour.
float shade_of(int token, int depth) { return float(token * kDepths + depth - 1) / float(kTokens * kDepths - 1); }

TokenHeatmapData sample_data() {
  TokenHeatmapData d;
  d.title = "test run · sample 0";
  d.depths = kDepths;
  for (int t = 0; t < kTokens; ++t) {
    d.inputs.push_back(QString("in%1").arg(t));
    for (int depth = 1; depth <= kDepths; ++depth) {
      HeatmapCell c;
      c.piece = depth == kDepths ? "F" : "x";
      c.shade = shade_of(t, depth);
      c.prob = 0.25f * depth;
      c.agrees = depth == kDepths;
      d.cells.push_back(c);
    }
  }
  d.exit_depths = kExits;
  return d;
}

bool close_to(QColor a, QColor b, int tolerance = 12) {
  return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue()) <= tolerance;
}

bool is_boundary_red(QColor c) { return c.red() > 200 && c.green() < 100 && c.blue() < 80; }

}  // namespace

class TestTokenHeatmap : public QObject {
  Q_OBJECT

 private slots:
  void cells_cover_tokens_by_depths() {
    TokenHeatmap map;
    map.set_data(sample_data());
    const QImage image = map.grab().toImage();
    QCOMPARE(image.size(), map.sizeHint());
    QSet<QPair<int, int>> corners;
    for (int t = 0; t < kTokens; ++t)
      for (int d = 1; d <= kDepths; ++d) {
        const QRect r = map.cell_rect(t, d);
        corners.insert({r.left(), r.top()});
        QVERIFY(image.rect().contains(r));
        // the cell's right part holds no text: it shows the measure's colour
        const QColor seen = image.pixelColor(r.right() - 3, r.center().y() - 4);
        QVERIFY2(close_to(seen, TokenHeatmap::shade_color(shade_of(t, d), false)),
                 qPrintable(QString("token %1 depth %2: %3").arg(t).arg(d).arg(seen.name())));
      }
    QCOMPARE(corners.size(), kTokens * kDepths);  // tokens × depths distinct cells
  }

  void boundary_sits_under_each_exit_row() {
    TokenHeatmap map;
    map.set_data(sample_data());
    const QImage image = map.grab().toImage();
    for (int t = 0; t < kTokens; ++t) {
      const int x = map.cell_rect(t, 1).center().x();
      for (int d = 1; d <= kDepths; ++d) {
        const bool drawn = is_boundary_red(image.pixelColor(x, map.boundary_y(d)));
        QVERIFY2(drawn == (d == kExits[t]), qPrintable(QString("token %1 depth %2").arg(t).arg(d)));
      }
    }
  }

  void boundary_follows_the_threshold() {
    TokenHeatmap map;
    map.set_data(sample_data());
    map.set_exit_depths({4, 4, 4, 4, 4});  // τ above every score: all tokens run the full model
    const QImage image = map.grab().toImage();
    for (int t = 0; t < kTokens; ++t) {
      const int x = map.cell_rect(t, 1).center().x();
      QVERIFY(is_boundary_red(image.pixelColor(x, map.boundary_y(kDepths))));
      QVERIFY(!is_boundary_red(image.pixelColor(x, map.boundary_y(1))));
    }
  }

  void hover_names_the_cell() {
    TokenHeatmap map;
    map.set_data(sample_data());
    const QString text = map.hover_text(3, 3);
    QVERIFY2(text.contains("depth 3 of 4") && text.contains("exits here") && text.contains("in3"), qPrintable(text));
    QVERIFY(map.hover_text(3, 4).contains("= full model"));
    QVERIFY(map.hover_text(kTokens, 1).isEmpty());
  }

  void empty_data_draws_a_hint() {
    TokenHeatmap map;
    map.resize(400, 120);
    const QImage image = map.grab().toImage();
    QCOMPARE(map.data().tokens(), 0);
    QVERIFY(!image.isNull());
  }
};

QTEST_MAIN(TestTokenHeatmap)
#include "test_token_heatmap.moc"
