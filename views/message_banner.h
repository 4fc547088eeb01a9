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
  QString text() const;

 private:
  QLabel* label_;
};

}  // namespace dynamax::views
