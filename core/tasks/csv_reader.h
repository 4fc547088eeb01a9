#pragma once
// RFC 4180 CSV: fields separated by commas, records by LF or CRLF; a field in double quotes may hold commas,
// line breaks and doubled quotes (""). A UTF-8 byte-order mark at the start is dropped; empty lines are skipped.
// Lenient where Python's csv module is: a quote inside an unquoted field is kept as a character.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dynamax {

struct CsvRecord {
  std::vector<std::string> fields;
  std::size_t line = 0;  // 1-based line where the record starts
  std::string error;     // non-empty: the record is malformed (fields are what could be read)
};

// Splits the whole text into records. Never throws: a malformed record carries its error
// ("text after a closing quote", "quoted field not closed before the end of the file") and reading resumes
// at the next line.
std::vector<CsvRecord> read_csv(std::string_view text);

}  // namespace dynamax
