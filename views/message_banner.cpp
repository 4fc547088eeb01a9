#include "views/message_banner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace dynamax::views {

MessageBanner::MessageBanner(QWidget* parent) : QFrame(parent), label_(new QLabel(this)) {
  label_->setWordWrap(true);
  label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* close = new QToolButton(this);
  close->setText("✕");
  close->setAutoRaise(true);
  close->setToolTip("Dismiss");
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(10, 4, 4, 4);
  row->addWidget(label_, 1);
  row->addWidget(close);
  connect(close, &QToolButton::clicked, this, &QWidget::hide);
  hide();
}

void MessageBanner::show_message(const QString& text, Kind kind) {
  label_->setText(text);
  kind_ = kind;
  // The banner keeps its light colours in either theme: its text and its ✕ are dark on them.
  setStyleSheet(kind == Kind::Error ? "dynamax--views--MessageBanner { background: #fbe3d6; border: 1px solid #D55E00; }"
                                      " QLabel, QToolButton { color: #5a1e00; }"
                                    : "dynamax--views--MessageBanner { background: #dcecf7; border: 1px solid #0072B2; }"
                                      " QLabel, QToolButton { color: #00324f; }");
  show();
}

void MessageBanner::clear_error() {
  if (kind_ == Kind::Error) hide();
}

QString MessageBanner::text() const { return isHidden() ? QString() : label_->text(); }

}  // namespace dynamax::views
