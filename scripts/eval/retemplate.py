#!/usr/bin/env python3
"""Renders a labelled sample's gold text into a PDF with another firm's page template.

    retemplate.py ID.gold.txt ID.gold.json OUT.pdf [--style NAME]

The words stay the sample's own; only the page changes: fonts, margins, heading style,
bullets, running header and footer ("Sida 3 av 19"), tables as grids. So `granska eval`
on OUT.pdf (beside copies of the gold files) measures how much of the extraction depends
on the template of the reports in corpus/, which come from two firms only.

Needs reportlab (PyPI, BSD licence), and pyphen (PyPI, LGPL/MPL) for --style hyphenated.
A test-data tool, not part of the product.
"""
import argparse
import json
import re
import sys

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer,
    Table, TableStyle)

FONTS = "/usr/share/fonts/truetype/dejavu"  # Debian fonts-dejavu-core (every glyph used)
STYLES = {
    # Serif body, sans headings, justified, header left, page "Sida N av M" right.
    "classic": dict(body="DejaVuSerif", head="DejaVuSans-Bold", size=10.5, margin=25,
                    justify=True, footer="Sida {n} av {m}", header="{firm} | {title}"),
    # Justified, hyphenated at line ends (Swedish patterns, pyphen), larger serif text.
    "hyphenated": dict(body="DejaVuSerif", head="DejaVuSans-Bold", size=11.5, margin=28,
                       justify=True, hyphenate=True, footer="{n} ({m})",
                       header="{title}"),
    # Dense office style: paragraphs marked by a first-line indent, no space between them,
    # tight leading, subheadings in bold at the text size, header and footer swapped.
    "dense": dict(body="DejaVuSerif", head="DejaVuSerif-Bold", size=11, margin=25,
                  justify=False, indent=True, flat_subheads=True, leading=1.2,
                  footer="{title}", header="{n}"),
    # Sans throughout, smaller, ragged right, the page number alone.
    "modern": dict(body="DejaVuSans", head="DejaVuSans-Bold", size=9.5, margin=20,
                   justify=False, footer="{n}", header="{municipality}  ·  {title}"),
}
SUPERSCRIPTS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markup(text):
    """Footnote markers (¹ ²) as raised small digits, the rest escaped."""
    out = escape(text)
    return re.sub(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+",
                  lambda m: f"<super>{m.group(0).translate(SUPERSCRIPTS)}</super>", out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gold_txt")
    ap.add_argument("gold_json")
    ap.add_argument("out")
    ap.add_argument("--style", default="classic", choices=sorted(STYLES))
    args = ap.parse_args()
    st = STYLES[args.style]
    for name in ("DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSans", "DejaVuSans-Bold"):
        pdfmetrics.registerFont(TTFont(name, f"{FONTS}/{name}.ttf"))
    lines = [l.rstrip("\n") for l in open(args.gold_txt, encoding="utf-8")]
    gold = json.load(open(args.gold_json, encoding="utf-8"))
    meta = gold.get("metadata", {})
    # Heading level by title and number (a printed "2.1." is the gold's "2.1").
    headings = {}
    for s in gold.get("sections", []):
        number = (s.get("number") or "").rstrip(".")
        headings[(number, s["title"])] = 1 if not number else min(3, number.count(".") + 1)

    def heading_level(line):
        m = re.match(r"^(\d+(?:\.\d+)*)\.?\s+(.*)$", line)
        if m and (m.group(1), m.group(2)) in headings:
            return headings[(m.group(1), m.group(2))]
        return headings.get(("", line))

    hyphenation = dict(hyphenationLang="sv", embeddedHyphenation=1) if st.get("hyphenate") else {}
    indent = dict(firstLineIndent=st["size"] * 1.5, spaceAfter=0) if st.get("indent") else {
        "spaceAfter": st["size"] * 0.6}
    body = ParagraphStyle("body", fontName=st["body"], fontSize=st["size"],
                          leading=st["size"] * st.get("leading", 1.35),
                          alignment=TA_JUSTIFY if st["justify"] else TA_LEFT, **hyphenation,
                          **indent)
    item = ParagraphStyle("item", parent=body, leftIndent=18, bulletIndent=5, firstLineIndent=0,
                          bulletFontName="DejaVuSans", spaceAfter=st["size"] * 0.3)
    small = ParagraphStyle("small", parent=body, fontSize=st["size"] - 2, firstLineIndent=0,
                           leading=(st["size"] - 2) * 1.3)
    def head_size(k):
        return st["size"] if st.get("flat_subheads") and k > 1 else st["size"] + 7 - 2 * k
    heads = {k: ParagraphStyle(f"h{k}", parent=body, fontName=st["head"],
                               fontSize=head_size(k), leading=head_size(k) * 1.3,
                               spaceBefore=st["size"], spaceAfter=st["size"] * 0.5,
                               firstLineIndent=0, alignment=TA_LEFT) for k in (1, 2, 3)}
    title = ParagraphStyle("title", parent=heads[1], fontSize=22, leading=28, spaceAfter=20)

    # The first line is the title; a table of contents ("Innehåll", "Innehållsförteckning"
    # and the lines after it that end in a page number) goes on pages of its own.
    items = list(lines)
    start = next((k for k, l in enumerate(items) if l.startswith("Innehåll")), None)
    if start is not None:
        end = start + 1
        while end < len(items) and re.search(r"\s\d+$", items[end]):
            end += 1
        items[start:end] = (["\x00TOC"] + ["\x00TOC " + l for l in items[start:end]]
                            + ["\x00TOC-END"])

    def make_story():
        story = []
        story.append(Paragraph(markup(items[0]), title))
        i = 1
        pending_bullets = []
        pending_rows = []

        def flush():
            if pending_bullets:
                # Each item keeps the report's own bullet glyph (the gold text keeps it).
                for glyph, b in pending_bullets:
                    story.append(Paragraph(markup(b), item, bulletText=glyph))
                pending_bullets.clear()
            if pending_rows:
                width = max(len(r) for r in pending_rows)
                cells = [[Paragraph(markup(c), small) for c in r + [""] * (width - len(r))]
                         for r in pending_rows]
                table = Table(cells, colWidths=[(170 - 2 * (st["margin"] - 20)) * mm / width] * width)
                table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                                           ("VALIGN", (0, 0), (-1, -1), "TOP")]))
                story.append(table)
                story.append(Spacer(1, st["size"]))
                pending_rows.clear()

        in_notes = False
        while i < len(items):
            line = items[i]
            i += 1
            if not line.strip():
                continue
            if line == "\x00TOC":
                flush()
                story.append(PageBreak())
                continue
            if line == "\x00TOC-END":
                story.append(PageBreak())
                continue
            if line.startswith("\x00TOC "):
                entry = line[len("\x00TOC "):]
                page = re.search(r"\s(\d+)$", entry)
                text = entry[: page.start()] if page else entry
                style = heads[1] if entry.startswith("Innehåll") else body
                row = [Paragraph(markup(text), style), Paragraph(page.group(1) if page else "", body)]
                story.append(Table([row], colWidths=[140 * mm, 15 * mm]))
                continue
            if line == "Fotnoter":
                flush()
                in_notes = True
                story.append(Spacer(1, 2 * st["size"]))
                continue
            if in_notes:
                story.append(Paragraph(markup(line), small))
                continue
            if heading_level(line):
                flush()
                story.append(KeepTogether([Paragraph(markup(line), heads[heading_level(line)])]))
                continue
            bullet = re.match(r"^[•❖\-–▪●o]\s+(.*)$", line)
            if bullet:
                if pending_rows:
                    flush()
                pending_bullets.append((line[0], bullet.group(1)))
                continue
            if " | " in line:
                if pending_bullets:
                    flush()
                pending_rows.append(line.split(" | "))
                continue
            flush()
            story.append(Paragraph(markup(line), body))
        flush()
        return story

    fields = dict(firm=meta.get("firm") or "", title=meta.get("title") or "",
                  municipality=meta.get("municipality") or "")

    class NumberedDoc(SimpleDocTemplate):
        pass

    total = {"pages": 0}

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont(st["body"], 8)
        canvas.setFillColor(colors.grey)
        if doc.page > 1:
            canvas.drawString(
                st["margin"] * mm, A4[1] - 12 * mm,
                st["header"].format(n=doc.page, m=total["pages"] or "?", **fields)[:110])
        text = st["footer"].format(n=doc.page, m=total["pages"] or "?", **fields)[:110]
        canvas.drawRightString(A4[0] - st["margin"] * mm, 10 * mm, text)
        canvas.restoreState()

    def build(path):
        doc = NumberedDoc(path, pagesize=A4, leftMargin=st["margin"] * mm,
                          rightMargin=st["margin"] * mm, topMargin=22 * mm, bottomMargin=20 * mm,
                          title=fields["title"], author=fields["firm"])
        doc.build(make_story(), onFirstPage=decorate, onLaterPages=decorate)
        return doc.page

    # Two passes: the first counts the pages for "Sida N av M".
    total["pages"] = build(args.out)
    build(args.out)


if __name__ == "__main__":
    sys.exit(main())
