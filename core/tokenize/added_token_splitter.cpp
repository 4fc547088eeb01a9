#include "core/tokenize/added_token_splitter.h"

namespace dynamax {

void AddedTokenSplitter::add(std::string content, int32_t id) {
  if (content.empty()) return;
  auto& candidates = by_first_byte_[static_cast<unsigned char>(content.front())];
  const std::size_t length = content.size();
  candidates.emplace(length, Candidate{std::move(content), id});  // after the equal lengths added before
}

const AddedTokenSplitter::Candidate* AddedTokenSplitter::match_at(std::string_view text, std::size_t pos) const {
  auto it = by_first_byte_.find(static_cast<unsigned char>(text[pos]));
  if (it == by_first_byte_.end()) return nullptr;
  for (const auto& [length, candidate] : it->second)
    if (text.substr(pos).starts_with(candidate.content)) return &candidate;
  return nullptr;
}

std::vector<TextSegment> AddedTokenSplitter::split(std::string_view text) const {
  std::vector<TextSegment> segments;
  std::size_t plain_start = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const Candidate* token = by_first_byte_.empty() ? nullptr : match_at(text, pos);
    if (!token) {
      ++pos;
      continue;
    }
    if (pos > plain_start) segments.push_back({text.substr(plain_start, pos - plain_start), plain_start, -1});
    segments.push_back({text.substr(pos, token->content.size()), pos, token->id});
    pos += token->content.size();
    plain_start = pos;
  }
  if (plain_start < text.size()) segments.push_back({text.substr(plain_start), plain_start, -1});
  return segments;
}

}  // namespace dynamax
