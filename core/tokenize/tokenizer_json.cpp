#include "core/tokenize/tokenizer_json.h"

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/io/json_limits.h"
#include "core/tokenize/tokenizer_files.h"
#include "core/tokenize/utf8.h"

namespace dynamax {

namespace {

using nlohmann::json;

// Runs `read` on one section of the file; a wrong type inside it becomes an Error naming the section.
template <class Read>
auto in_field(const std::string& field, Read read) {
  try {
    return read();
  } catch (const json::exception& e) {
    throw Error("field '" + field + "': " + json_exception_reason(e));
  }
}

// The members of a Sequence component (`list` names them); nlohmann would iterate a lone value as a list of one.
const json& sequence_items(const json& sequence, const char* kind, const char* list) {
  const json& items = sequence.at(list);
  if (!items.is_array()) throw Error(std::string(kind) + " Sequence: \"" + list + "\" is not a list");
  return items;
}

std::string type_of(const json& component) {
  if (!component.is_object()) throw Error("a component is " + json_excerpt(component) + ", not an object");
  auto it = component.find("type");
  // Cut: a type is quoted in messages, and a known one is short anyway.
  return it != component.end() && it->is_string() ? text_excerpt(it->get<std::string>()) : std::string("(none)");
}

bool flag(const json& object, const char* name, bool fallback) {
  auto it = object.find(name);
  return it == object.end() || it->is_null() ? fallback : it->get<bool>();
}

// A Replace pattern, which `tokenizers` writes as {"String": "..."} or {"Regex": "..."}.
std::string literal_pattern(const json& replace) {
  const json& pattern = replace.at("pattern");
  if (!pattern.contains("String"))
    throw Error("Replace with pattern " + json_excerpt(pattern) + " is not supported (only literal strings)");
  return pattern.at("String").get<std::string>();
}

// A field that `tokenizers` reads as a single character.
std::string single_character(const json& object, const char* name) {
  const std::string text = object.at(name).get<std::string>();
  if (text.empty() || utf8::char_length(text, 0) != text.size())
    throw Error(std::string(name) + " \"" + text_excerpt(text) + "\" is not a single character");
  return text;
}

// ---- model ----

std::vector<std::pair<std::string, std::string>> read_merges(const json& merges) {
  if (!merges.is_array()) throw Error("model \"merges\" is not an array");
  std::vector<std::pair<std::string, std::string>> pairs;
  pairs.reserve(merges.size());
  for (std::size_t i = 0; i < merges.size(); ++i) {
    const json& merge = merges[i];
    if (merge.is_string()) {
      // Older files write "a b"; pieces never hold a plain space, so exactly one is expected.
      const std::string text = merge.get<std::string>();
      const std::size_t space = text.find(' ');
      if (space == std::string::npos || text.find(' ', space + 1) != std::string::npos)
        throw Error("merge " + std::to_string(i) + " \"" + text_excerpt(text) + "\" is not two pieces separated by a space");
      pairs.emplace_back(text.substr(0, space), text.substr(space + 1));
    } else if (merge.is_array() && merge.size() == 2 && merge[0].is_string() && merge[1].is_string()) {
      pairs.emplace_back(merge[0].get<std::string>(), merge[1].get<std::string>());
    } else {
      throw Error("merge " + std::to_string(i) + " " + json_excerpt(merge) + " is neither \"a b\" nor [\"a\", \"b\"]");
    }
  }
  return pairs;
}

PieceIds read_vocab(const json& vocab) {
  if (!vocab.is_object()) throw Error("model \"vocab\" is not an object of piece -> id");
  PieceIds ids;
  ids.reserve(vocab.size());
  for (const auto& [piece, id] : vocab.items()) {
    if (!id.is_number_integer()) throw Error("vocab entry \"" + text_excerpt(piece) + "\" has a non-integer id " + json_excerpt(id));
    const auto value = id.get<int64_t>();
    if (value < 0 || value > INT32_MAX) throw Error("vocab entry \"" + text_excerpt(piece) + "\" has an invalid id " + json_excerpt(id));
    ids.emplace(piece, static_cast<int32_t>(value));
  }
  return ids;
}

BpeModel read_model(const json& root) {
  if (!root.contains("model") || !root.at("model").is_object()) throw Error("no \"model\" section");
  const json& model = root.at("model");
  const std::string type = type_of(model);
  if (model.contains("type") && type != "BPE")
    throw Error("model type \"" + type + "\" is not supported (only BPE)");
  if (!model.contains("vocab")) throw Error("model has no \"vocab\"");
  if (!model.contains("merges")) throw Error("model has no \"merges\"");
  for (const char* affix : {"continuing_subword_prefix", "end_of_word_suffix"})
    if (model.contains(affix) && !model.at(affix).is_null() && !model.at(affix).get<std::string>().empty())
      throw Error(std::string("model ") + affix + " is not supported");
  if (model.contains("dropout") && !model.at("dropout").is_null() && model.at("dropout").get<double>() > 0)
    throw Error("model dropout is not supported (tokenization here is deterministic)");

  BpeOptions options;
  if (model.contains("unk_token") && !model.at("unk_token").is_null())
    options.unk_token = model.at("unk_token").get<std::string>();
  options.byte_fallback = flag(model, "byte_fallback", false);
  options.fuse_unk = flag(model, "fuse_unk", false);
  options.ignore_merges = flag(model, "ignore_merges", false);
  return BpeModel(read_vocab(model.at("vocab")), read_merges(model.at("merges")), std::move(options));
}

// ---- text before BPE ----

void read_normalizer(const json& normalizer, std::vector<NormalizerStep>& steps) {
  if (normalizer.is_null()) return;
  const std::string type = type_of(normalizer);
  if (type == "Sequence") {
    for (const json& inner : sequence_items(normalizer, "normalizer", "normalizers")) read_normalizer(inner, steps);
  } else if (type == "Prepend") {
    steps.push_back({NormalizerStep::Kind::Prepend, "", normalizer.at("prepend").get<std::string>()});
  } else if (type == "Replace") {
    steps.push_back({NormalizerStep::Kind::Replace, literal_pattern(normalizer),
                     normalizer.at("content").get<std::string>()});
  } else {
    throw Error("normalizer type \"" + type + "\" is not supported");
  }
}

MetaspaceRule::Prepend read_prepend_scheme(const json& metaspace) {
  if (auto it = metaspace.find("prepend_scheme"); it != metaspace.end() && !it->is_null()) {
    const std::string scheme = it->get<std::string>();
    if (scheme == "always") return MetaspaceRule::Prepend::Always;
    if (scheme == "first") return MetaspaceRule::Prepend::First;
    if (scheme == "never") return MetaspaceRule::Prepend::Never;
    throw Error("Metaspace prepend_scheme \"" + text_excerpt(scheme) + "\" is not always, first or never");
  }
  // Files older than prepend_scheme say add_prefix_space instead.
  return flag(metaspace, "add_prefix_space", true) ? MetaspaceRule::Prepend::Always : MetaspaceRule::Prepend::Never;
}

std::optional<MetaspaceRule> read_pre_tokenizer(const json& pre_tokenizer) {
  if (pre_tokenizer.is_null()) return std::nullopt;
  const std::string type = type_of(pre_tokenizer);
  if (type != "Metaspace") throw Error("pre_tokenizer type \"" + type + "\" is not supported (only Metaspace)");
  MetaspaceRule rule;
  rule.replacement = single_character(pre_tokenizer, "replacement");
  rule.prepend = read_prepend_scheme(pre_tokenizer);
  rule.split = flag(pre_tokenizer, "split", true);
  return rule;
}

void read_added_tokens(const json& added, BpeTokenizer::Parts& parts) {
  if (added.is_null()) return;
  if (!added.is_array()) throw Error("\"added_tokens\" is not an array");
  for (std::size_t i = 0; i < added.size(); ++i) {
    in_field("added_tokens[" + std::to_string(i) + "]", [&] {
      const json& token = added[i];
      const auto id = token.at("id").get<int64_t>();
      if (id < 0 || id > INT32_MAX)
        throw Error("field 'added_tokens[" + std::to_string(i) + "]': id " + std::to_string(id) + " is invalid");
      std::string content = token.at("content").get<std::string>();
      parts.added_tokens.add(content, static_cast<int32_t>(id));
      parts.added_pieces[static_cast<int32_t>(id)] = std::move(content);
    });
  }
}

// ---- decoder ----

void read_decoder(const json& decoder, std::vector<DecoderStep>& steps) {
  if (decoder.is_null()) return;
  const std::string type = type_of(decoder);
  if (type == "Sequence") {
    for (const json& inner : sequence_items(decoder, "decoder", "decoders")) read_decoder(inner, steps);
  } else if (type == "Replace") {
    steps.push_back({DecoderStep::Kind::Replace, literal_pattern(decoder), decoder.at("content").get<std::string>()});
  } else if (type == "ByteFallback") {
    steps.push_back({DecoderStep::Kind::ByteFallback});
  } else if (type == "Fuse") {
    steps.push_back({DecoderStep::Kind::Fuse});
  } else if (type == "Strip") {
    DecoderStep step{DecoderStep::Kind::Strip, "", single_character(decoder, "content")};
    step.start = decoder.value("start", 0);
    step.stop = decoder.value("stop", 0);
    steps.push_back(std::move(step));
  } else if (type == "Metaspace") {
    DecoderStep step{DecoderStep::Kind::Metaspace, single_character(decoder, "replacement")};
    step.keep_first_marks = read_prepend_scheme(decoder) == MetaspaceRule::Prepend::Never;
    steps.push_back(std::move(step));
  } else {
    throw Error("decoder type \"" + type + "\" is not supported");
  }
}

const json& section(const json& root, const char* name) {
  static const json absent;
  auto it = root.find(name);
  return it == root.end() ? absent : *it;
}

BpeTokenizer::Parts read_parts(const json& root) {
  if (!root.is_object()) throw Error("expected a JSON object at the top level");
  std::vector<NormalizerStep> normalizer_steps;
  in_field("normalizer", [&] { read_normalizer(section(root, "normalizer"), normalizer_steps); });
  std::optional<MetaspaceRule> metaspace =
      in_field("pre_tokenizer", [&] { return read_pre_tokenizer(section(root, "pre_tokenizer")); });
  std::vector<DecoderStep> decoder_steps;
  in_field("decoder", [&] { read_decoder(section(root, "decoder"), decoder_steps); });
  BpeTokenizer::Parts parts{in_field("model", [&] { return read_model(root); }), AddedTokenSplitter{}, {},
                            SegmentNormalizer(std::move(normalizer_steps), std::move(metaspace)),
                            TokenDecoder(std::move(decoder_steps))};
  read_added_tokens(section(root, "added_tokens"), parts);
  return parts;
}

}  // namespace

std::unique_ptr<BpeTokenizer> read_tokenizer_json(const std::filesystem::path& path) {
  const json root = read_json_file(path);
  try {
    return std::make_unique<BpeTokenizer>(read_parts(root));
  } catch (const json::exception& e) {
    throw Error(path.string() + ": unexpected content (" + json_exception_reason(e) + ")");
  } catch (const Error& e) {
    throw Error(path.string() + ": " + e.what());
  }
}

}  // namespace dynamax
