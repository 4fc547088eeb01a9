#include "views/exit_coloured_text.h"

#include <QTextBlock>
#include <QTextCursor>
#include <cmath>

#include "views/heat_scale.h"

namespace dynamax::views {

namespace {

// A token that is only a line break still needs something to colour.
QString visible_text(const QString& text) {
  QString s = text;
  s.replace('\n', QStringLiteral("⏎\n"));
  s.replace('\t', QStringLiteral("⇥"));
  return s;
}

}  // namespace

ExitColouredText::ExitColouredText(QWidget* parent) : QTextEdit(parent) {
  setReadOnly(true);
  setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
  setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  setFrameShape(QFrame::NoFrame);
  document()->setDocumentMargin(4);
}

void ExitColouredText::set_answer(const GeneratedAnswer& answer, int depths) {
  answer_ = answer;
  depths_ = std::max(1, depths);
  rebuild();
}

void ExitColouredText::set_dark(bool dark) {
  dark_ = dark;
  rebuild();
}

QString ExitColouredText::token_tooltip(int index) const {
  if (index < 0 || index >= answer_.tokens.size()) return {};
  const ExitToken& t = answer_.tokens[index];
  const QString score = std::isnan(t.score) ? QString("not evaluated") : QString::number(t.score, 'f', 3);
  return QString("token %1 ‘%2’\nexit depth %3 of %4%5\nscore %6")
      .arg(index + 1)
      .arg(visible_text(t.text).trimmed())
      .arg(t.depth)
      .arg(depths_)
      .arg(t.depth >= depths_ ? " (full model)" : "")
      .arg(score);
}

void ExitColouredText::rebuild() {
  clear();
  QTextCursor cursor(document());
  if (answer_.tokens.isEmpty()) {
    QTextCharFormat plain;
    plain.setForeground(palette().color(QPalette::Text));
    cursor.insertText(answer_.text.isEmpty() ? QString("(empty answer)") : answer_.text, plain);
  }
  for (int i = 0; i < answer_.tokens.size(); ++i) {
    const ExitToken& t = answer_.tokens[i];
    const QColor fill = heat_colour(depth_on_scale(t.depth, depths_), dark_);
    QTextCharFormat format;
    format.setBackground(fill);
    format.setForeground(ink_on(fill));
    format.setToolTip(token_tooltip(i));
    format.setProperty(kTokenIndex, i);
    cursor.insertText(visible_text(t.text), format);
  }
  fit_height();
}

QSize ExitColouredText::sizeHint() const {
  return {QTextEdit::sizeHint().width(), int(std::ceil(document()->size().height())) + 2 * frameWidth()};
}

QSize ExitColouredText::minimumSizeHint() const { return {80, sizeHint().height()}; }

void ExitColouredText::resizeEvent(QResizeEvent* event) {
  QTextEdit::resizeEvent(event);
  fit_height();
}

// As tall as the wrapped text: the answers are listed one under the other, each whole.
void ExitColouredText::fit_height() {
  document()->setTextWidth(viewport()->width());
  const int height = int(std::ceil(document()->size().height())) + 2 * frameWidth();
  if (height != this->height()) setFixedHeight(height);
}

}  // namespace dynamax::views
