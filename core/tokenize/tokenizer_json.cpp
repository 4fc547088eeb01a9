#include "core/tokenize/tokenizer_json.h"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/io/json_limits.h"
#include "core/tokenize/byte_level.h"
#include "core/tokenize/post_processor_json.h"
#include "core/tokenize/pre_tokenizer_json.h"
#include "core/tokenize/tokenizer_files.h"
#include "core/tokenize/tokenizer_json_fields.h"

namespace dynamax {

namespace {

using namespace tokenizer_json;

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
    const std::optional<int32_t> value = token_id_value(id);
    if (!value) throw Error("vocab entry \"" + text_excerpt(piece) + "\" has an invalid id " + json_excerpt(id));
    ids.emplace(piece, *value);
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

std::optional<NormalizerStep::Kind> unicode_normalizer(const std::string& type) {
  if (type == "NFC") return NormalizerStep::Kind::NFC;
  if (type == "NFD") return NormalizerStep::Kind::NFD;
  if (type == "NFKC") return NormalizerStep::Kind::NFKC;
  if (type == "NFKD") return NormalizerStep::Kind::NFKD;
  if (type == "Lowercase") return NormalizerStep::Kind::Lowercase;
  return std::nullopt;
}

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
  } else if (auto kind = unicode_normalizer(type)) {
    steps.push_back({*kind});
  } else {
    throw unsupported("normalizer", type,
                      {"Lowercase", "NFC", "NFD", "NFKC", "NFKD", "Prepend", "Replace", "Sequence"});
  }
}

void read_added_tokens(const json& added, BpeTokenizer::Parts& parts) {
  if (added.is_null()) return;
  if (!added.is_array()) throw Error("\"added_tokens\" is not an array");
  for (std::size_t i = 0; i < added.size(); ++i) {
    in_field("added_tokens[" + std::to_string(i) + "]", [&] {
      const json& token = added[i];
      const std::optional<int32_t> id = token_id_value(token.at("id"));
      if (!id)
        throw Error("field 'added_tokens[" + std::to_string(i) + "]': id " + json_excerpt(token.at("id")) + " is invalid");
      std::string content = token.at("content").get<std::string>();
      if (token.value("special", false)) parts.special_contents.insert(content);
      parts.added_tokens.add(content, *id);
      parts.added_pieces[*id] = std::move(content);
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
  } else if (type == "ByteLevel") {
    steps.push_back({DecoderStep::Kind::ByteLevel});
  } else {
    throw unsupported("decoder", type,
                      {"ByteFallback", "ByteLevel", "Fuse", "Metaspace", "Replace", "Sequence", "Strip"});
  }
}

const json& section(const json& root, const char* name) {
  static const json absent;
  auto it = root.find(name);
  return it == root.end() ? absent : *it;
}

// A byte-level pre-tokenizer hands BPE nothing but the 256 byte characters: without all of them in the
// vocabulary, `tokenizers` would silently drop text.
void require_byte_alphabet(const BpeModel& model) {
  int missing = 0, first_missing = -1;
  for (unsigned byte = 0; byte < 256; ++byte)
    if (!model.id_of(byte_level::symbol(static_cast<unsigned char>(byte)))) {
      if (missing++ == 0) first_missing = static_cast<int>(byte);
    }
  if (missing == 0) return;
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", first_missing);
  throw Error("the pre_tokenizer is ByteLevel but the vocabulary lacks the characters of " + std::to_string(missing) +
              " of the 256 bytes (the first: byte " + hex + ", \"" +
              byte_level::symbol(static_cast<unsigned char>(first_missing)) + "\")");
}

BpeTokenizer::Parts read_parts(const json& root) {
  if (!root.is_object()) throw Error("expected a JSON object at the top level");
  std::vector<NormalizerStep> normalizer_steps;
  in_field("normalizer", [&] { read_normalizer(section(root, "normalizer"), normalizer_steps); });
  PreTokenizerReading pre_tokenizer =
      in_field("pre_tokenizer", [&] { return read_pre_tokenizer(section(root, "pre_tokenizer")); });
  std::vector<DecoderStep> decoder_steps;
  in_field("decoder", [&] { read_decoder(section(root, "decoder"), decoder_steps); });
  // Either side being ByteLevel puts the vocabulary in the byte-level alphabet.
  const bool byte_level_pieces =
      pre_tokenizer.byte_level || std::ranges::any_of(decoder_steps, [](const DecoderStep& step) {
        return step.kind == DecoderStep::Kind::ByteLevel;
      });
  const std::optional<int32_t> bos =
      in_field("post_processor", [&] { return read_post_processor_bos(section(root, "post_processor")); });
  BpeTokenizer::Parts parts{in_field("model", [&] { return read_model(root); }), AddedTokenSplitter{}, {},
                            SegmentNormalizer(std::move(normalizer_steps), std::move(pre_tokenizer.steps)),
                            TokenDecoder(std::move(decoder_steps)), bos, {}};
  parts.byte_level_pieces = byte_level_pieces;
  if (pre_tokenizer.byte_level) require_byte_alphabet(parts.model);
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
