#include "app/ui/theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace dynamax::app {

static QPalette dark_palette() {
  QPalette p;
  const QColor window(45, 46, 50), base(32, 33, 36), text(225, 225, 225), muted(130, 130, 130);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, QColor(40, 41, 45));
  p.setColor(QPalette::ToolTipBase, window);
  p.setColor(QPalette::ToolTipText, text);
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::Button, window);
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::Highlight, QColor(0, 114, 178));
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Link, QColor(86, 180, 233));
  for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
    p.setColor(QPalette::Disabled, role, muted);
  return p;
}

void apply_theme(bool dark) {
  QApplication::setStyle(QStyleFactory::create("Fusion"));
  QApplication::setPalette(dark ? dark_palette() : QApplication::style()->standardPalette());
  // Fusion outlines an unchecked box in a shade of the window colour, which vanishes on a dark base: a light frame.
  qApp->setStyleSheet(dark ? "QCheckBox::indicator:unchecked, QTreeView::indicator:unchecked, "
                             "QListView::indicator:unchecked, QTableView::indicator:unchecked {"
                             " border: 1px solid #9a9a9a; border-radius: 2px; background: #202124;"
                             " width: 12px; height: 12px; }"
                           : "");
}

}  // namespace dynamax::app
