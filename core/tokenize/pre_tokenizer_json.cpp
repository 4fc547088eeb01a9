#include "core/tokenize/pre_tokenizer_json.h"

#include "core/tokenize/tokenizer_json_fields.h"

namespace dynamax::tokenizer_json {

namespace {

SplitBehavior read_behavior(const json& component, SplitBehavior fallback) {
  auto it = component.find("behavior");
  if (it == component.end() || it->is_null()) return fallback;
  const std::string name = it->get<std::string>();
  if (name == "Removed") return SplitBehavior::Removed;
  if (name == "Isolated") return SplitBehavior::Isolated;
  if (name == "MergedWithPrevious") return SplitBehavior::MergedWithPrevious;
  if (name == "MergedWithNext") return SplitBehavior::MergedWithNext;
  if (name == "Contiguous") return SplitBehavior::Contiguous;
  throw Error("pre_tokenizer split behavior \"" + text_excerpt(name) +
              "\" is not one of Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous");
}

IcuRegex read_split_pattern(const json& split) {
  const json& pattern = split.at("pattern");
  const bool single = pattern.is_object() && pattern.size() == 1;
  try {
    if (single && pattern.contains("Regex"))
      return IcuRegex(pattern.at("Regex").get<std::string>(), IcuRegex::Syntax::Regex);
    if (single && pattern.contains("String"))
      return IcuRegex(pattern.at("String").get<std::string>(), IcuRegex::Syntax::Literal);
  } catch (const Error& e) {
    throw Error(std::string("pre_tokenizer Split: ") + e.what());
  }
  throw Error("pre_tokenizer Split pattern " + json_excerpt(pattern) +
              " is neither {\"Regex\": ...} nor {\"String\": ...}");
}

void read_into(const json& component, PreTokenizerReading& reading) {
  const std::string type = type_of(component);
  if (type == "Sequence") {
    for (const json& inner : sequence_items(component, "pre_tokenizer", "pretokenizers")) read_into(inner, reading);
  } else if (type == "Metaspace") {
    MetaspaceRule rule;
    rule.replacement = single_character(component, "replacement");
    rule.prepend = read_prepend_scheme(component);
    rule.split = flag(component, "split", true);
    reading.steps.push_back(make_metaspace(std::move(rule)));
  } else if (type == "Split") {
    const SplitBehavior behavior = read_behavior(component, SplitBehavior::Isolated);
    reading.steps.push_back(make_split(read_split_pattern(component), behavior, flag(component, "invert", false)));
  } else if (type == "ByteLevel") {
    // trim_offsets only moves offsets, which nothing here reports.
    reading.steps.push_back(
        make_byte_level(flag(component, "add_prefix_space", true), flag(component, "use_regex", true)));
    reading.byte_level = true;
  } else if (type == "Digits") {
    reading.steps.push_back(make_digits(flag(component, "individual_digits", false)));
  } else if (type == "Punctuation") {
    reading.steps.push_back(make_punctuation(read_behavior(component, SplitBehavior::Isolated)));
  } else {
    throw unsupported("pre_tokenizer", type, {"ByteLevel", "Digits", "Metaspace", "Punctuation", "Sequence", "Split"});
  }
}

}  // namespace

PreTokenizerReading read_pre_tokenizer(const json& pre_tokenizer) {
  PreTokenizerReading reading;
  if (!pre_tokenizer.is_null()) read_into(pre_tokenizer, reading);
  return reading;
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

}  // namespace dynamax::tokenizer_json
