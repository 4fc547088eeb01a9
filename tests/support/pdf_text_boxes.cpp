#include "support/pdf_text_boxes.h"

#include <QProcess>
#include <QXmlStreamReader>

namespace testing_support {

PdfText pdf_text_boxes(const QString& pdf_path) {
  PdfText out;
  QProcess pdftotext;
  pdftotext.start("pdftotext", {"-bbox", pdf_path, "-"});
  if (!pdftotext.waitForFinished(60'000) || pdftotext.exitCode() != 0) {
    out.error = "pdftotext -bbox " + pdf_path + " failed (is poppler-utils installed?): " +
                QString::fromUtf8(pdftotext.readAllStandardError()) + pdftotext.errorString();
    return out;
  }
  QXmlStreamReader xml(pdftotext.readAllStandardOutput());
  auto number = [&](const char* name) { return xml.attributes().value(name).toDouble(); };
  while (!xml.atEnd()) {
    xml.readNext();
    if (!xml.isStartElement()) continue;
    if (xml.name() == u"page") {
      out.page = QRectF(0, 0, number("width"), number("height"));
    } else if (xml.name() == u"word") {
      const QRectF box(QPointF(number("xMin"), number("yMin")), QPointF(number("xMax"), number("yMax")));
      out.words.push_back({xml.readElementText(), box});
    }
  }
  if (xml.hasError()) out.error = "pdftotext output: " + xml.errorString();
  return out;
}

static QString describe(const PdfWord& w) {
  return QString("'%1' [%2, %3 – %4, %5]")
      .arg(w.text)
      .arg(w.box.left(), 0, 'f', 1)
      .arg(w.box.top(), 0, 'f', 1)
      .arg(w.box.right(), 0, 'f', 1)
      .arg(w.box.bottom(), 0, 'f', 1);
}

QStringList text_layout_problems(const PdfText& text, double tolerance_pt) {
  QStringList problems;
  if (!text.error.isEmpty()) return {text.error};
  if (text.words.isEmpty()) return {"the PDF has no text"};
  for (const PdfWord& w : text.words)
    if (!text.page.contains(w.box)) problems << describe(w) + " is not inside the page";
  for (int i = 0; i < text.words.size(); ++i)
    for (int j = i + 1; j < text.words.size(); ++j) {
      const QRectF common = text.words[i].box.intersected(text.words[j].box);
      if (common.width() > tolerance_pt && common.height() > tolerance_pt)
        problems << describe(text.words[i]) + " overlaps " + describe(text.words[j]);
    }
  return problems;
}

}  // namespace testing_support
