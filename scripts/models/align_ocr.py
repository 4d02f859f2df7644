#!/usr/bin/env python3
"""Learn the OCR channel P(ocr glyphs | true letter) by aligning OCR text with its gold.

Word alignment: difflib over word keys (gold: marks stripped, lower case); inside replaced
runs of equal length words are paired one to one. Character alignment: weighted edit
distance that also allows one true letter to be read as two glyphs (and two as one).
Output: TSV `ocr<TAB>gold<TAB>count<TAB>goldcount` for every aligned segment pair.
"""
import difflib
import re
import sys
import unicodedata
from collections import Counter

WORD = re.compile(r"[^\s]+")
EDGE = re.compile(r"^[\"'“”(\[«»,.;:!?]+|[\"'“”)\],.;:!?»«]+$")


def strip_marks(s):
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def words(text):
    out = []
    for m in WORD.finditer(text):
        w = EDGE.sub("", m.group(0))
        if w:
            out.append(w)
    return out


def key(w):
    return strip_marks(w).lower()


def char_align(g, o):
    """Returns [(gold_seg, ocr_seg)] with segments of length 0..2."""
    n, m = len(g), len(o)
    INF = 1e9
    d = [[INF] * (m + 1) for _ in range(n + 1)]
    back = [[None] * (m + 1) for _ in range(n + 1)]
    d[0][0] = 0
    for i in range(n + 1):
        for j in range(m + 1):
            c = d[i][j]
            if c >= INF:
                continue
            steps = []
            if i < n and j < m:
                same = g[i] == o[j]
                near = key(g[i]) == key(o[j])
                steps.append((1, 1, 0 if same else (0.4 if near else 1.0)))
            if i < n and j + 1 < m:
                steps.append((1, 2, 1.3))
            if i + 1 < n and j < m:
                steps.append((2, 1, 1.3))
            if i < n:
                steps.append((1, 0, 1.0))
            if j < m:
                steps.append((0, 1, 1.0))
            for di, dj, cost in steps:
                if c + cost < d[i + di][j + dj]:
                    d[i + di][j + dj] = c + cost
                    back[i + di][j + dj] = (di, dj)
    pairs = []
    i, j = n, m
    while i > 0 or j > 0:
        di, dj = back[i][j]
        pairs.append((g[i - di:i], o[j - dj:j]))
        i, j = i - di, j - dj
    return pairs[::-1], d[n][m]


def align_texts(gold_text, ocr_text, pairs_counter, gold_counter, word_pairs):
    gw, ow = words(gold_text), words(ocr_text)
    sm = difflib.SequenceMatcher(None, [key(w) for w in gw], [key(w) for w in ow], autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            for a, b in zip(gw[i1:i2], ow[j1:j2]):
                emit(a, b, pairs_counter, gold_counter, word_pairs)
        elif tag == "replace" and i2 - i1 == j2 - j1:
            for a, b in zip(gw[i1:i2], ow[j1:j2]):
                emit(a, b, pairs_counter, gold_counter, word_pairs)


def emit(g, o, pairs_counter, gold_counter, word_pairs):
    if g == o:
        for c in g:
            pairs_counter[(c, c)] += 1
            gold_counter[c] += 1
        return
    pairs, cost = char_align(g, o)
    if cost > max(2.5, 0.5 * len(g)):
        return  # not the same word: a mis-alignment, learn nothing from it
    word_pairs.append((g, o))
    for gs, os_ in pairs:
        pairs_counter[(gs, os_)] += 1
        gold_counter[gs] += 1


def main():
    if len(sys.argv) < 4 or len(sys.argv) % 2 != 0:
        sys.exit("usage: align_ocr.py OUT.tsv GOLD1 OCR1 [GOLD2 OCR2 ...]")
    out = sys.argv[1]
    pairs_counter, gold_counter, word_pairs = Counter(), Counter(), []
    for k in range(2, len(sys.argv), 2):
        gold = unicodedata.normalize("NFC", open(sys.argv[k], encoding="utf-8").read())
        ocr = unicodedata.normalize("NFC", open(sys.argv[k + 1], encoding="utf-8").read())
        align_texts(gold, ocr, pairs_counter, gold_counter, word_pairs)
    with open(out, "w", encoding="utf-8") as f:
        for (gs, os_), n in sorted(pairs_counter.items(), key=lambda x: -x[1]):
            f.write(f"{os_}\t{gs}\t{n}\t{gold_counter[gs]}\n")
    with open(out + ".words", "w", encoding="utf-8") as f:
        for g, o in word_pairs:
            f.write(f"{o}\t{g}\n")


if __name__ == "__main__":
    main()
