#!/usr/bin/env node
// Builds the small byte-level tokenizers of tests/data/tokenizers/<family>/ and their reference encodings, with
// Hugging Face `tokenizers` itself (the official Node binding, pinned in package.json next to this file).
//
//   cd tests/data && npm install && node make_tokenizers.js [../../../shared]
//
// Each family gets the pipeline of its real tokenizer.json (normalizer, pre-tokenizer, post-processor, decoder,
// BPE options), merges learnt by the library's own BPE trainer on ../shared's text books, cut to 1000 ids: the
// 256 byte-level symbols first, then the first 744 merges. Its special tokens follow at 1000+ (FAMILIES.md).
// mistral-v3 is the Mistral v0.3 layout instead: special and control tokens first, byte pieces, characters, merges.
// reference.jsonl then holds, per input, the library's ids without special tokens, the ids its post-processor
// adds before and after them (encoding with special tokens), its tokens and its decoding (special tokens kept). The shared reference texts are not committed: those lines name the line
// of ../shared/fixtures/tokenizers/references/tiny.jsonl instead ("shared_line", counted from 0) and keep only
// the ids, plus the SHA-256 of the decoding where it is not the text itself. Then come random strings, and
// random id sequences with only their decoding ("decode_only").
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Tokenizer } = require('tokenizers');

const shared = path.resolve(process.argv[2] || path.join(__dirname, '../../../shared'));
const out = path.join(__dirname, 'tokenizers');
const kByteIds = 256, kModelIds = 1000;

const LLAMA3_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const QWEN2_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

const byteLevel = (add_prefix_space, trim_offsets, use_regex) =>
  ({ type: 'ByteLevel', add_prefix_space, trim_offsets, use_regex });
const split = (regex, behavior = 'Isolated') => ({ type: 'Split', pattern: { Regex: regex }, behavior, invert: false });
const template = (bos, id) => ({
  type: 'TemplateProcessing',
  single: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
  pair: [{ SpecialToken: { id: bos, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } },
         { SpecialToken: { id: bos, type_id: 1 } }, { Sequence: { id: 'B', type_id: 1 } }],
  special_tokens: { [bos]: { id: bos, ids: [id], tokens: [bos] } },
});

// As in the real files: meta-llama/Llama-3.x, Qwen/Qwen2.5-*, EleutherAI/gpt-neox-20b (state-spaces/mamba-*-hf),
// tiiuae/falcon-7b (tiiuae/falcon-mamba-7b).
const families = {
  llama3: {
    normalizer: null,
    pre_tokenizer: { type: 'Sequence', pretokenizers: [split(LLAMA3_REGEX), byteLevel(false, true, false)] },
    post_processor: { type: 'Sequence', processors: [byteLevel(true, false, true), template('<|begin_of_text|>', 1000)] },
    decoder: byteLevel(true, true, true),
    model: { ignore_merges: true },
    specials: ['<|begin_of_text|>', '<|end_of_text|>', '<|start_header_id|>', '<|end_header_id|>', '<|eot_id|>'],
    config: { bos_token: '<|begin_of_text|>', eos_token: '<|end_of_text|>', clean_up_tokenization_spaces: true,
              model_max_length: 131072, tokenizer_class: 'PreTrainedTokenizerFast' },
  },
  qwen2: {
    normalizer: { type: 'NFC' },
    pre_tokenizer: { type: 'Sequence', pretokenizers: [split(QWEN2_REGEX), byteLevel(false, false, false)] },
    post_processor: byteLevel(false, false, false),
    decoder: byteLevel(false, false, false),
    model: { ignore_merges: false },
    specials: ['<|endoftext|>', '<|im_start|>', '<|im_end|>'],
    config: { add_prefix_space: false, bos_token: null, eos_token: '<|endoftext|>', pad_token: '<|endoftext|>',
              errors: 'replace', split_special_tokens: false, clean_up_tokenization_spaces: false,
              model_max_length: 131072, tokenizer_class: 'Qwen2Tokenizer' },
  },
  'gpt-neox': {
    normalizer: { type: 'NFC' },
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true },  // no use_regex: older file
    post_processor: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true },
    decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true },
    model: {},  // written before byte_fallback and ignore_merges existed
    specials: ['<|endoftext|>', '<|padding|>'],
    config: { add_bos_token: false, add_eos_token: false, bos_token: '<|endoftext|>', eos_token: '<|endoftext|>',
              pad_token: '<|endoftext|>', unk_token: '<|endoftext|>', clean_up_tokenization_spaces: true,
              tokenizer_class: 'GPTNeoXTokenizer' },
  },
  falcon: {
    normalizer: null,
    pre_tokenizer: { type: 'Sequence', pretokenizers: [
      { type: 'Punctuation', behavior: 'Contiguous' }, byteLevel(false, true, true),
      { type: 'Digits', individual_digits: false }, split('[0-9][0-9][0-9]')] },
    post_processor: byteLevel(true, false, true),
    decoder: byteLevel(true, true, true),
    model: {},
    specials: ['>>TITLE<<', '>>ABSTRACT<<', '>>INTRODUCTION<<', '>>SUMMARY<<', '>>COMMENT<<', '>>ANSWER<<',
               '>>QUESTION<<', '>>DOMAIN<<', '>>PREFIX<<', '>>SUFFIX<<', '>>MIDDLE<<', '<|endoftext|>'],
    config: { add_prefix_space: false, eos_token: '<|endoftext|>', clean_up_tokenization_spaces: true,
              model_max_length: 2048, tokenizer_class: 'PreTrainedTokenizerFast' },
  },
  // A Mistral v0.3-style file: sentencepiece-like BPE with byte fallback, control tokens as added special tokens.
  'mistral-v3': {
    sentencepiece: true,
    normalizer: null,
    pre_tokenizer: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'first', split: false },
    post_processor: template('<s>', 1),
    decoder: { type: 'Sequence', decoders: [
      { type: 'Replace', pattern: { String: '\u2581' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' },
      { type: 'Strip', content: ' ', start: 1, stop: 0 }] },
    model: { unk_token: '<unk>', fuse_unk: true, byte_fallback: true, ignore_merges: false },
    specials: ['<unk>', '<s>', '</s>', '[INST]', '[/INST]', '[TOOL_CALLS]', '[AVAILABLE_TOOLS]', '[/AVAILABLE_TOOLS]',
               '[TOOL_RESULTS]', '[/TOOL_RESULTS]', '[control_8]', '[control_9]', '[control_10]'],
    config: { add_bos_token: true, add_eos_token: false, bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>',
              legacy: false, clean_up_tokenization_spaces: false, tokenizer_class: 'LlamaTokenizer' },
  },
};

// Inputs of our own, for what these pipelines do differently from the sentencepiece ones.
const ownTexts = [
  '1234567', '3.14159', '12,345,678.90', 'in 2024 and 1999, 42%', '٣٤٥ and ½ and ²³', '0x1F 007 1e-10',
  'a  b   c    d', '\t\tindented\n\n\nthree', 'tab\tthen space \t mixed', 'line\r\nwindows\r\n\r\nend',
  '   leading spaces', 'trailing spaces   ', ' ', '  ', '\n', '\n\n', ' \n ', '\r', '\t \n',
  "DON'T", "don't", "I'M HERE, YOU'RE THERE, WE'VE, THEY'LL, HE'D", "it's John's", "'s", "rock 'n' roll",
  'emoji 😀 grin', '👩‍👩‍👧‍👦 family', '🇫🇷🇯🇵 flags', '👍🏽 tone', '❤️ heart', '🏳️‍🌈',
  '中文分词测试，包括标点。', '日本語のテキストです', '한국어 문장', 'Mixed中文and English',
  'مرحبا بالعالم', 'שלום עולם', 'Привет, мир! Вот всё.', 'Ελληνικά κείμενα',
  'caf\u00e9 vs cafe\u0301', 'A\u030a vs \u00c5', '\u1e9b\u0323', 'ﬁ ligature ＡＢＣ fullwidth', 'x\u0301\u0301\u0301',
  'hello<|endoftext|>world', '<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n',
  '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>', ' <|end_of_text|> ',
  '<s>[INST] What is 2+2? [/INST] 4</s>', '[TOOL_CALLS][control_9] [INST]x', '[INST', '<unk>',
  '>>TITLE<<Title>>ABSTRACT<< text', '<|padding|><|padding|>', '<|im_start', 'im_end|>',
  'punctuation!!! ... ??? --- ;;', 'a.b,c;d:e', '(parens) [brackets] {braces}', 'C++ and C# and F#',
  'email@example.com https://example.com/path?q=1&r=2', 'snake_case camelCase PascalCase',
  'def f(x):\n    return x**2  # comment\n', '    four\n        eight', '¿Qué? ¡Sí!', '“quotes” ‘single’ «guillemets»',
  '\u00a0non-breaking\u00a0space', 'zero\u200bwidth', 'soft\u00adhyphen', '\u3000ideographic space',
  '\u0000nul and \u0007bell', 'v\u000btab\u000cfeed\u0085nel\u2028ls\u2029ps', "IT'ſ long s", 'x  \u00a0y', '\u007f del', '\ufeffbom', 'ẞ straße', 'İstanbul ıi', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math',
];

// Random strings from pieces that tell regex engines and normalizers apart, and random id sequences (their
// decoding crosses UTF-8 characters, which tests the lossy decoding), both from a fixed seed.
const kRandomPieces = ['a', 'Z', 'the', ' ', '  ', '\t', '\n', '\r\n', '\r', '\u000b', '\u000c', '\u0085', '\u00a0',
  '\u2028', '\u3000', "'", "'s", "'S", "'ll", "'LL", "'\u017f", '\u212a', '0', '1', '23', '456', '7890', '½', '²', '٣',
  '１２', 'Ⅻ', '.', ',', '!', '?', '$', '+', '<', '>', '^', '`', '|', '~', '-', '_', '(', '"', '“', '—', '…', '中', '日本',
  '한', 'é', 'e\u0301', '\u0301', 'ﬁ', 'İ', 'ß', 'Σ', 'ς', '😀', '👩‍👧', '🇫🇷', '\u200d', '\ufeff', '\u200b', 'word',
  'Hello', "DON'T", '<|endoftext|>', '<|im_start|>', '<|begin_of_text|>', '<s>', '[INST]', '<|', '|>', '>>TITLE<<',
  '\u0000', '\u007f', '𝔘', 'ا', ' 12', ' ?!'];
function randomGenerator(seed) {
  let state = seed;
  return (n) => { state = (state * 1103515245 + 12345) % 2147483648; return Math.floor((state / 2147483648) * n); };
}
function randomTexts(count) {
  const next = randomGenerator(12345);
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + next(20) }, () => kRandomPieces[next(kRandomPieces.length)]).join(''));
}
function randomIdLists(count, vocabSize) {
  const next = randomGenerator(777);
  return Array.from({ length: count }, () => Array.from({ length: 1 + next(8) }, () => next(vocabSize)));
}

function byteSymbols() {
  // GPT-2's bytes -> characters map: printable Latin-1 stands for itself, the other bytes for U+0100 onwards.
  const printable = [];
  for (let b = 33; b <= 126; ++b) printable.push(b);
  for (let b = 161; b <= 172; ++b) printable.push(b);
  for (let b = 174; b <= 255; ++b) printable.push(b);
  const symbols = printable.map((b) => String.fromCodePoint(b));
  let next = 256;
  for (let b = 0; b < 256; ++b) if (!printable.includes(b)) symbols.push(String.fromCodePoint(next++));
  return symbols;
}

function tokenizerJson(family, vocab, merges, specials) {
  const model = Object.assign({ type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null,
                                end_of_word_suffix: null, fuse_unk: false }, family.model);
  if ('ignore_merges' in family.model && !('byte_fallback' in family.model)) model.byte_fallback = false;
  const firstSpecial = family.sentencepiece ? 0 : kModelIds;
  model.vocab = vocab;
  model.merges = merges;
  return {
    version: '1.0', truncation: null, padding: null,
    added_tokens: specials.map((content, i) => ({ id: firstSpecial + i, content, single_word: false, lstrip: false,
                                                   rstrip: false, normalized: false, special: true })),
    normalizer: family.normalizer, pre_tokenizer: family.pre_tokenizer, post_processor: family.post_processor,
    decoder: family.decoder, model,
  };
}

// The library's merges for this pipeline, learnt on `corpus`.
function trained(family, corpus) {
  const blank = tokenizerJson(family, {}, [], []);
  // Metaspace without split would see the whole corpus as one word.
  if (family.sentencepiece) blank.pre_tokenizer = Object.assign({}, blank.pre_tokenizer, { split: true });
  const tokenizer = Tokenizer.fromString(JSON.stringify(blank));
  tokenizer.train([corpus]);
  const saved = path.join(os.tmpdir(), `make_tokenizers_${process.pid}.json`);
  tokenizer.save(saved);
  const model = JSON.parse(fs.readFileSync(saved, 'utf8')).model;
  fs.unlinkSync(saved);
  const alphabet = Object.entries(model.vocab).sort((a, b) => a[1] - b[1]).map(([piece]) => piece)
    .filter((piece) => Array.from(piece).length === 1);
  return { alphabet, merges: model.merges.map((m) => (typeof m === 'string' ? m.split(' ') : m)) };
}

// Byte-level: the 256 byte characters, then merges. Sentencepiece-like: the special tokens, the 256 <0xAB> byte
// pieces, the characters the trainer saw, then merges.
function buildVocab(family, { alphabet, merges }) {
  const vocab = {};
  const base = family.sentencepiece
    ? [...family.specials, ...Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`),
       ...alphabet.slice(0, 300)]
    : byteSymbols();
  base.forEach((piece) => { if (!(piece in vocab)) vocab[piece] = Object.keys(vocab).length; });
  const kept = [];
  for (const [a, b] of merges) {
    if (Object.keys(vocab).length >= kModelIds) break;
    if (!(a in vocab) || !(b in vocab) || (a + b) in vocab) continue;
    vocab[a + b] = Object.keys(vocab).length;
    kept.push([a, b]);
  }
  if (Object.keys(vocab).length !== kModelIds) throw new Error('too few merges learnt');
  return { vocab, merges: kept };
}

function writeCorpus() {
  const text = path.join(shared, 'data', 'text');
  const pieces = [fs.readFileSync(path.join(text, 'wikitext2_test.txt'), 'utf8').slice(0, 200000),
                  fs.readFileSync(path.join(text, 'austen-emma.txt'), 'utf8').slice(0, 100000),
                  ownTexts.join('\n').repeat(20)];
  const file = path.join(os.tmpdir(), `make_tokenizers_corpus_${process.pid}.txt`);
  fs.writeFileSync(file, pieces.join('\n'));
  return file;
}

function sharedTexts() {
  const file = path.join(shared, 'fixtures', 'tokenizers', 'references', 'tiny.jsonl');
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l).text);
}

// The ids with special tokens are stored as what the post-processor adds before and after the plain ids.
async function reference(tokenizer, text) {
  const plain = await tokenizer.encode(text, null, { addSpecialTokens: false });
  const withSpecials = (await tokenizer.encode(text, null, { addSpecialTokens: true })).getIds();
  const ids = plain.getIds();
  let start = withSpecials.length - ids.length;  // the last place, so that specials around no ids count as before
  while (start >= 0 && withSpecials.slice(start, start + ids.length).join() !== ids.join()) --start;
  if (start < 0) throw new Error(`the ids with special tokens do not contain the plain ids: ${text}`);
  return { ids, specials_before: withSpecials.slice(0, start), specials_after: withSpecials.slice(start + ids.length),
           tokens: plain.getTokens(), decoded: await tokenizer.decode(ids, false) };
}

async function main() {
  const corpus = writeCorpus();
  const texts = sharedTexts();
  for (const [name, family] of Object.entries(families)) {
    const { vocab, merges } = buildVocab(family, trained(family, corpus));
    const json = tokenizerJson(family, vocab, merges, family.specials);
    const dir = path.join(out, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(json, null, 1) + '\n');
    fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify(family.config, null, 2) + '\n');

    const tokenizer = Tokenizer.fromString(JSON.stringify(json));
    const lines = [];
    for (let i = 0; i < texts.length; ++i) {
      const { ids, specials_before, specials_after, decoded } = await reference(tokenizer, texts[i]);
      const line = { shared_line: i, ids, specials_before, specials_after };
      if (decoded !== texts[i]) line.decoded_sha256 = crypto.createHash('sha256').update(decoded).digest('hex');
      lines.push(JSON.stringify(line));
    }
    for (const text of [...ownTexts, ...randomTexts(300)])
      lines.push(JSON.stringify(Object.assign({ text }, await reference(tokenizer, text))));
    for (const ids of randomIdLists(300, tokenizer.getVocabSize(true)))
      lines.push(JSON.stringify({ decode_only: true, ids, decoded: await tokenizer.decode(ids, false) }));
    fs.writeFileSync(path.join(dir, 'reference.jsonl'), lines.join('\n') + '\n');
    console.log(`${name}: ${Object.keys(vocab).length} ids, ${family.specials.length} specials, ` +
                `${lines.length} reference lines`);
  }
  fs.unlinkSync(corpus);
}

main().catch((e) => { console.error(e); process.exit(1); });
