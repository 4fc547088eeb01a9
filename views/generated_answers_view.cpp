#include "views/generated_answers_view.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include "views/depth_colour_bar.h"
#include "views/exit_coloured_text.h"

namespace dynamax::views {

namespace {

constexpr char kFullPolicy[] = "full";

QScrollArea* scrolling(QWidget* content, QWidget* parent) {
  auto* scroll = new QScrollArea(parent);
  scroll->setWidget(content);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  return scroll;
}

QLabel* column_heading(const QString& text, QWidget* parent) {
  auto* label = new QLabel(text, parent);
  label->setEnabled(false);  // muted: a heading, not content
  return label;
}

}  // namespace

GeneratedAnswersView::GeneratedAnswersView(QWidget* parent)
    : QWidget(parent), title_(new QLabel(this)), note_(new QLabel(this)), policies_(new QWidget),
      policies_layout_(new QVBoxLayout(policies_)), full_(new QWidget), full_layout_(new QVBoxLayout(full_)),
      colour_bar_(new DepthColourBar(this)) {
  QFont bold = title_->font();
  bold.setBold(true);
  title_->setFont(bold);
  title_->setWordWrap(true);
  title_->setTextFormat(Qt::PlainText);
  note_->setWordWrap(true);
  note_->setEnabled(false);
  for (QVBoxLayout* l : {policies_layout_, full_layout_}) {
    l->setContentsMargins(0, 0, 6, 0);
    l->setSpacing(6);
  }
  auto* left = new QVBoxLayout;
  left->addWidget(column_heading("Early-exit answers (background: the depth each token exited at)", this));
  left->addWidget(scrolling(policies_, this), 1);
  auto* right = new QVBoxLayout;
  right->addWidget(column_heading("Full model, for comparison", this));
  right->addWidget(scrolling(full_, this), 1);
  auto* columns = new QHBoxLayout;
  columns->addLayout(left, 3);
  columns->addSpacing(8);
  columns->addLayout(right, 2);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 2, 4, 2);
  layout->addWidget(title_);
  layout->addWidget(note_);
  layout->addLayout(columns, 1);
  layout->addWidget(colour_bar_);
  set_data({});
}

void GeneratedAnswersView::set_data(const GeneratedAnswersData& data) {
  data_ = data;
  clear_cards();
  title_->setText(data.title);
  const bool nothing = data.answers.isEmpty();
  note_->setText(!data.note.isEmpty() ? data.note : nothing ? QString("No generated answers for this sample.") : QString());
  note_->setVisible(!note_->text().isEmpty());
  if (!data.prompt_tail.isEmpty()) {
    auto* prompt = new QLabel("…" + data.prompt_tail, full_);
    prompt->setWordWrap(true);
    prompt->setTextFormat(Qt::PlainText);
    prompt->setToolTip("The end of the prompt the answers continue");
    prompt->setEnabled(false);
    full_layout_->addWidget(prompt);
    prompt->show();
  }
  for (const GeneratedAnswer& a : data.answers) {
    const bool full = a.policy == kFullPolicy;
    QWidget* card = answer_card(a, full ? full_ : policies_);
    (full ? full_layout_ : policies_layout_)->addWidget(card);
    card->show();  // at once, not on the next turn of the event loop (what adding to a shown layout does)
  }
  policies_layout_->addStretch(1);
  full_layout_->addStretch(1);
  colour_bar_->set_depths(data.depths);
  colour_bar_->setVisible(!nothing);
}

void GeneratedAnswersView::set_dark(bool dark) {
  dark_ = dark;
  colour_bar_->set_dark(dark);
  for (ExitColouredText* text : answer_views()) text->set_dark(dark);
}

QList<ExitColouredText*> GeneratedAnswersView::answer_views() const {
  return policies_->findChildren<ExitColouredText*>() + full_->findChildren<ExitColouredText*>();
}

QWidget* GeneratedAnswersView::answer_card(const GeneratedAnswer& answer, QWidget* parent) {
  auto* card = new QWidget(parent);
  auto* layout = new QVBoxLayout(card);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(1);
  const QString name = answer.policy == kFullPolicy ? QString("full model") : answer.policy;
  auto* header = new QLabel(QString("<b>%1</b>&nbsp;&nbsp;%2").arg(name.toHtmlEscaped(), answer.summary.toHtmlEscaped()), card);
  auto* text = new ExitColouredText(card);
  text->set_dark(dark_);
  text->set_answer(answer, data_.depths);
  layout->addWidget(header);
  layout->addWidget(text);
  return card;
}

void GeneratedAnswersView::clear_cards() {
  for (QVBoxLayout* layout : {policies_layout_, full_layout_})
    while (QLayoutItem* item = layout->takeAt(0)) {
      delete item->widget();
      delete item;
    }
}

}  // namespace dynamax::views
