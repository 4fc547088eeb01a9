#pragma once
// The words of a one-page PDF with their boxes (poppler-utils' `pdftotext -bbox`), and what is wrong with their
// layout: a word outside the page, or two words overprinting each other.
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QVector>

namespace testing_support {

struct PdfWord {
  QString text;
  QRectF box;  // points, origin at the top left of the page
};

struct PdfText {
  QRectF page;
  QVector<PdfWord> words;
  QString error;  // set when pdftotext is missing or fails
};

PdfText pdf_text_boxes(const QString& pdf_path);

// One line per problem: a word not inside the page, or two words whose boxes overlap by more than `tolerance_pt`
// in both directions (touching lines of a legend do not count).
QStringList text_layout_problems(const PdfText& text, double tolerance_pt = 0.5);

}  // namespace testing_support
