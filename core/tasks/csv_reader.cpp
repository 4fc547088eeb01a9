#include "core/tasks/csv_reader.h"

namespace dynamax {

std::vector<CsvRecord> read_csv(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<CsvRecord> records;
  std::size_t i = 0, line = 1;
  const std::size_t n = text.size();
  auto at_record_end = [&](std::size_t pos) { return pos >= n || text[pos] == '\n' || text[pos] == '\r'; };
  // Consumes one line break (LF, CRLF or a lone CR) at i.
  auto skip_line_break = [&] {
    if (i < n && text[i] == '\r') ++i;
    if (i < n && text[i] == '\n') ++i;
    ++line;
  };
  while (i < n) {
    if (text[i] == '\n' || text[i] == '\r') {  // an empty line
      skip_line_break();
      continue;
    }
    CsvRecord record;
    record.line = line;
    while (true) {  // one field per turn
      std::string field;
      if (i < n && text[i] == '"') {
        ++i;
        bool closed = false;
        while (i < n) {
          const char c = text[i++];
          if (c == '"') {
            if (i < n && text[i] == '"') {
              field += '"';
              ++i;
            } else {
              closed = true;
              break;
            }
          } else {
            if (c == '\n' || (c == '\r' && (i >= n || text[i] != '\n'))) ++line;
            field += c;
          }
        }
        if (!closed) {
          record.error = "quoted field not closed before the end of the file";
          record.fields.push_back(std::move(field));
          break;
        }
        if (i < n && text[i] != ',' && !at_record_end(i)) {
          record.error = "text after a closing quote (a quote inside a quoted field must be doubled)";
          record.fields.push_back(std::move(field));
          while (!at_record_end(i)) ++i;  // resume at the next line
          break;
        }
      } else {
        const std::size_t start = i;
        while (i < n && text[i] != ',' && !at_record_end(i)) ++i;
        field.assign(text.substr(start, i - start));
      }
      record.fields.push_back(std::move(field));
      if (i < n && text[i] == ',') {
        ++i;
        continue;
      }
      break;
    }
    if (i < n) skip_line_break();
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace dynamax
