#!/usr/bin/env python3
"""Builds the Repair stage's model files from named sources (see models/NOTICE).

    scripts/models/build.py [--out DIR] [--exclude DOC_ID ...]

DIR defaults to models/. `--exclude lindesberg-2022` leaves that report (its gold text and
its scan) out of every count, for leave-one-out evaluation. The alingsas-2024 pair is
evaluation data and is never read here.

Outputs:
  lexicon.bin   word forms (hunspell-sv expanded, in-domain words, municipality names,
                wordfreq words with å/ä/ö/é) with a unigram cost and flags
  context.bin   in-domain unigram, bigram and skip-pair counts ("w", "w1 w2" and
                "w1 _ w3" keys, the last only around words with a stripped twin)
  channel.tsv   the learned OCR channel: ocr glyphs, true letters, log P(ocr | true)
"""
import argparse
import math
import os
import re
import struct
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import align_ocr  # noqa: E402

DIC = "/usr/share/hunspell/sv_SE.dic"
AFF = "/usr/share/hunspell/sv_SE.aff"
# Clean in-domain report texts: (document id, gold text, scanned PDF with an OCR layer).
DOMAIN = [
    ("lindesberg-2022", "corpus/lindesberg-2022.gold.txt", "corpus/lindesberg-2022.scan.pdf"),
    ("vanersborg-2022", "corpus/vanersborg-2022.gold.txt", "corpus/vanersborg-2022.scan.pdf"),
]
# General Swedish running text for the context model, from Debian packages (extracted by
# scripts/models/build.sh into models/.work/src/x): HTML help pages.
GENERAL = [
    "usr/share/libreoffice/help/sv",            # libreoffice-help-sv, MPL-2.0
    "usr/share/doc/debian-edu-doc-legacy-sv",   # debian-edu-doc-legacy-sv, GPL-2+
    "usr/share/doc/cfi-sv",                     # cfi-sv (Copyright finns inte), public domain
]
# OCR readings of marked letters known from English-model OCR of Swedish (glyphs, true
# letter), written to the channel where the training scans did not show them.
PRIOR_READINGS = [(g, "ö") for g in ("é", "6", "d", "0")] + \
    [(g, "ä") for g in ("d", "&", "é", "4", "i")] + \
    [(g, "å") for g in ("A", "&")] + [(g, "Ö") for g in ("O", "0", "6")]
PRIOR_LOG_P = -6.0
# In-domain counts weigh this much more than general text.
DOMAIN_WEIGHT = 12
# Swedish morphology for word classes: apertium-swe-dan's analyser (GPL-3), run with
# lttoolbox's lt-proc.
ANALYSER = "usr/share/apertium/apertium-swe-dan/swe-dan.automorf.bin"
MUNICIPALITIES = os.path.join(HERE, "data", "municipalities.txt")
BODIES = os.path.join(HERE, "data", "bodies.txt")

# Lexicon flags (one byte per entry).
STANDALONE, BEGIN, MIDDLE, END, DOMAIN_WORD, NAME, HUNSPELL, MARKED_TWIN = (
    1, 2, 4, 8, 16, 32, 64, 128)
STRIP = str.maketrans("åäö", "aao")

TOKEN = re.compile(r"[^\W_]+")


def nfc(s):
    return unicodedata.normalize("NFC", s)


def lower(s):
    return nfc(s).lower()


# ---------------------------------------------------------------- hunspell expansion
def parse_aff(path):
    rules = defaultdict(list)  # flag -> [(kind, strip, add, contflags, cond_regex, cross)]
    cross = {}
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for line in lines:
        parts = line.split()
        if len(parts) < 4 or parts[0] not in ("SFX", "PFX"):
            continue
        kind, flag = parts[0], parts[1]
        if len(parts) == 4 and parts[2] in ("Y", "N"):
            cross[flag] = parts[2] == "Y"
            continue
        strip = "" if parts[2] == "0" else parts[2]
        add = parts[3]
        cont = ""
        if "/" in add:
            add, cont = add.split("/", 1)
        if add == "0":
            add = ""
        cond = parts[4] if len(parts) > 4 else "."
        regex = re.compile(("^" + cond) if kind == "PFX" else (cond + "$"))
        rules[flag].append((kind, strip, add, cont, regex))
    return rules, cross


def expand_hunspell():
    """Yields (form, flags) for every form hunspell-sv accepts, with compound roles."""
    rules, cross = parse_aff(AFF)
    with open(DIC, encoding="utf-8") as f:
        lines = f.read().splitlines()[1:]
    for line in lines:
        if not line or line.startswith("#"):
            continue
        stem, _, flags = line.partition("/")
        stem = nfc(stem.strip())
        flags = flags.strip()
        if "%" in flags or not stem:
            continue
        needaffix = "¤" in flags
        onlycomp = "Z" in flags
        own = 0
        if not needaffix and not onlycomp:
            own |= STANDALONE
        if "X" in flags:
            own |= BEGIN
        if "U" in flags:
            own |= MIDDLE
        if "Y" in flags:
            own |= END
        if own:
            yield stem, own
        suffixed = []
        for fl in flags:
            for kind, strip, add, cont, regex in rules.get(fl, []):
                if kind != "SFX" or not regex.search(stem):
                    continue
                if strip and not stem.endswith(strip):
                    continue
                form = stem[: len(stem) - len(strip)] + add
                suffixed.append((form, cont, fl))
        for fl in flags:
            for kind, strip, add, cont, regex in rules.get(fl, []):
                if kind != "PFX" or not regex.search(stem):
                    continue
                if strip and not stem.startswith(strip):
                    continue
                yield add + stem[len(strip):], STANDALONE
                if cross.get(fl):
                    for form, c2, sfl in suffixed:
                        if cross.get(sfl):
                            yield add + form[len(strip):], STANDALONE
        for form, cont, _ in suffixed:
            fl = 0
            if "Z" not in cont:
                fl |= STANDALONE
            if "X" in cont:
                fl |= BEGIN
            if "U" in cont:
                fl |= MIDDLE
            if "Y" in flags and "Z" not in cont:
                fl |= END
            # Continuation classes: one more suffix level (e.g. genitive after plural).
            for cf in cont:
                for kind, strip, add, c3, regex in rules.get(cf, []):
                    if kind == "SFX" and regex.search(form) and form.endswith(strip):
                        f2 = form[: len(form) - len(strip)] + add
                        yield f2, (STANDALONE if "Z" not in c3 else 0) | (
                            BEGIN if "X" in c3 else 0) | (END if "Y" in flags else 0)
            if fl:
                yield form, fl


# ---------------------------------------------------------------- sources
def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return nfc(f.read())


NUM = "<num>"
# Years (four digits 1900-2099) are a class of their own: "år 2022" and "2022 är" behave
# unlike "18 år".
YEAR = "<year>"
YEAR_RE = re.compile(r"(19|20)[0-9][0-9]")


def number_class(token):
    return YEAR if YEAR_RE.fullmatch(token) else NUM


CLAUSE = re.compile(r"[.:;!?]")
PREFIX = 5  # letters that name an inflection class in the context model


def context_tokens(text):
    """Lower-case word tokens; numbers become <year> or <num> (as the repairer's context
    does)."""
    return [number_class(m.group(0)) if m.group(0).isdigit() else lower(m.group(0))
            for m in TOKEN.finditer(text)]


# Sentence boundaries as context words: "<s> w" counts w opening a sentence (at a line
# start, or after . ! ? and a space), "w </s>" counts w right before . ! ? that end one.
# "per år." and "Här finns" are told apart by them.
START, END_ = "<s>", "</s>"
MARKERS = (NUM, YEAR, START, END_)


def context_pairs(text):
    """Adjacent token pairs within clauses (pairs never span . : ; ! ?), plus the
    sentence-boundary pairs with <s> and </s>."""
    pieces = re.split(r"([.:;!?])", text)
    opens = True  # a line (a paragraph in the gold texts) opens a sentence
    for k in range(0, len(pieces), 2):
        toks = context_tokens(pieces[k])
        yield from (f"{a} {b}" for a, b in zip(toks, toks[1:]))
        delim = pieces[k + 1] if k + 1 < len(pieces) else ""
        after = pieces[k + 2] if k + 2 < len(pieces) else ""
        ends = delim in (".", "!", "?") and delim != "" and (after == "" or after[0].isspace())
        if toks:
            if opens:
                yield f"{START} {toks[0]}"
            if ends and pieces[k][-1:].isalnum():
                yield f"{toks[-1]} {END_}"
        opens = ends or (opens and not toks and delim == "")


def context_skips(text):
    """Token pairs one word apart within clauses ("a _ b" keys: a, any word, b)."""
    for clause in CLAUSE.split(text):
        toks = context_tokens(clause)
        yield from ((a, b) for a, b in zip(toks, toks[2:]))


# ---------------------------------------------------------------- word classes
# Tags an analysis keeps: part of speech (the first tag) and these; gender, person and the
# like are dropped, so a class says how a word behaves beside others ("att" + infinitive,
# "det" + definite adjective), not which paradigm it belongs to.
CLASS_TAGS = {"inf", "pres", "past", "supn", "imp", "pprs", "pp", "actv", "pasv",
              "sg", "pl", "ind", "def", "gen", "pst", "comp", "sup"}
# A word the analyser does not know takes the class of its longest known ending of at
# least this many letters (a compound's head: "arbetsmarknadsläget" -> "läget"), leaving
# at least two letters before it.
CLASS_HEAD = 3


def analysis_class(analyses):
    """The ambiguity class of one word: its analyses reduced to CLASS_TAGS, sorted and
    joined by "|" ("adv|vblex.past.actv" for "var"). None when nothing is left."""
    reduced = set()
    for a in analyses:
        if "<cmp>" in a or "<compound-" in a or "+" in a:
            continue  # compound-part readings: not how the word stands alone
        tags = re.findall(r"<([^<>]+)>", a)
        if not tags:
            continue
        reduced.add(".".join([tags[0]] + [t for t in tags[1:] if t in CLASS_TAGS]))
    return "|".join(sorted(reduced)) or None


def word_classes(words, src_root):
    """Word -> ambiguity class string, by lt-proc over `words` (lower case), then by the
    longest known head for the rest."""
    analyser = os.path.join(src_root, ANALYSER)
    out = subprocess.run(["lt-proc", analyser], input="\n".join(words) + "\n",
                         check=True, capture_output=True, text=True).stdout.split("\n")
    known = {}
    for w, line in zip(words, out):
        units = re.findall(r"\^([^$]*)\$", line)
        if len(units) != 1:
            continue
        parts = units[0].split("/")
        if parts[0] != w or len(parts) < 2 or parts[1].startswith("*"):
            continue
        cls = analysis_class(parts[1:])
        if cls:
            known[w] = cls
    classes = dict(known)
    for w in words:
        if w in classes:
            continue
        for i in range(2, len(w) - CLASS_HEAD + 1):
            if w[i:] in known:
                classes[w] = known[w[i:]]
                break
    return classes


def class_keys(pair_counts, unigram_counts, cls_id):
    """Class counts for the context model, from word-pair and word counts: "#C" (words of
    class C), "a >#C" (a followed by a word of class C), "#C b" and "#C #D"."""
    uni, bi = Counter(), Counter()
    for w, v in unigram_counts.items():
        c = cls_id.get(w)
        if c:
            uni[f"#{c}"] += v
    for k, v in pair_counts.items():
        a, b = k.split(" ", 1)
        ca, cb = cls_id.get(a), cls_id.get(b)
        if cb:
            bi[f"{a} >#{cb}"] += v
        if ca:
            bi[f"#{ca} {b}"] += v
        if ca and cb:
            bi[f"#{ca} #{cb}"] += v
    return uni, Counter({k: v for k, v in bi.items() if v >= 2})


def ocr_layer(pdf):
    return nfc(subprocess.run(["pdftotext", os.path.join(ROOT, pdf), "-"],
                              check=True, capture_output=True, text=True).stdout)


class _TextOfHTML:
    """Paragraph texts of an HTML page (block elements become line breaks)."""

    BLOCK = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "div", "br", "tr",
             "title", "dt", "dd", "pre"}

    def __init__(self):
        from html.parser import HTMLParser
        outer = self
        self.parts, self.skip = [], 0

        class P(HTMLParser):
            def handle_starttag(self, tag, attrs):
                if tag in ("script", "style"):
                    outer.skip += 1
                if tag in _TextOfHTML.BLOCK:
                    outer.parts.append("\n")

            def handle_endtag(self, tag):
                if tag in ("script", "style"):
                    outer.skip -= 1
                if tag in _TextOfHTML.BLOCK:
                    outer.parts.append("\n")

            def handle_data(self, data):
                if not outer.skip:
                    outer.parts.append(data.replace("\n", " "))

        self.parser = P(convert_charrefs=True)

    def lines(self, html):
        self.parser.feed(html)
        self.parser.close()
        return [l.strip() for l in "".join(self.parts).split("\n") if l.strip()]


def general_lines(src_root):
    for rel in GENERAL:
        base = os.path.join(src_root, rel)
        if not os.path.isdir(base):
            sys.exit(f"missing general text {base}: run scripts/models/build.sh")
        for dirpath, _, files in sorted(os.walk(base)):
            for name in sorted(files):
                if name.endswith(".html"):
                    with open(os.path.join(dirpath, name), encoding="utf-8",
                              errors="replace") as f:
                        yield from _TextOfHTML().lines(f.read())


def write_char_model(path, flags, wf):
    """Letter-trigram model of Swedish word forms, for the prior of unknown words.

    Keys "abc" hold -ln P(c | ab) × 1000; keys "ab" hold the cost of a letter never seen
    after "ab"; key "<mean>" the mean cost per letter over running text (word forms
    weighted by frequency). "^" marks a word's start, "$" its end.
    """
    tri, bi = Counter(), Counter()
    follow = defaultdict(set)
    words = [w for w, f in flags.items() if f & STANDALONE and w.isalpha()]
    for w in words:
        s = "^^" + w + "$"
        for i in range(2, len(s)):
            tri[s[i - 2:i + 1]] += 1
            bi[s[i - 2:i]] += 1
            follow[s[i - 2:i]].add(s[i])
    k = 0.5
    alphabet = 40

    def cost(t):
        ctx = t[:2]
        n = bi.get(ctx, 0)
        if n == 0:
            return math.log(alphabet) + 2
        return -math.log((tri.get(t, 0) + k) / (n + k * alphabet))

    total, weight = 0.0, 0.0
    for w in words:
        p = wf.get(w, 0.0)
        if p <= 0:
            continue
        s = "^^" + w + "$"
        c = sum(cost(s[i - 2:i + 1]) for i in range(2, len(s)))
        total += p * c
        weight += p * (len(s) - 2)
    mean = total / weight
    entries = {t: cost(t) for t in tri}
    for ctx in bi:
        entries[ctx] = -math.log(k / (bi[ctx] + k * alphabet))
    entries["<mean>"] = mean
    keys = sorted(entries, key=lambda x: x.encode("utf-8"))
    write_table(path, keys, "H", [(min(65535, int(round(entries[x] * 1000))),) for x in keys])
    print(f"char model {len(tri)} trigrams, mean {mean:.3f} nats/letter", file=sys.stderr)


def write_table(path, keys, payload_fmt, payloads):
    """Sorted key table: header, offsets (UInt32 × n+1), payloads, UTF-8 key blob."""
    blob = bytearray()
    offsets = [0]
    for k in keys:
        blob += k.encode("utf-8")
        offsets.append(len(blob))
    with open(path, "wb") as f:
        f.write(b"GRTAB001")
        f.write(struct.pack("<II", len(keys), struct.calcsize("<" + payload_fmt)))
        f.write(struct.pack(f"<{len(offsets)}I", *offsets))
        f.write(b"".join(struct.pack("<" + payload_fmt, *p) for p in payloads))
        f.write(bytes(blob))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(ROOT, "models"))
    ap.add_argument("--exclude", action="append", default=[])
    ap.add_argument("--src", default=os.path.join(ROOT, "models", ".work", "src", "x"))
    ap.add_argument("--no-general", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    docs = [d for d in DOMAIN if d[0] not in args.exclude]
    print("domain documents:", [d[0] for d in docs], file=sys.stderr)

    # Channel: align each scan's OCR layer with its gold text.
    import collections
    pairs, gold_counts, wp = collections.Counter(), collections.Counter(), []
    for _, gold, scan in docs:
        align_ocr.align_texts(read(gold), ocr_layer(scan), pairs, gold_counts, wp)
    with open(os.path.join(args.out, "repair-channel.tsv"), "w", encoding="utf-8") as f:
        f.write("# ocr\ttrue\tlog P(ocr | true)\tcount\n")
        for (g, o), n in sorted(pairs.items(), key=lambda x: (-x[1], x[0])):
            if g == o or n < 2 or not g or not any(c.isalpha() for c in g):
                continue
            if len(g) > 1:
                continue  # one true letter per rule; two-glyph readings are kept (len(o)==2)
            p = n / gold_counts[g]
            if p < 0.0005:
                continue
            f.write(f"{o}\t{g}\t{math.log(p):.4f}\t{n}\n")
        # Prior readings: confusions of English-model OCR on Swedish text known beyond the
        # training scans (é/6/d/0 for ö, d/&/é/4/i for ä, A/& for å, O/0/6 for Ö), for
        # glyphs these scans did not show; unseen, so as likely as a reading seen once in
        # about 400 letters.
        learned = {(o, g) for (g, o), n in pairs.items()}
        for glyphs, letter in PRIOR_READINGS:
            if (glyphs, letter) not in learned or pairs[(letter, glyphs)] < 2:
                f.write(f"{glyphs}\t{letter}\t{PRIOR_LOG_P:.4f}\t0\n")
        # Identity probabilities of letters that have learned confusions.
        for g in sorted(gold_counts):
            if len(g) == 1 and pairs[(g, g)]:
                p = pairs[(g, g)] / gold_counts[g]
                f.write(f"{g}\t{g}\t{math.log(p):.4f}\t{pairs[(g, g)]}\n")

    # In-domain counts (for the lexicon prior and the context model).
    uni, bi, skip = Counter(), Counter(), Counter()
    for _, gold, _ in docs:
        for line in read(gold).splitlines():
            uni.update(context_tokens(line))
            bi.update(context_pairs(line))
            skip.update(context_skips(line))
    n_dom = sum(uni.values()) or 1

    def count_markers(unigrams, bigrams):
        # The markers' own unigram counts: how many sentences open and end.
        unigrams[START] = sum(v for k, v in bigrams.items() if k.startswith(START + " "))
        unigrams[END_] = sum(v for k, v in bigrams.items() if k.endswith(" " + END_))

    # Context model: in-domain counts weighted up, plus general running text.
    cuni, cbi = Counter(), Counter()
    for k, v in uni.items():
        cuni[k] += DOMAIN_WEIGHT * v
    for k, v in bi.items():
        cbi[k] += DOMAIN_WEIGHT * v
    cskip = Counter()
    for k, v in skip.items():
        cskip[k] += DOMAIN_WEIGHT * v
    if not args.no_general:
        for line in general_lines(args.src):
            cuni.update(context_tokens(nfc(line)))
            cbi.update(context_pairs(nfc(line)))
            cskip.update(context_skips(nfc(line)))
    count_markers(cuni, cbi)
    cbi_all = Counter(cbi)
    # Pairs seen once in general text are mostly noise; keep the table small.
    cbi = Counter({k: v for k, v in cbi.items() if v >= 2})
    # Inflection classes: a pair "a >pfx" counts a followed by any word starting with the
    # five letters pfx ("våra >bedöm" covers bedömning, bedömningar ...); "~pfx" is the
    # class's unigram count. The run time falls back to them for pairs never seen.
    ccls = Counter()
    for k, v in cuni.items():
        if len(k) > PREFIX and k not in MARKERS:
            ccls["~" + k[:PREFIX]] += v
    pcls = Counter()
    for k, v in list(cbi_all.items()):
        a, b = k.split(" ", 1)
        if len(b) > PREFIX and b not in MARKERS:
            pcls[f"{a} >{b[:PREFIX]}"] += v
    pcls = Counter({k: v for k, v in pcls.items() if v >= 2})
    cuni.update(ccls)
    cbi.update(pcls)
    cuni["<total>"] = sum(
        v for k, v in cuni.items() if not k.startswith("~") and k not in (START, END_))

    # Lexicon.
    flags = defaultdict(int)
    for form, fl in expand_hunspell():
        flags[lower(form)] |= fl | HUNSPELL
    for w in uni:
        if w not in MARKERS:
            flags[w] |= DOMAIN_WORD | STANDALONE
    for path, fl in ((MUNICIPALITIES, NAME), (BODIES, 0)):
        with open(path, encoding="utf-8") as f:
            for line in f:
                name = line.split("#")[0].strip()
                if not name:
                    continue
                for part in [name] + name.split():
                    w = lower(part)
                    # Names stand alone; only their genitive may begin a compound.
                    flags[w] |= fl | STANDALONE | (END if fl != NAME else 0)
                    if not w.endswith("s"):
                        flags[w + "s"] |= fl | STANDALONE | BEGIN
    import wordfreq
    wf = wordfreq.get_frequency_dict("sv")
    for w, p in wf.items():
        w = lower(w)
        if any(c in "åäöé" for c in w) and p >= 1e-7 and TOKEN.fullmatch(w):
            flags[w] |= STANDALONE
    # A plain form that another form with å/ä/ö strips to ("har" for "här"): only such
    # valid words need candidate generation at run time.
    for w in list(flags):
        if any(c in "åäö" for c in w):
            plain = w.translate(STRIP)
            if plain in flags:
                flags[plain] |= MARKED_TWIN
    # Skip pairs ("a _ b": b two words after a) are kept only where a or b has a twin
    # that strips to the same letters ("sätt"/"satt", "år"/"är"): they inform the choice
    # between such readings, and the table stays small.
    classes = Counter(w.translate(STRIP) for w in flags)
    twins = {w for w in cuni if w.translate(STRIP) in classes and classes[w.translate(STRIP)] > 1}
    for (a, b), v in cskip.items():
        if v >= 2 and (a in twins or b in twins):
            cbi[f"{a} _ {b}"] = v
    keys = sorted(flags, key=lambda k: k.encode("utf-8"))
    # Word classes: ids 1... in the order of their names (0: no class).
    classes = word_classes(keys, args.src)
    names = sorted(set(classes.values()))
    ids = {n: i + 1 for i, n in enumerate(names)}
    cls_id = {w: ids[c] for w, c in classes.items()}
    cu, cb = class_keys(cbi_all, cuni, cls_id)
    cuni.update(cu)
    cbi.update(cb)
    with open(os.path.join(args.out, "repair-classes.tsv"), "w", encoding="utf-8") as f:
        f.write("# id\tclass (apertium-swe-dan tags)\tword forms\n")
        forms = Counter(cls_id.values())
        for n in names:
            f.write(f"{ids[n]}\t{n}\t{forms[ids[n]]}\n")
    payloads = []
    for k in keys:
        p = 0.5 * uni.get(k, 0) / n_dom + 0.5 * wf.get(k, 0.0)
        p = max(p, 1e-9)
        cost = min(65535, int(round(-math.log(p) * 1000)))
        payloads.append((cost, flags[k], cls_id.get(k, 0)))
    write_table(os.path.join(args.out, "repair-lexicon.bin"), keys, "HBH", payloads)
    print(f"word classes: {len(names)} classes, {len(cls_id)} forms", file=sys.stderr)

    write_char_model(os.path.join(args.out, "repair-chars.bin"), flags, wf)

    ckeys = sorted(list(cuni) + list(cbi), key=lambda k: k.encode("utf-8"))
    cpay = [((cuni[k] if " " not in k else cbi[k]),) for k in ckeys]
    write_table(os.path.join(args.out, "repair-context.bin"), ckeys, "I", cpay)
    print(f"lexicon {len(keys)} forms; context {len(cuni)} unigrams, {len(cbi)} bigrams",
          file=sys.stderr)


if __name__ == "__main__":
    main()
