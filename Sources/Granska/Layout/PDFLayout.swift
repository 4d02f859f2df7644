import Foundation

/// Layout stage for PDFs: rebuilds words, lines, paragraphs, headings, list items, tables,
/// footnotes and the table of contents from glyph geometry and fonts, and removes running
/// headers, footers and page numbers.
///
/// poppler's own line order is not trusted: it interleaves table cells ("individnivå?Delvis")
/// and glues cells without spaces. Lines are rebuilt from glyph boxes: glyphs make words,
/// words sharing a baseline make a line, and large horizontal gaps split a line into segments
/// (table cells, a heading number and its title, a bullet and its text).
public struct PDFLayout: Sendable {
    /// Optional lexicon used to decide line-break hyphen joins.
    public var words: (any WordChecking)?

    public init(words: (any WordChecking)? = nil) {
        self.words = words
    }

    /// Lays out an extracted PDF into an assembled ``Document``.
    public func layout(_ raw: RawPDF) -> Document {
        var document = Document(source: raw.source, pdfMetadata: raw.metadata, outline: raw.outline)
        let pages = raw.pages.map { LayoutPage(raw: $0) }
        let bodySize = PDFLayout.dominantSize(pages)
        // Furniture by repetition across pages.
        let furniture = FurnitureDetector().detect(
            pages: pages.map {
                $0.lines.map { FurnitureDetector.Line(text: $0.text, bbox: $0.box) }
            },
            pageHeights: pages.map(\.height))
        var builder = BlockBuilder(joiner: LineJoiner(words: words), bodySize: bodySize)
        let pageRights = pages.compactMap { page in
            page.lines.filter { abs($0.size - bodySize) < 0.75 }.map(\.box.x1).max()
        }.sorted()
        builder.documentRightEdge = pageRights.isEmpty ? 0 : pageRights[pageRights.count / 2]
        var footnotes: [Block] = []
        var nextFootnote = 1
        for (index, page) in pages.enumerated() {
            var modelPage = Page(number: page.number, width: page.width, height: page.height)
            let removed = furniture.removedLines[index] ?? [:]
            // One furniture item per segment: "Lindesbergs kommun" and "Maj 2022" share a baseline.
            modelPage.furniture = removed.sorted { $0.key < $1.key }.flatMap { index, item in
                let line = page.lines[index]
                return line.segments.indices.map { i in
                    let text = line.segmentText(i)
                    return Furniture(
                        text: text, position: item.position, bbox: line.segmentBox(i),
                        isPageNumber: FurnitureDetector.isPageNumber(text))
                }
            }
            var lines = page.lines.enumerated().filter { removed[$0.offset] == nil }.map(\.element)
            if page.glyphCount == 0 {
                modelPage.flags.append(.noTextLayer)
                document.diagnostics.append(
                    Diagnostic(
                        severity: .warning, stage: "extraction", code: "page-no-text-layer",
                        message: "page \(page.number) has no text layer (image only)",
                        page: page.number))
            } else if page.garbageShare > 0.3 {
                modelPage.flags.append(.garbageText)
                document.diagnostics.append(
                    Diagnostic(
                        severity: .warning, stage: "extraction", code: "page-garbage-text",
                        message:
                            "page \(page.number): \(Int(page.garbageShare * 100)) % of the text layer is unmapped glyphs ((cid:n) or U+FFFD)",
                        page: page.number))
            }
            if page.isOCRLayer { modelPage.flags.append(.ocrTextLayer) }
            let (bodyLines, notes) = FootnoteSplitter(bodySize: bodySize, isOCR: page.isOCRLayer)
                .split(lines, nextNumber: &nextFootnote)
            lines = bodyLines
            if page.isOCRLayer && !notes.isEmpty {
                lines = FootnoteMarker.restoreOCRMarkers(in: lines, markers: notes.map(\.marker))
            }
            footnotes.append(
                contentsOf: notes.map { note in
                    var block = Block(
                        kind: .footnote, text: note.text, page: page.number, bbox: note.box)
                    block.footnoteMarker = note.marker
                    block.fontSize = note.size
                    return block
                })
            if builder.add(lines: lines, page: page.number, isOCR: page.isOCRLayer) {
                modelPage.flags.append(.tableOfContents)
            }
            document.pages.append(modelPage)
        }
        document.blocks = builder.finish() + footnotes
        document.assemble()
        return document
    }

    /// The body font size: the size carrying the most characters.
    static func dominantSize(_ pages: [LayoutPage]) -> Double {
        var counts: [Double: Int] = [:]
        for page in pages {
            for line in page.lines { counts[line.size.rounded(), default: 0] += line.text.count }
        }
        return counts.max { $0.value < $1.value }?.key ?? 10
    }
}

// MARK: - Words and lines

/// A word rebuilt from glyphs.
struct LayoutWord {
    var text: String
    var box: BoundingBox
    var size: Double
    var isBold: Bool
}

/// A line rebuilt from words sharing a baseline, split into segments at large gaps.
struct LayoutLine {
    var segments: [[LayoutWord]]
    var box: BoundingBox
    /// Dominant font size (by characters).
    var size: Double
    /// Most characters bold.
    var isBold: Bool

    /// The line's text: segments joined with one space.
    let text: String

    init(segments: [[LayoutWord]], box: BoundingBox, size: Double, isBold: Bool) {
        self.segments = segments
        self.box = box
        self.size = size
        self.isBold = isBold
        text = segments.map(LayoutLine.join).joined(separator: " ")
    }

    var words: [LayoutWord] { segments.flatMap { $0 } }
    func segmentText(_ i: Int) -> String { LayoutLine.join(segments[i]) }
    func segmentBox(_ i: Int) -> BoundingBox {
        segments[i].dropFirst().reduce(segments[i][0].box) { $0.union($1.box) }
    }

    /// Words joined with spaces; raised small digits become superscripts glued to the word
    /// before ("lagstiftning¹"), as footnote markers are written in the cleaned text.
    static func join(_ words: [LayoutWord]) -> String {
        var out = ""
        for (i, w) in words.enumerated() {
            if i > 0 {
                let previous = words[i - 1]
                if FootnoteMarker.isRaisedMarker(w, after: previous) {
                    out += FootnoteMarker.superscript(w.text)
                    continue
                }
                // Words split at a font change (a marker, a bold run) touch: no space.
                if w.box.x0 - previous.box.x1 > 0.12 * max(w.size, previous.size) { out += " " }
            }
            out += w.text
        }
        return out
    }
}

/// One page's lines rebuilt from glyph geometry.
struct LayoutPage {
    var number: Int
    var width: Double
    var height: Double
    var lines: [LayoutLine]
    var glyphCount: Int
    var garbageShare: Double
    var isOCRLayer: Bool

    init(raw: RawPage) {
        number = raw.number
        width = raw.width
        height = raw.height
        var words: [LayoutWord] = []
        var glyphs = 0
        var garbage = 0
        for line in raw.lines {
            var current: [RawGlyph] = []
            func flush() {
                guard let first = current.first else { return }
                let box = current.dropFirst().reduce(first.box) { $0.union($1.box) }
                let font = raw.fonts[first.font]
                let raw = String(String.UnicodeScalarView(current.map(\.scalar)))
                let text =
                    current.contains { TextNormalizer.needsWork($0.scalar) }
                    ? TextNormalizer.normalize(raw) : raw
                if !text.isEmpty {
                    words.append(
                        LayoutWord(text: text, box: box, size: font.size, isBold: font.isBold))
                }
                current.removeAll(keepingCapacity: true)
            }
            for glyph in line.glyphs {
                if LayoutPage.isSpace(glyph.scalar) {
                    flush()
                    continue
                }
                glyphs += 1
                if glyph.scalar.value == 0xFFFD { garbage += 1 }
                if let last = current.last {
                    let h = max(1, min(last.box.height, glyph.box.height))
                    let gap = glyph.box.x0 - last.box.x1
                    let sizeJump =
                        raw.fonts[glyph.font].size < raw.fonts[last.font].size * 0.85
                        || raw.fonts[glyph.font].size > raw.fonts[last.font].size * 1.25
                    if gap > 0.25 * h || glyph.box.x0 < last.box.x0 - 0.5
                        || abs(glyph.box.midY - last.box.midY) > 0.5 * h || sizeJump
                    {
                        flush()
                    }
                }
                current.append(glyph)
            }
            flush()
        }
        glyphCount = glyphs
        let cidGarbage = words.filter { $0.text.hasPrefix("(cid:") }.count * 4
        garbageShare = glyphs == 0 ? 0 : Double(garbage + cidGarbage) / Double(glyphs)
        isOCRLayer = raw.isOCRLayer
        lines = LayoutPage.buildLines(words, isOCR: isOCRLayer)
    }

    /// White space, with a fast path for the ASCII range that nearly all glyphs are in.
    @inline(__always)
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return scalar.properties.isWhitespace
    }

    /// Groups words into lines by vertical overlap, orders them left to right and splits at
    /// gaps wider than 1.2 × the font size.
    static func buildLines(_ words: [LayoutWord], isOCR: Bool) -> [LayoutLine] {
        let sorted = words.sorted { $0.box.midY < $1.box.midY }
        var groups: [(box: BoundingBox, words: [LayoutWord])] = []
        for word in sorted {
            // Compare with the last few lines only: words are sorted by height on the page.
            var placed = false
            for g in stride(from: groups.count - 1, through: max(0, groups.count - 3), by: -1) {
                let line = groups[g].box
                let overlap = min(line.y1, word.box.y1) - max(line.y0, word.box.y0)
                let minHeight = max(0.5, min(line.height, word.box.height))
                // Lines are baseline-anchored: a tall word (a raised marker, a big initial)
                // joins when most of the smaller one overlaps.
                if overlap >= 0.5 * minHeight {
                    groups[g].words.append(word)
                    groups[g].box = groups[g].box.union(word.box)
                    placed = true
                    break
                }
            }
            if !placed { groups.append((word.box, [word])) }
        }
        var lines: [LayoutLine] = []
        for group in groups {
            let ordered = group.words.sorted { $0.box.x0 < $1.box.x0 }
            var sizeChars: [Double: Int] = [:]
            var boldChars = 0
            var chars = 0
            for w in ordered {
                sizeChars[(w.size * 2).rounded() / 2, default: 0] += w.text.count
                if w.isBold { boldChars += w.text.count }
                chars += w.text.count
            }
            let size =
                sizeChars.max { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }?
                .key ?? 10
            var segments: [[LayoutWord]] = [[]]
            let stretched = stretchedGaps(ordered, size: size, isOCR: isOCR)
            for (k, w) in ordered.enumerated() {
                if let last = segments[segments.count - 1].last {
                    let gap = w.box.x0 - last.box.x1
                    if gap > 1.2 * max(size, 4) && !stretched.contains(k - 1) {
                        segments.append([])
                    }
                }
                segments[segments.count - 1].append(w)
            }
            lines.append(
                LayoutLine(
                    segments: LayoutPage.mergeSegments(segments, isOCR: isOCR), box: group.box,
                    size: size,
                    isBold: chars > 0 && boldChars * 2 > chars))
        }
        // Reading order: top to bottom (single-column reports).
        return lines.sorted { $0.box.y0 < $1.box.y0 }
    }

    /// The gaps (by the index of the word before) that justification stretched: on a line
    /// of at least three words, mostly words rather than figures, a gap as wide as the gap
    /// before or after it (within 2 % or 0.3 pt: typesetting spreads the slack exactly) and
    /// at most 8 × the text size (a narrow justified cell stretches far).
    /// Justified prose, in a column or in a table cell, stretches every space of a sparse
    /// line alike, beyond the gap that separates table cells; a cell boundary is as wide
    /// as its columns make it, unlike the spaces around it. Lines of figures are left
    /// out: equal columns of equal-width figures ("2019 2020 2021") space evenly too.
    static func stretchedGaps(_ words: [LayoutWord], size: Double, isOCR: Bool = false) -> Set<Int>
    {
        guard words.count >= 3 else { return [] }
        let wordy = words.filter {
            $0.text.unicodeScalars.contains(where: \.properties.isAlphabetic)
        }
        guard wordy.count * 3 >= words.count * 2 else { return [] }
        let gaps = zip(words, words.dropFirst()).map { $0.1.box.x0 - $0.0.box.x1 }
        // OCR boxes hug the ink, so equal spaces measure unequal by the letters' side
        // bearings and the recogniser's jitter (here up to 2 pt on a 17 pt gap).
        let tolerance = isOCR ? (absolute: 2.0, relative: 0.15) : (absolute: 0.3, relative: 0.02)
        func alike(_ a: Double, _ b: Double) -> Bool {
            a > 0 && b > 0 && abs(a - b) <= max(tolerance.absolute, tolerance.relative * max(a, b))
        }
        var stretched: Set<Int> = []
        for i in gaps.indices where gaps[i] <= 8 * size {
            if (i > 0 && alike(gaps[i], gaps[i - 1]))
                || (i + 1 < gaps.count && alike(gaps[i], gaps[i + 1]))
            {
                stretched.insert(i)
            }
        }
        // An OCR line of five or more words whose typical gap is a stretched space: every
        // gap up to 1.6 × that is one too (after a narrow letter, "I", the ink leaves more).
        if isOCR && gaps.count >= 4 {
            let median = gaps.sorted()[gaps.count / 2]
            if median <= 3 * size {
                for i in gaps.indices where gaps[i] <= 1.6 * median { stretched.insert(i) }
            }
        }
        return stretched
    }

    /// A heading number ("3.1.2") or a lone bullet glyph is one segment with what follows it.
    static func mergeSegments(_ segments: [[LayoutWord]], isOCR: Bool) -> [[LayoutWord]] {
        guard segments.count > 1 else { return segments }
        var out: [[LayoutWord]] = []
        var i = 0
        while i < segments.count {
            var segment = segments[i]
            if i + 1 < segments.count, segment.count == 1,
                HeadingNumber.isNumber(segment[0].text) || Bullet.isBulletGlyph(segment[0].text)
                    || (isOCR && segment[0].text.count <= 6)
            {
                // In an OCR layer, a short lone token before a gap is a misread heading
                // number ("3:12") or bullet ("¢@"), not a table cell.
                segment += segments[i + 1]
                i += 1
            }
            out.append(segment)
            i += 1
        }
        return out
    }
}

/// Heading numbers as printed: "3", "3.1", "3.1.2", "1.4.", "2.".
enum HeadingNumber {
    static func isNumber(_ text: String) -> Bool {
        guard let first = text.first, first.isNumber, text.count <= 12 else { return false }
        var lastWasDot = false
        var digitsInRun = 0
        for c in text {
            if c.isNumber && c.isASCII {
                digitsInRun += 1
                if digitsInRun > 2 { return false }
                lastWasDot = false
            } else if c == "." {
                if lastWasDot { return false }
                lastWasDot = true
                digitsInRun = 0
            } else {
                return false
            }
        }
        return true
    }
}

/// List bullets, including what English OCR makes of them.
enum Bullet {
    /// Glyphs printed as bullets.
    static let printed: Set<Character> = [
        "•", "●", "▪", "■", "◦", "‣", "∙", "❖", "➢", "➤", "►", "▶", "✓", "✔", "□", "◆", "○", "–",
        "—", "-",
        "\u{F0B7}", "\u{F0A7}",
    ]
    /// Glyphs English OCR reads bullets as ("❖" comes out as "eM%", "eM&" or "~").
    static let ocrReadings: Set<Character> = [
        "*", "¢", "«", "»", "°", "©", "®", "+", "%", "e", "o", "»", "~", "&", "M", ">",
    ]

    static func isBulletGlyph(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= 2 else { return false }
        return text.allSatisfy { printed.contains($0) || ocrReadings.contains($0) }
    }

    /// Splits a leading bullet from a line: ("•", "Att så småningom ...").
    static func split(_ text: String) -> (bullet: String, rest: String)? {
        var bullet = ""
        var rest = Substring(text)
        while let c = rest.first, printed.contains(c) || ocrReadings.contains(c) {
            bullet.append(c)
            rest = rest.dropFirst()
            if bullet.count > 3 { return nil }
        }
        // Three glyphs only as an OCR reading with a symbol in it ("eM%"), never a word.
        if bullet.count == 3 && bullet.allSatisfy({ $0.isLetter }) { return nil }
        guard !bullet.isEmpty else { return nil }
        let hadSpace = rest.first == " "
        let body = rest.trimmingSpaces()
        guard let first = body.first else { return nil }
        // "-5 %" or "e-post" are not bullets; OCR letter readings need a capital after them.
        let ocrOnly = bullet.allSatisfy { ocrReadings.contains($0) && !printed.contains($0) }
        if bullet.allSatisfy({ $0 == "-" || $0 == "–" || $0 == "—" }) && !hadSpace
            && !first.isUppercase
        {
            return nil
        }
        if ocrOnly && !(first.isUppercase || first.isNumber) { return nil }
        if bullet.allSatisfy({ $0.isLetter }) && !hadSpace { return nil }
        guard first.isLetter || first.isNumber || "\"”(".contains(first) else { return nil }
        // Born-digital glyphs are kept; OCR misreadings become a plain bullet.
        let shown = ocrOnly ? "•" : String(bullet.first!)
        return (shown, body)
    }
}

// MARK: - Footnotes

/// Footnote markers: raised small digits in the text, and the markers that start footnote
/// bodies at the page bottom.
enum FootnoteMarker {
    static let superscriptDigits: [Character: Character] = [
        "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸",
        "9": "⁹",
    ]

    static func superscript(_ digits: String) -> String {
        String(digits.map { superscriptDigits[$0] ?? $0 })
    }

    static func isDigits(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 3 && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// A word of small digits whose top is above the previous word's, glued to it.
    static func isRaisedMarker(_ word: LayoutWord, after previous: LayoutWord) -> Bool {
        // Superscripts are set at 58–83 % of the text size (Word about 65 %, typesetting
        // tools up to 0.8).
        guard isDigits(word.text), word.size < previous.size * 0.85 else { return false }
        let gap = word.box.x0 - previous.box.x1
        return gap < previous.size * 0.6
            && word.box.y1 < previous.box.y1 - 0.1 * previous.box.height
    }
}

extension FootnoteMarker {
    /// What English OCR makes of a raised footnote number glued to its word.
    static let ocrReadings: Set<Character> = ["*", "°", "¹", "²", "³", "'", "’"]
    /// The readings that are rarely anything but a marker.
    static let strongReadings: Set<Character> = ["*", "°", "¹", "²", "³"]

    /// In an OCR layer the raised marker is read at body size and glued to its word
    /// ("lagstiftning*", "lagstiftning1"). For each footnote body found at the page bottom,
    /// in order, the first such word on the page gets its superscript marker back.
    static func restoreOCRMarkers(in lines: [LayoutLine], markers: [String]) -> [LayoutLine] {
        var lines = lines
        var next = 0
        for l in lines.indices where next < markers.count {
            var segments = lines[l].segments
            var changed = false
            for s in segments.indices {
                for w in segments[s].indices where next < markers.count {
                    if let word = restored(segments[s][w].text, marker: markers[next]) {
                        segments[s][w].text = word
                        next += 1
                        changed = true
                    }
                }
            }
            if changed {
                let line = lines[l]
                lines[l] = LayoutLine(
                    segments: segments, box: line.box, size: line.size, isBold: line.isBold)
            }
        }
        return lines
    }

    /// Whether any word of `lines` carries a glued OCR-read marker ("kommuner*.").
    static func hasGluedOCRMarker(_ lines: ArraySlice<LayoutLine>) -> Bool {
        lines.contains { line in
            line.words.contains { w in
                // Quotes and apostrophes are too common to count as evidence here.
                guard let last = w.text.last(where: { !".,;:".contains($0) }),
                    strongReadings.contains(last)
                else { return false }
                return restored(w.text, marker: "1") != nil
            }
        }
    }

    /// "lagstiftning*" → "lagstiftning¹" for marker "1"; nil when the word carries no marker.
    private static func restored(_ word: String, marker: String) -> String? {
        var body = Substring(word)
        var trailing = ""
        if let last = body.last, ".,;:".contains(last) {
            trailing = String(last)
            body = body.dropLast()
        }
        let letters: Substring
        if body.hasSuffix(marker) {
            letters = body.dropLast(marker.count)
        } else if let last = body.last, ocrReadings.contains(last) {
            letters = body.dropLast()
        } else {
            return nil
        }
        guard letters.count >= 3, letters.allSatisfy({ $0.isLetter || $0 == "-" }),
            letters.last?.isLetter == true
        else { return nil }
        return String(letters) + superscript(marker) + trailing
    }
}

/// Takes footnote bodies off the bottom of a page: lines in a smaller font than the body,
/// the first starting with a footnote number.
struct FootnoteSplitter {
    var bodySize: Double
    /// On an OCR layer the printed numbers are often misread ("'", "*"): footnotes are then
    /// numbered in document order instead, which is how reports number them.
    var isOCR: Bool = false

    struct Note {
        var marker: String
        var text: String
        var box: BoundingBox
        var size: Double
    }

    /// Splits footnote bodies off the bottom of a page. `nextNumber` is the number the next
    /// footnote of the document would have; it is advanced past the notes found.
    func split(_ lines: [LayoutLine], nextNumber: inout Int) -> (body: [LayoutLine], notes: [Note])
    {
        var start = lines.count
        while start > 0 && lines[start - 1].size < bodySize * 0.92 { start -= 1 }
        guard start < lines.count else { return (lines, []) }
        // The region must begin with a marker.
        var region = Array(lines[start...])
        // OCR may drop a marker altogether; text set much smaller than the body at the page
        // bottom is a footnote all the same.
        // Only where the page's text above holds a word with a glued marker ("kommuner*.").
        let referenced = isOCR && FootnoteMarker.hasGluedOCRMarker(lines[..<start])
        let unmarkedOCRNote = { (line: LayoutLine) in
            referenced && line.size <= bodySize * 0.8 && line.words.count > 1
        }
        while let first = region.first, markerOf(first) == nil, !unmarkedOCRNote(first) {
            region.removeFirst()
            start += 1
        }
        guard !region.isEmpty else { return (lines, []) }
        var notes: [Note] = []
        let joiner = LineJoiner()
        for (i, line) in region.enumerated() {
            let marked = markerOf(line) ?? (i == 0 ? ("", line.text) : nil)
            if let (printed, rest) = marked {
                // A printed number is trusted unless it goes backwards or jumps (OCR misread).
                let marker: String
                if let n = Int(printed), !isOCR || (n >= nextNumber && n <= nextNumber + 2) {
                    marker = printed
                } else {
                    marker = String(nextNumber)
                }
                nextNumber = (Int(marker) ?? nextNumber) + 1
                notes.append(
                    Note(
                        marker: marker, text: FootnoteMarker.superscript(marker) + " " + rest,
                        box: line.box, size: line.size))
            } else if !notes.isEmpty {
                joiner.append(line.text, to: &notes[notes.count - 1].text)
                notes[notes.count - 1].box = notes[notes.count - 1].box.union(line.box)
            }
        }
        return (Array(lines[..<start]), notes)
    }

    /// What English OCR reads a small raised footnote number as.
    static let ocrMarkerGlyphs: Set<Character> = [
        "'", "’", "‘", "`", "*", "°", "?", "\"", "”", "|", "!", "^", "+", "~", "«", "»", "¹", "²",
        "³",
    ]

    private func markerOf(_ line: LayoutLine) -> (String, String)? {
        let words = line.words
        guard let first = words.first, words.count > 1 else { return nil }
        let isMarker =
            FootnoteMarker.isDigits(first.text)
            || (isOCR && first.text.count <= 2
                && first.text.allSatisfy { FootnoteSplitter.ocrMarkerGlyphs.contains($0) })
        guard isMarker else { return nil }
        let rest = LayoutLine.join(Array(words.dropFirst()))
        return (first.text, rest)
    }
}
