#include "core/tokenize/tokenizer_files.h"

#include <fstream>
#include <sstream>
#include <system_error>

#include "core/common/error.h"
#include "core/io/json_limits.h"

namespace dynamax {

std::string read_tokenizer_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw Error(path.string() + ": file not found");
  if (std::filesystem::is_directory(path, ec)) throw Error(path.string() + ": is a folder, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open the file for reading");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw Error(path.string() + ": read error");
  return std::move(bytes).str();
}

nlohmann::json read_json_file(const std::filesystem::path& path) {
  return parse_json_file_text(read_tokenizer_file(path), path.string());
}

}  // namespace dynamax
