#!/usr/bin/python3
"""GPT-2's byte-level BPE in a few lines of Python, for the oracle (issue 14).

Written from the description of OpenAI's encoder (gpt-2/src/encoder.py): the text is
split by the pre-tokenising pattern, each piece's UTF-8 bytes are mapped to printable
characters (bytes_to_unicode), adjacent symbols are merged lowest rank first, and
the symbols are looked up in the vocabulary.

Python's `re` has no \\p{L} or \\p{N}; the pattern below spells them [A-Za-z] and
[0-9], which is exact for ASCII text (the oracle's sentences), and refuses the rest.
The C++ tokenizer is checked on Unicode against the npm package gpt-3-encoder;
here it only has to be right for what the oracle feeds it.

Also learn_merges(): greedy BPE training on a small text, for the oracle's tiny vocabulary.
"""
import re
from collections import Counter

# GPT-2's pattern with ASCII classes: \p{L} = [A-Za-z], \p{N} = [0-9], \s = [ \t\n\v\f\r]
# (Python's own \s would also take \x1c-\x1f, which PCRE's does not).
_S = r"[ \t\n\x0b\x0c\r]"
ASCII_PATTERN = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^ \t\n\x0b\x0c\rA-Za-z0-9]+"
                           rf"|{_S}+(?![^ \t\n\x0b\x0c\r])|{_S}+")


def bytes_to_unicode():
    """{byte: printable character}: printable Latin-1 bytes map to themselves, the others to U+0100 on."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = list(bs)
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


BYTE_SYMBOL = bytes_to_unicode()
SYMBOL_BYTE = {c: b for b, c in BYTE_SYMBOL.items()}


# Python's Unicode classes in place of \p{L} and \p{N}: close, not exact (\d is only Nd, \w
# counts marks and "_"); for the self-test's stand-in binary, never for a check.
APPROXIMATE_PATTERN = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+")


def pieces(text, approximate=False):
    """The pre-tokenised pieces of text. REQUIRES: text is ASCII (exact there), or approximate."""
    if approximate and not text.isascii():
        return APPROXIMATE_PATTERN.findall(text)
    if not text.isascii():
        raise ValueError("gpt2_bpe.pieces is exact for ASCII text only")
    return ASCII_PATTERN.findall(text)


def symbols_of(piece):
    return [BYTE_SYMBOL[b] for b in piece.encode("utf-8")]


def merge_word(symbols, ranks, made=None):
    """symbols merged lowest rank first until no adjacent pair has a rank; each symbol
    a merge makes on the way is added to the set `made`, when given."""
    word = list(symbols)
    while len(word) > 1:
        pairs = {(word[i], word[i + 1]) for i in range(len(word) - 1)}
        best = min(pairs, key=lambda p: ranks.get(p, float("inf")))
        if best not in ranks:
            break
        word = merge_pair(word, best)
        if made is not None:
            made.add(best[0] + best[1])
    return word


def merge_pair(word, pair):
    """word with every occurrence of the adjacent pair joined, left to right."""
    out, i = [], 0
    while i < len(word):
        if i + 1 < len(word) and (word[i], word[i + 1]) == pair:
            out.append(word[i] + word[i + 1])
            i += 2
        else:
            out.append(word[i])
            i += 1
    return out


class Encoder:
    def __init__(self, vocab, merges):
        """vocab: {symbol: id}; merges: [(left, right)] in rank order."""
        self.vocab = vocab
        self.by_id = {i: s for s, i in vocab.items()}
        self.ranks = {pair: r for r, pair in enumerate(merges)}

    @classmethod
    def load(cls, vocab_path, merges_path):
        import json
        with open(vocab_path, encoding="utf-8") as f:
            vocab = json.load(f)
        return cls(vocab, read_merges(merges_path))

    def encode(self, text, approximate=False):
        """GPT-2's ids for text: exact for ASCII; other text only with approximate=True."""
        ids = []
        for piece in pieces(text, approximate):
            ids += [self.vocab[s] for s in merge_word(symbols_of(piece), self.ranks)]
        return ids

    def token_bytes(self, i):
        return bytes(SYMBOL_BYTE[c] for c in self.by_id[i]) if i in self.by_id else None


def read_merges(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[0].startswith("#version"):
        lines = lines[1:]
    return [tuple(line.split(" ")) for line in lines if line.strip()]


def learn_merges(text, count):
    """Up to `count` merges learned greedily from text: each time the most frequent adjacent
    pair (ties: the smallest pair), until every piece of the text is one symbol."""
    words = Counter(tuple(symbols_of(p)) for p in pieces(text))
    merges = []
    while len(merges) < count:
        pairs = Counter()
        for word, n in words.items():
            for pair in zip(word, word[1:]):
                pairs[pair] += n
        if not pairs:
            break
        best_count = max(pairs.values())
        best = min(p for p, c in pairs.items() if c == best_count)
        merges.append(best)
        merged = Counter()
        for word, n in words.items():
            merged[tuple(merge_pair(list(word), best))] += n
        words = merged
    return merges


def readable(token_bytes):
    """A token as the binary shows it when that is unambiguous from the contract: printable ASCII
    with at most a leading space, which is shown as "·". None for anything else (not checked)."""
    if re.fullmatch(rb" ?[!-~]+", token_bytes):
        text = token_bytes.decode("ascii")
        return "·" + text[1:] if text.startswith(" ") else text
    return None
