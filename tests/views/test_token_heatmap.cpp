// The token inspector's heatmap rendered offscreen: one cell per (token, depth) in the measure's colour, the exit
// boundary under each token's exit row, moving with set_exit_depths, hover text naming the cell and listing the
// exit's top-k, and readable cells in a scroll area with the depth labels pinned.
#include <QScrollArea>
#include <QScrollBar>
#include <QTextDocument>
#include <QtTest>

#include "views/heat_scale.h"
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
        QVERIFY2(close_to(seen, heat_colour(shade_of(t, d), false)),
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

  void hover_lists_the_top_k_in_rank_order_data() {
    QTest::addColumn<QStringList>("pieces");
    QTest::addColumn<QList<float>>("probs");
    QTest::newRow("top-5") << QStringList{"▁Paris", "▁London", "<0x0A>", "▁the", "<s>"}
                           << QList<float>{0.61f, 0.2f, 0.1f, 0.05f, 0.01f};
    QTest::newRow("top-2") << QStringList{"b", "a"} << QList<float>{0.5f, 0.25f};
  }
  void hover_lists_the_top_k_in_rank_order() {
    QFETCH(QStringList, pieces);
    QFETCH(QList<float>, probs);
    TokenHeatmapData data = sample_data();
    data.measure = "max-prob";
    HeatmapCell& cell = data.cells[2 * kDepths + 1];  // token 2, depth 2
    cell.value = 0.612f;
    for (int i = 0; i < pieces.size(); ++i) cell.top_k.push_back({pieces[i], probs[i]});
    TokenHeatmap map;
    map.set_data(data);
    const QString html = map.hover_text(2, 2);
    QVERIFY2(html.contains("depth 2 of 4") && html.contains("position 2") && html.contains("max-prob <b>0.612</b>"),
             qPrintable(html));
    QVERIFY2(!html.contains("not recorded"), qPrintable(html));
    QTextDocument doc;  // what the tooltip shows, as plain text
    doc.setHtml(html);
    const QString text = doc.toPlainText();
    int previous = -1;
    for (int i = 0; i < pieces.size(); ++i) {
      const QString shown = QString(pieces[i]).replace(QChar(0x2581), ' ').replace("<0x0A>", "⏎");
      const int at = text.indexOf("‘" + shown + "’", previous + 1);
      QVERIFY2(at > previous, qPrintable(QString("rank %1 %2 out of order in: %3").arg(i + 1).arg(shown, text)));
      QVERIFY2(text.indexOf(QString::number(probs[i], 'f', 3), at) > at, qPrintable(text));
      previous = at;
    }
  }

  void hover_without_top_k_says_so() {
    TokenHeatmap map;
    map.set_data(sample_data());
    const QString html = map.hover_text(1, 4);
    QVERIFY2(html.contains("top-1 ‘F’") && html.contains("top-k was not recorded"), qPrintable(html));
  }

  void inconsistent_data_is_refused() {
    TokenHeatmapData data = sample_data();
    data.cells.removeLast();
    TokenHeatmap map;
    map.set_data(data);
    QCOMPARE(map.data().tokens(), 0);
    QVERIFY(map.hover_text(0, 1).isEmpty());
    QVERIFY(!map.grab().isNull());
  }

  // Codestral-7B has 64 blocks; a long sample has hundreds of tokens: the cells keep their size and scroll.
  void long_deep_samples_scroll_with_pinned_depth_labels() {
    constexpr int tokens = 300, depths = 64;
    TokenHeatmapData data;
    data.depths = depths;
    HeatmapCell saturated;
    saturated.shade = 1.0f;  // every cell saturated blue
    for (int t = 0; t < tokens; ++t) {
      data.inputs.push_back(QString("t%1").arg(t));
      for (int d = 1; d <= depths; ++d) data.cells.push_back(saturated);
    }
    QScrollArea scroll;
    auto* map = new TokenHeatmap;
    scroll.setWidget(map);
    scroll.resize(900, 360);
    map->set_data(data);
    scroll.show();
    QVERIFY(QTest::qWaitForWindowExposed(&scroll));
    QVERIFY(map->width() > scroll.viewport()->width() && map->height() > scroll.viewport()->height());
    QCOMPARE(map->cell_rect(tokens - 1, depths).size(), QSize(TokenHeatmap::kCellWidth, TokenHeatmap::kCellHeight));
    QVERIFY(scroll.horizontalScrollBar()->maximum() > 0 && scroll.verticalScrollBar()->maximum() > 0);

    scroll.horizontalScrollBar()->setValue(scroll.horizontalScrollBar()->maximum() / 2);
    scroll.verticalScrollBar()->setValue(scroll.verticalScrollBar()->maximum());
    QCoreApplication::processEvents();
    const QImage view = scroll.viewport()->grab().toImage();
    const QColor blue = heat_colour(1.0, false);
    auto blue_in = [&](QRect r) {
      int count = 0;
      for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x) count += close_to(view.pixelColor(x, y), blue, 30);
      return count;
    };
    // the label column and the input row stay on screen, over the cells scrolled under them
    QCOMPARE(blue_in(QRect(2, 50, 60, view.height() - 60)), 0);
    QCOMPARE(blue_in(QRect(80, 2, view.width() - 90, 36)), 0);
    QVERIFY(blue_in(QRect(120, 80, 200, 100)) > 10'000);  // the cells themselves
    // and the label beside a visible row names that row's depth
    const int y = map->cell_rect(0, depths).center().y() + map->y();
    QVERIFY(y > 40 && y < view.height());
    int ink = 0;
    for (int x = 2; x < 74; ++x) ink += view.pixelColor(x, y).lightness() < 160;
    QVERIFY2(ink > 5, "the last depth's label is drawn at the left edge");
    const QPoint cell_centre = map->cell_rect(150, depths).center() + map->pos();
    QVERIFY(scroll.viewport()->rect().contains(cell_centre));
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
