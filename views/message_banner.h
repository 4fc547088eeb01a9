#pragma once
// A message strip at the top of the window for errors and notices: shown in place, never a modal box, so a bad
// input never blocks the window (or a test). Closed by its button or replaced by the next message.
#include <QFrame>

class QLabel;

namespace dynamax::views {

class MessageBanner : public QFrame {
  Q_OBJECT
 public:
  enum class Kind { Info, Error };
  explicit MessageBanner(QWidget* parent = nullptr);
  void show_message(const QString& text, Kind kind = Kind::Error);
  void clear_error();  // hides an error message; a notice stays
  QString text() const;
  bool shows_error() const { return !isHidden() && kind_ == Kind::Error; }

 private:
  QLabel* label_;
  Kind kind_ = Kind::Info;
};

}  // namespace dynamax::views
