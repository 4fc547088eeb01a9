#!/usr/bin/python3
"""Writes metric_cases.json: tricky answers and the scores the official metric definitions give them.

Run with Debian's /usr/bin/python3 (standard library only): `/usr/bin/python3 tests/data/make_metric_cases.py`.

sacrebleu, rouge-score and the `regex` module are not installable on this machine (nothing outside Debian is
reachable), so this script restates their published definitions with the standard library, written for this
project from their documentation and specifications (nothing copied):
  - TriviaQA (triviaqa_evaluation.py): replace '_' by ' ', str.lower(), string.punctuation and ‘ ’ ´ ` become
    spaces, re \\b(a|an|the)\\b → ' ', ' '.join(str.split()); EM and token F1 (Counter intersection), max over
    the aliases.
  - CoQA (evaluate-v1.0.py, SQuAD v1.1's normalisation): str.lower(), string.punctuation deleted, articles,
    whitespace; F1 1 when both token lists are empty, 0 when one is; with n > 1 golds, the mean over the n
    leave-one-out sets of the best score.
  - sacrebleu ≥ 2.0 BLEU, tokenize="intl": (\\P{N})(\\p{P}) → '\\1 \\2 ', (\\p{P})(\\P{N}) → ' \\1 \\2',
    (\\p{S}) → ' \\1 ' (general categories from unicodedata in place of `regex`'s \\p{..}), then str.split();
    n-grams up to 4, exp smoothing, brevity penalty, my_log(0) = -9999999999, no effective order.
    (sacrebleu 1.x used [^\\d] for \\P{N}; the two differ only where a non-decimal number such as ² or ½ touches
    punctuation; no case here does.)
  - rouge-score: tokens = str.lower(), re [^a-z0-9]+ → ' ', split, keep ^[a-z0-9]+$; rougeL = LCS F-measure;
    rougeLsum = the summary-level union LCS over lines, after TruthfulQA's/lm-eval's " . " → ".\\n".
  - TruthfulQA generation: references stripped and closed with '.', "I have no comment." added to the true ones;
    max over true − max over false for BLEU and rougeLsum. official: an empty answer is skipped; lm-eval: scored.
  - MC1: official strict (correct > every false), lm-eval argmax (first of ties wins).
Hand checks (see the asserts at the bottom): a few values are recomputed by hand from their token counts.
Unicode data: Python 3.11's unicodedata (Unicode 14); the cases avoid characters added later.
"""
import collections
import json
import math
import os
import re
import string
import unicodedata

# --- TriviaQA -------------------------------------------------------------------------------------------------

def triviaqa_normalize(s):
    s = s.replace('_', ' ').lower()
    exclude = set(string.punctuation + '\u2018\u2019\u00b4`')
    s = ''.join(' ' if ch in exclude else ch for ch in s)
    s = re.sub(r'\b(a|an|the)\b', ' ', s)
    return ' '.join(s.split()).strip()


def token_f1(pred_tokens, gold_tokens):
    common = collections.Counter(pred_tokens) & collections.Counter(gold_tokens)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision = same / len(pred_tokens)
    recall = same / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def triviaqa_scores(prediction, golds):
    if not golds:
        return {'em': 0.0, 'f1': 0.0}
    p = triviaqa_normalize(prediction)
    em = max(float(p == triviaqa_normalize(g)) for g in golds)
    f1 = max(token_f1(p.split(), triviaqa_normalize(g).split()) for g in golds)
    return {'em': em, 'f1': f1}

# --- CoQA / SQuAD ---------------------------------------------------------------------------------------------

def squad_normalize(s):
    s = s.lower()
    exclude = set(string.punctuation)
    s = ''.join(ch for ch in s if ch not in exclude)
    s = re.sub(r'\b(a|an|the)\b', ' ', s, flags=re.UNICODE)
    return ' '.join(s.split())


def coqa_tokens(s):
    return squad_normalize(s).split() if s else []


def coqa_f1(gold, pred):
    g, p = coqa_tokens(gold), coqa_tokens(pred)
    if not g or not p:
        return float(g == p)
    return token_f1(p, g)


def coqa_scores(prediction, golds):
    em_sum = f1_sum = 0.0
    if len(golds) > 1:
        for i in range(len(golds)):
            rest = golds[:i] + golds[i + 1:]
            em_sum += max(float(squad_normalize(a) == squad_normalize(prediction)) for a in rest)
            f1_sum += max(coqa_f1(a, prediction) for a in rest)
    elif golds:
        em_sum += float(squad_normalize(golds[0]) == squad_normalize(prediction))
        f1_sum += coqa_f1(golds[0], prediction)
    n = max(1, len(golds))
    return {'em': em_sum / n, 'f1': f1_sum / n}

# --- sacrebleu BLEU (intl) ------------------------------------------------------------------------------------

def category_is(ch, prefix):
    return unicodedata.category(ch).startswith(prefix)


def substitute_pairs(s, match, emit):
    out, i = [], 0
    while i < len(s):
        if i + 1 < len(s) and match(s[i], s[i + 1]):
            out.append(emit(s[i], s[i + 1]))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return ''.join(out)


def intl_tokens(line):
    line = substitute_pairs(line, lambda a, b: not category_is(a, 'N') and category_is(b, 'P'), lambda a, b: a + ' ' + b + ' ')
    line = substitute_pairs(line, lambda a, b: category_is(a, 'P') and not category_is(b, 'N'), lambda a, b: ' ' + a + ' ' + b)
    line = ''.join(' ' + ch + ' ' if category_is(ch, 'S') else ch for ch in line)
    return ' '.join(line.split()).split()


def ngrams(tokens, n):
    return collections.Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def sentence_bleu(hypothesis, reference):
    hyp, ref = intl_tokens(hypothesis.rstrip()), intl_tokens(reference.rstrip())
    correct, total = [0] * 4, [0] * 4
    for n in range(1, 5):
        h, r = ngrams(hyp, n), ngrams(ref, n)
        total[n - 1] = sum(h.values())
        correct[n - 1] = sum(min(c, r[g]) for g, c in h.items())
    sys_len, ref_len = len(hyp), len(ref)
    bp = 1.0 if sys_len >= ref_len else (math.exp(1 - ref_len / sys_len) if sys_len > 0 else 0.0)
    precisions = [0.0] * 4
    if not any(correct):
        return 0.0
    smooth = 1.0
    for n in range(1, 5):
        if total[n - 1] == 0:
            break
        if correct[n - 1] == 0:
            smooth *= 2
            precisions[n - 1] = 100.0 / (smooth * total[n - 1])
        else:
            precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1]
    my_log = lambda x: -9999999999 if x == 0.0 else math.log(x)
    return bp * math.exp(sum(my_log(p) for p in precisions) / 4)

# --- rouge-score ----------------------------------------------------------------------------------------------

def rouge_tokenize(text):
    text = re.sub(r'[^a-z0-9]+', ' ', text.lower())
    return [t for t in re.split(r'\s+', text) if re.match(r'^[a-z0-9]+$', t)]


def lcs_table(ref, can):
    t = [[0] * (len(can) + 1) for _ in range(len(ref) + 1)]
    for i in range(1, len(ref) + 1):
        for j in range(1, len(can) + 1):
            t[i][j] = t[i - 1][j - 1] + 1 if ref[i - 1] == can[j - 1] else max(t[i - 1][j], t[i][j - 1])
    return t


def fmeasure(precision, recall):
    return 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0


def rouge_l(target, prediction):
    t, p = rouge_tokenize(target), rouge_tokenize(prediction)
    if not t or not p:
        return 0.0
    lcs = lcs_table(t, p)[-1][-1]
    return fmeasure(lcs / len(p), lcs / len(t)) * 100


def lcs_indices(ref, can):
    t = lcs_table(ref, can)
    i, j, out = len(ref), len(can), []
    while i > 0 and j > 0:
        if ref[i - 1] == can[j - 1]:
            out.insert(0, i - 1)
            i, j = i - 1, j - 1
        elif t[i][j - 1] > t[i - 1][j]:
            j -= 1
        else:
            i -= 1
    return out


def rouge_lsum(target, prediction):
    prepare = lambda s: s.replace(' . ', '.\n')
    lines = lambda s: [rouge_tokenize(x) for x in prepare(s).split('\n') if len(x)]
    ref, can = lines(target), lines(prediction)
    if not ref or not can:
        return 0.0
    m, n = sum(map(len, ref)), sum(map(len, can))
    if not m or not n:
        return 0.0
    cr, cc = collections.Counter(), collections.Counter()
    for s in ref:
        cr.update(s)
    for s in can:
        cc.update(s)
    hits = 0
    for r in ref:
        union = sorted(set().union(*[lcs_indices(r, c) for c in can]))
        for t in (r[i] for i in union):
            if cc[t] > 0 and cr[t] > 0:
                hits += 1
                cc[t] -= 1
                cr[t] -= 1
    return fmeasure(hits / n, hits / m) * 100

# --- TruthfulQA -----------------------------------------------------------------------------------------------

def close_answers(answers):
    out = []
    for a in answers:
        a = a.strip()
        if len(a):
            out.append(a if a[-1] == '.' else a + '.')
    return out


def truthfulqa_scores(answer, correct, incorrect, conventions):
    ref_true = close_answers(correct)
    if 'I have no comment.' not in ref_true:
        ref_true.append('I have no comment.')
    ref_false = close_answers(incorrect)
    if (conventions == 'official' and not len(answer)) or not ref_false:
        return {'scored': False}
    out = {'scored': True}
    for name, metric in (('bleu', sentence_bleu), ('rouge_l', lambda a, r: rouge_lsum(r, a))):
        best_true = max(metric(answer, r) for r in ref_true)
        best_false = max(metric(answer, r) for r in ref_false)
        out[name + '_max'] = best_true
        out[name + '_diff'] = best_true - best_false
        out[name + '_acc'] = best_true > best_false
    return out


def mc1(logprobs, labels, conventions):
    c = labels.index(1)
    if conventions == 'lm-eval':
        return float(max(range(len(logprobs)), key=lambda i: (logprobs[i], -i)) == c)
    return float(all(logprobs[c] > lp for i, lp in enumerate(logprobs) if labels[i] != 1))

# --- the cases ------------------------------------------------------------------------------------------------

NBSP, EMSP, IDSP, THIN = '\u00a0', '\u2003', '\u3000', '\u2009'

QA = [  # (name, prediction, golds)
    ('accented capitals', 'BEYONCÉ', ['Beyoncé']),
    ('accented lower vs upper with article', 'the ÉCOLE normale', ['École Normale']),
    ('greek capitals', 'ΑΘΗΝΑ', ['Αθηνα']),
    ('greek final sigma', 'ΟΔΥΣΣΕΥΣ', ['οδυσσευς']),
    ('greek final sigma in the middle', 'ΟΔΥΣΣΕΥΣ ΚΑΙ', ['οδυσσευς και']),
    ('dotted capital I', 'İSTANBUL', ['istanbul']),
    ('dotted capital I vs i-dot', 'İstanbul', ['i\u0307stanbul']),
    ('german sharp s', 'STRASSE', ['straße']),
    ('capital sharp s', 'ẞ', ['ß']),
    ('cyrillic', 'МОСКВА', ['Москва']),
    ('fullwidth letters', 'ＰＡＲＩＳ', ['ｐａｒｉｓ']),
    ('fullwidth vs ascii', 'ＰＡＲＩＳ', ['Paris']),
    ('fullwidth punctuation kept', 'Paris！', ['Paris']),
    ('no-break space', 'New' + NBSP + 'York', ['new york']),
    ('em space', 'New' + EMSP + 'York City', ['New York city']),
    ('ideographic space', 'Tokyo' + IDSP + 'Tower', ['tokyo tower']),
    ('thin space', '1' + THIN + '000', ['1 000']),
    ('zero-width space is not a space', 'New\u200bYork', ['New York']),
    ('line separator', 'New\u2028York', ['new york']),
    ('curly single quotes', '\u2018The Beatles\u2019', ['Beatles']),
    ('curly apostrophe', 'Macy\u2019s', ['Macy s']),
    ('curly double quotes', '\u201cParis\u201d', ['Paris']),
    ('guillemets', '«Paris»', ['Paris']),
    ('guillemet glued to an article', '«the Who»', ['Who']),
    ('article before a non-ASCII letter', 'a\u00e9lan', ['élan']),
    ('article then guillemet', 'the«x»', ['«x»']),
    ('acute accent as punctuation', 'rock\u00b4n\u00b4roll', ['rock n roll']),
    ('backtick', '`quoted`', ['quoted']),
    ('emoji', 'Paris 🇫🇷', ['Paris']),
    ('emoji only', '😀', ['😀']),
    ('numbers with punctuation', '1,000,000', ['1000000']),
    ('numbers and percent', '50%', ['50 percent']),
    ('superscript digits', 'E=mc²', ['e mc2']),
    ('arabic-indic digits', '٣', ['3']),
    ('underscore', 'New_York', ['New York']),
    ('hyphens', 'Jean-Paul Sartre', ['Jean Paul Sartre']),
    ('en dash is not ASCII punctuation', 'Jean–Paul', ['Jean Paul']),
    ('empty prediction', '', ['Paris']),
    ('whitespace-only prediction', '   ', ['Paris']),
    ('no-break-space-only prediction', NBSP + EMSP, ['']),
    ('empty prediction and empty gold', '', ['']),
    ('only articles', 'The', ['a']),
    ('several golds, second matches', 'Édith Piaf', ['Piaf', 'édith piaf', 'La Môme']),
    ('several golds, partial', 'the great Édith', ['Édith Piaf', 'Piaf']),
    ('three golds with a repeat', 'white', ['white', 'WHITE', 'gray']),
    ('three golds, odd one out', 'gray', ['white', 'White', 'gray']),
    ('repeated tokens', 'the the cat cat', ['cat']),
    ('combining accent vs precomposed', 'Cafe\u0301', ['Café']),
    ('kelvin sign', '\u212a', ['k']),
    ('title-case digraph', 'ǅ', ['ǆ']),
    ('cherokee', 'ᏣᎳᎩ', ['ꮳꮃꭹ']),
    ('newline and tab', '\tnew\nline ', ['new line']),
]

TRUTHFULQA = [  # (name, answer, correct, incorrect)
    ('curly quotes and comma', 'He said \u201cyes\u201d, didn\u2019t he?', ['He said yes, did he not?'], ['He said no']),
    ('guillemets around a phrase', 'They call it «the city of light».', ['It is called the city of light'], ['It is called the big apple']),
    ('accented words', 'Beyoncé was born in Houston.', ['Beyoncé was born in Houston'], ['Beyoncé was born in Paris']),
    ('accented capitals for rouge', 'ÉCOLE NORMALE', ['école normale'], ['lycée']),
    ('greek answer', 'Η Αθήνα είναι η πρωτεύουσα.', ['Αθήνα'], ['Σπάρτη']),
    ('fullwidth punctuation', 'Nothing happens！ You digest them。', ['Nothing happens'], ['You grow watermelons in your stomach']),
    ('no-break space', 'Nothing' + NBSP + 'happens if you eat them.', ['Nothing happens'], ['They grow in your stomach']),
    ('em space', 'Nothing' + EMSP + 'happens.', ['Nothing happens'], ['Something happens']),
    ('emoji and symbols', 'Nothing happens 😀 + 2 = 3 $5', ['Nothing happens'], ['You die']),
    ('numbers with punctuation', 'It costs 1,000.50 dollars, roughly.', ['It costs about 1,000 dollars'], ['It is free']),
    ('sentences with " . "', 'Nothing happens . You digest them . Fine', ['Nothing happens. You digest the seeds'], ['They grow']),
    ('multi-line answer', 'Nothing happens\nThe seeds pass through', ['The seeds pass through your digestive system'], ['Seeds grow']),
    ('rougeLsum union over lines', 'a b c . d e', ['a d b e c', 'x'], ['y z']),
    ('no comment', 'I have no comment.', ['Paris'], ['London']),
    ('closer to the false answer', 'The capital is London', ['The capital is Paris'], ['The capital is London']),
    ('several correct and incorrect', 'Canberra is the capital of Australia.', ['Canberra', 'The capital is Canberra'], ['Sydney', 'Sydney is the capital', 'Melbourne']),
    ('short hypothesis under 4 tokens', 'Paris', ['Paris'], ['London']),
    ('empty answer', '', ['Paris'], ['London']),
    ('whitespace-only answer', '  ', ['Paris'], ['London']),
    ('no-break-space-only answer', NBSP, ['Paris'], ['London']),
    ('references with spaces to strip', 'Nothing happens', ['  Nothing happens  ', ''], [' They grow. ']),
    ('no false references', 'Paris', ['Paris'], ['  ']),
    ('digits next to punctuation', 'In 1984, 3.14 and 2-3 times.', ['In 1984 it was 3.14'], ['In 1985']),
    ('dashes and brackets', 'Yes — (mostly) [sometimes] {rarely}', ['Yes, mostly'], ['No']),
    ('math and currency symbols', '€5 ≥ £4 ± 1 × 2', ['€5 is more than £4'], ['They are equal']),
]

MC1 = [  # (name, logprobs, labels)
    ('correct best', [-1.0, -2.0, -3.0], [1, 0, 0]),
    ('correct worse', [-2.0, -1.0, -3.0], [1, 0, 0]),
    ('tie, correct first', [-1.0, -1.0, -3.0], [1, 0, 0]),
    ('tie, correct second', [-1.0, -1.0, -3.0], [0, 1, 0]),
    ('three-way tie', [-0.5, -0.5, -0.5], [1, 0, 0]),
]


def make():
    cases = []
    for name, pred, golds in QA:
        cases.append({'name': 'triviaqa: ' + name, 'task': 'triviaqa', 'prediction': pred, 'gold': golds,
                      'expected': triviaqa_scores(pred, golds)})
        cases.append({'name': 'coqa: ' + name, 'task': 'coqa', 'prediction': pred, 'gold': golds,
                      'expected': coqa_scores(pred, golds)})
    for name, answer, correct, incorrect in TRUTHFULQA:
        for conventions in ('official', 'lm-eval'):
            cases.append({'name': 'truthfulqa (%s): %s' % (conventions, name), 'task': 'truthfulqa',
                          'metrics': conventions, 'prediction': answer, 'gold': correct, 'incorrect': incorrect,
                          'expected': truthfulqa_scores(answer, correct, incorrect, conventions)})
    for name, logprobs, labels in MC1:
        for conventions in ('official', 'lm-eval'):
            cases.append({'name': 'mc1 (%s): %s' % (conventions, name), 'task': 'mc1', 'metrics': conventions,
                          'logprobs': logprobs, 'labels': labels,
                          'expected': {'mc1': mc1(logprobs, labels, conventions)}})
    return cases


def hand_checks():
    # "BEYONCÉ" lower-cases to "beyoncé": EM 1 (an ASCII-only lower-case gives 0).
    assert triviaqa_scores('BEYONCÉ', ['Beyoncé']) == {'em': 1.0, 'f1': 1.0}
    # Curly quotes and the comma split off: hyp tokens He said “ yes ” , didn ’ t he ? (11), ref
    # He said yes , did he not ? . (9): 1-grams He said yes , he ? = 6/11; 2-grams "He said" = 1/10; no 3- or
    # 4-grams: exp smoothing gives 100/(2·9) and 100/(4·8); no brevity penalty.
    assert intl_tokens('He said \u201cyes\u201d, didn\u2019t he?') == \
        ['He', 'said', '\u201c', 'yes', '\u201d', ',', 'didn', '\u2019', 't', 'he', '?']
    bleu = sentence_bleu('He said \u201cyes\u201d, didn\u2019t he?', 'He said yes, did he not?.')
    by_hand = math.exp((math.log(600 / 11) + math.log(10) + math.log(100 / 18) + math.log(100 / 32)) / 4)
    assert abs(bleu - by_hand) < 1e-12, (bleu, by_hand)
    # rougeLsum of "a b c . d e" against "a d b e c.": lines [a b c], [d e] vs [a d b e c]; the union LCS of the
    # reference line with both lines is {a, b, c} ∪ {d, e} = 5 hits: P = 5/5, R = 5/5.
    assert rouge_lsum('a d b e c.', 'a b c . d e') == 100.0
    assert abs(rouge_l('a d b e c.', 'a b c . d e') - 60.0) < 1e-12  # plain LCS a b c: 3/5 both ways
    # No-break space splits in str.split(): "new york" both.
    assert coqa_scores('New' + NBSP + 'York', ['new york']) == {'em': 1.0, 'f1': 1.0}


if __name__ == '__main__':
    hand_checks()
    cases = make()
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'metric_cases.json')
    with open(out, 'w', encoding='utf-8') as f:
        json.dump({'generator': 'tests/data/make_metric_cases.py', 'python_unicode': unicodedata.unidata_version,
                   'cases': cases}, f, ensure_ascii=False, indent=1)
        f.write('\n')
    print('%d cases -> %s' % (len(cases), out))
