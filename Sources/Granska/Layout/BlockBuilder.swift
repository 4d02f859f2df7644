import Foundation

/// Turns a page's rebuilt lines into blocks: headings, paragraphs, list items, table rows and
/// table-of-contents entries. Paragraphs and list items continue across page breaks.
struct BlockBuilder {
    var joiner: LineJoiner
    var bodySize: Double

    private var blocks: [Block] = []
    /// The block still open for continuation lines.
    private var open: OpenBlock?
    private var table: OpenTable?
    private var tableCount = 0
    /// The bold first row of the last table, and its page.
    private var lastTableHeader: (text: String, page: Int)?
    private var inTableOfContents = false

    private struct OpenBlock {
        var block: Block
        /// Left edge of continuation lines (list item text).
        var textX0: Double
        var lastLine: LayoutLine
        var lastPage: Int
        /// Left edge of the paragraph's lines after its first (nil until one is seen): a
        /// line indented from it after a sentence end opens the next paragraph.
        var continuationX0: Double? = nil
    }

    private struct OpenTable {
        var id: Int
        var columns: [Double]
        var rows: [[String]]
        var rowBoxes: [BoundingBox]
        var rowPages: [Int]
        var lastLine: LayoutLine
        var boldRows: [Bool]
        /// The top-to-top distance between lines of one row, once seen.
        var inRowPitch: Double? = nil
    }

    init(joiner: LineJoiner, bodySize: Double) {
        self.joiner = joiner
        self.bodySize = bodySize
    }

    /// Adds one page's body lines. Returns whether the page holds a table of contents.
    mutating func add(lines: [LayoutLine], page: Int, isOCR: Bool = false) -> Bool {
        pageIsOCR = isOCR
        var sawTOC = false
        let bodyRights = lines.filter { abs($0.size - bodySize) < 0.75 }.map(\.box.x1)
        rightEdge = max(bodyRights.max() ?? 0, documentRightEdge)
        pitches = BlockBuilder.typicalPitches(lines)
        var previous: LayoutLine? = nil
        let debug = ProcessInfo.processInfo.environment["GRANSKA_DEBUG_LAYOUT"] != nil
        for line in lines {
            defer { previous = line }
            let text = line.text
            if debug {
                let b = line.box
                let segs = line.segments.indices.map {
                    String(format: "[%.1f]", line.segmentBox($0).x0)
                        + line.segments[$0].map {
                            String(format: "%@<%.1f>", $0.text, $0.box.width)
                        }.joined(separator: " ")
                }
                let head = String(
                    format: "p%d y%.1f-%.1f x%.1f-%.1f s%.1f", page, b.y0, b.y1, b.x0, b.x1,
                    line.size)
                FileHandle.standardError.write(
                    Data(
                        (head + (line.isBold ? "B " : " ") + segs.joined(separator: " ") + "\n")
                            .utf8))
            }
            // Table of contents: dot leaders, or lines ending in a page number under its heading.
            if let entry = TOCEntry.parse(line, inTOC: inTableOfContents) {
                closeAll()
                blocks.append(
                    Block(
                        kind: .tocEntry, text: entry, page: page, bbox: line.box,
                        fontSize: line.size, isBold: line.isBold))
                sawTOC = true
                continue
            }
            // The contents list ends at its first line that is not an entry.
            inTableOfContents = false

            if let last = blocks.last, last.kind == .heading, open == nil, table == nil,
                last.page == page,
                let previous, let lastSize = last.fontSize, abs(lastSize - line.size) < 0.5,
                line.isBold == last.isBold, line.segments.count == 1,
                line.box.y0 - previous.box.y1 < line.box.height * 0.6,
                !brokeEarly(previous, before: line),
                Bullet.split(text) == nil
            {
                // A heading wrapped over more lines (a line-end hyphen joined as in prose).
                joiner.append(text, to: &blocks[blocks.count - 1].text)
                blocks[blocks.count - 1].bbox = last.bbox.map { $0.union(line.box) }
                continue
            }
            if let heading = headingCandidate(line, previous: previous) {
                closeAll()
                // The heading keeps its number as printed ("1.1. Bakgrund"); `number` holds it parsed.
                var block = Block(
                    kind: .heading, text: text.foldingSpaces(), page: page, bbox: line.box,
                    level: heading.level, number: heading.number, fontSize: line.size,
                    isBold: line.isBold)
                if heading.number == nil { block.level = unnumberedLevel(line) }
                blocks.append(block)
                if TOCEntry.isTOCHeading(heading.title) { inTableOfContents = true }
                continue
            }

            if line.segments.count >= 2 || continuesTable(line) {
                addTableLine(line, page: page)
                continue
            }
            closeTable()

            if let (bullet, rest) = Bullet.split(text) {
                closeOpen()
                let textX0 =
                    line.segments[0].count > 1 && Bullet.isBulletGlyph(line.segments[0][0].text)
                    ? line.segments[0][1].box.x0 : line.box.x0 + line.size
                open = OpenBlock(
                    block: Block(
                        kind: .listItem, text: bullet + " " + rest, page: page, bbox: line.box,
                        fontSize: line.size, isBold: line.isBold),
                    textX0: textX0, lastLine: line, lastPage: page)
                continue
            }

            if var current = open, continues(current, with: line, page: page) {
                joiner.append(text, to: &current.block.text)
                if current.block.page == page, let box = current.block.bbox {
                    current.block.bbox = box.union(line.box)
                }
                current.lastLine = line
                current.lastPage = page
                current.continuationX0 = min(current.continuationX0 ?? line.box.x0, line.box.x0)
                open = current
                continue
            }
            closeOpen()
            open = OpenBlock(
                block: Block(
                    kind: .paragraph, text: text, page: page, bbox: line.box, fontSize: line.size,
                    isBold: line.isBold),
                textX0: line.box.x0, lastLine: line, lastPage: page)
        }
        // A table does not continue over a page break; paragraphs may.
        closeTable()
        return sawTOC
    }

    mutating func finish() -> [Block] {
        closeAll()
        return blocks
    }

    // MARK: Decisions

    private func headingCandidate(_ line: LayoutLine, previous: LayoutLine?) -> HeadingCandidate? {
        let text = line.text
        let larger = line.size >= bodySize * 1.15
        guard larger || line.isBold else { return nil }
        guard line.segments.count == 1 else { return nil }
        // A bold line inside a running paragraph is emphasis, not a heading.
        if !larger, let previous, let open, open.lastLine.box == previous.box,
            line.box.y0 - previous.box.y1 < 0.35 * line.box.height,
            !(open.block.text.last.map { ".:!?".contains($0) } ?? true)
        {
            return nil
        }
        if Bullet.split(text) != nil { return nil }
        guard var candidate = HeadingCandidate.parse(text) ?? BlockBuilder.relaxedHeading(text)
        else { return nil }
        if candidate.title.count < 2 { return nil }
        candidate.title = candidate.title.trimmingSpaces()
        return candidate
    }

    /// Headings set in a heading font may be longer or end in a colon or question mark.
    private static func relaxedHeading(_ text: String) -> HeadingCandidate? {
        let words = text.split(separator: " ")
        guard words.count <= 25, let first = text.first, first.isUppercase || first.isNumber else {
            return nil
        }
        if text.hasSuffix(".") && !HeadingNumber.isNumber(String(words.last ?? "")) { return nil }
        return HeadingCandidate(number: nil, title: text, level: 1)
    }

    /// The right edge of body text on the current page.
    private var rightEdge: Double = 0
    /// Whether the current page is an OCR text layer (positions jitter).
    private var pageIsOCR = false
    /// The typical top-to-top distance of lines on the current page, per font size.
    private var pitches: [Double: Double] = [:]

    /// The line pitch per font size: the lower quartile of the distances between the tops of
    /// consecutive lines of that size (most are within paragraphs; the larger ones are
    /// breaks). Paragraph breaks are measured against it, since line boxes differ in height
    /// between born-digital text (ascent to descent) and OCR layers (about the font size).
    static func typicalPitches(_ lines: [LayoutLine]) -> [Double: Double] {
        var steps: [Double: [Double]] = [:]
        for i in lines.indices.dropFirst() {
            let a = lines[i - 1]
            let b = lines[i]
            let step = b.box.y0 - a.box.y0
            guard abs(a.size - b.size) <= max(0.6, 0.12 * a.size), step > 0.5 * a.size,
                step < 2.5 * a.size
            else { continue }
            steps[pitchKey(a.size), default: []].append(step)
        }
        return steps.mapValues { values in
            let sorted = values.sorted()
            return sorted[sorted.count / 4]
        }
    }

    static func pitchKey(_ size: Double) -> Double { size.rounded() }
    /// The typical right edge of body text over the document (title pages have short lines).
    var documentRightEdge: Double = 0

    /// Whether `line`'s first word would have fitted at the end of `previous`: if so, the
    /// writer broke the line on purpose (a new paragraph, an address line, a signature).
    private func brokeEarly(_ previous: LayoutLine, before line: LayoutLine) -> Bool {
        guard let firstWord = line.segments.first?.first, rightEdge > 0 else { return false }
        let space = line.size * 0.3
        return previous.box.x1 + space + firstWord.box.width < rightEdge - line.size * 0.5
    }

    /// Level of an unnumbered heading from its size relative to the body text.
    private func unnumberedLevel(_ line: LayoutLine) -> Int {
        let ratio = line.size / bodySize
        if ratio >= 1.5 { return 1 }
        if ratio >= 1.2 { return 2 }
        return 3
    }

    private func continues(_ current: OpenBlock, with line: LayoutLine, page: Int) -> Bool {
        guard current.lastPage == page || current.lastPage == page - 1 else { return false }
        let last = current.lastLine
        if abs(last.size - line.size) > max(0.6, 0.12 * last.size) { return false }
        if current.lastPage != page {
            // Across a page break: continue a sentence that did not end.
            guard current.block.kind == .paragraph || current.block.kind == .listItem else {
                return false
            }
            let ends = current.block.text.last.map { ".!?:".contains($0) } ?? true
            return !ends
        }
        if let pitch = pitches[BlockBuilder.pitchKey(last.size)] {
            if line.box.y0 - last.box.y0 > 1.25 * pitch { return false }
        } else if line.box.y0 - last.box.y1 > 0.35 * max(line.box.height, last.box.height) {
            return false
        }
        if brokeEarly(last, before: line) { return false }
        if current.block.kind == .listItem {
            return line.box.x0 >= current.textX0 - max(3, 0.8 * line.size)
        }
        // Paragraphs told apart by a first-line indent alone: after a sentence end, a line
        // that starts right of the paragraph's continuation lines, with a capital or digit.
        if let edge = current.continuationX0, line.box.x0 >= edge + 0.8 * line.size,
            let end = current.block.text.last, ".!?:".contains(end),
            let first = line.segments.first?.first?.text.first, first.isUppercase || first.isNumber
        {
            return false
        }
        // A paragraph's continuation lines start at its left edge (first-line indents allowed).
        return line.box.x0 <= current.textX0 + 2 * line.size
            && line.box.x0 >= current.textX0 - 2 * line.size
    }

    private func continuesTable(_ line: LayoutLine) -> Bool {
        guard let table else { return false }
        let gap = line.box.y0 - table.lastLine.box.y1
        if gap > 1.2 * line.box.height { return false }
        // A single cell line starting at a column edge.
        return table.columns.contains { abs($0 - line.box.x0) < 4 }
            && (table.columns.count < 2 || line.box.x1 < (table.columns.last ?? 0) + 4
                || abs(line.box.x0 - table.columns.last!) < 4)
    }

    private mutating func addTableLine(_ line: LayoutLine, page: Int) {
        closeOpen()
        let starts = line.segments.indices.map { line.segmentBox($0).x0 }
        if table == nil || !alignsWithTable(starts) {
            closeTable()
            tableCount += 1
            table = OpenTable(
                id: tableCount, columns: starts, rows: [], rowBoxes: [], rowPages: [],
                lastLine: line, boldRows: [])
        }
        guard var t = table else { return }
        func column(for x: Double) -> Int {
            var best = 0
            for (i, c) in t.columns.enumerated() where x >= c - 4 { best = i }
            return best
        }
        // Lines within a row are evenly spaced; rows are separated by extra padding. The
        // smallest top-to-top step seen in the table is its in-row pitch, so a row starts
        // where the step clearly exceeds it. (Tops, not bottoms: a multi-cell line's box
        // reaches down to its lowest cell.)
        let pitchStep = line.box.y0 - t.lastLine.box.y0
        let startsRow: Bool
        if t.rows.isEmpty || (t.lastLine.isBold && !line.isBold) {
            startsRow = true
        } else if let inRow = t.inRowPitch {
            // OCR layers jitter by a point or two between lines.
            startsRow = pitchStep > inRow + (pageIsOCR ? 0.3 : 0.2) * line.size
        } else {
            startsRow = pitchStep > 1.6 * line.size
        }
        if !startsRow {
            t.inRowPitch = min(t.inRowPitch ?? pitchStep, pitchStep)
        }
        if startsRow {
            t.rows.append(Array(repeating: "", count: t.columns.count))
            t.rowBoxes.append(line.box)
            t.rowPages.append(page)
            t.boldRows.append(line.isBold)
        } else {
            t.rowBoxes[t.rowBoxes.count - 1] = t.rowBoxes[t.rowBoxes.count - 1].union(line.box)
        }
        for i in line.segments.indices {
            let col = column(for: starts[i])
            joiner.append(line.segmentText(i), to: &t.rows[t.rows.count - 1][col])
        }
        // New columns seen further right widen the table.
        t.lastLine = line
        table = t
    }

    private func alignsWithTable(_ starts: [Double]) -> Bool {
        guard let table else { return false }
        return starts.allSatisfy { s in table.columns.contains { abs($0 - s) < 6 } }
    }

    private mutating func closeOpen() {
        if let o = open {
            var block = o.block
            block.text = block.text.foldingSpaces()
            if !block.text.isEmpty { blocks.append(block) }
        }
        open = nil
    }

    private mutating func closeTable() {
        guard let t = table else { return }
        for (i, row) in t.rows.enumerated() {
            let cells = row.map { $0.foldingSpaces() }
            let nonEmpty = cells.filter { !$0.isEmpty }
            guard !nonEmpty.isEmpty else { continue }
            let text = nonEmpty.joined(separator: " | ")
            // A table continued on the next page repeats its bold header row: keep one.
            if i == 0, t.boldRows[0], let previous = lastTableHeader, previous.text == text,
                previous.page == t.rowPages[0] - 1, blocks.last?.kind == .tableRow
            {
                continue
            }
            if i == 0 && t.boldRows[0] { lastTableHeader = (text, t.rowPages[0]) }
            blocks.append(
                Block(
                    kind: .tableRow, text: text, page: t.rowPages[i],
                    bbox: t.rowBoxes[i], cells: cells, table: t.id, fontSize: t.lastLine.size,
                    isBold: t.boldRows[i]))
        }
        table = nil
    }

    private mutating func closeAll() {
        closeOpen()
        closeTable()
    }
}

/// Table-of-contents lines: "1.1. Bakgrund..........4" → "1.1. Bakgrund 4".
enum TOCEntry {
    static func isTOCHeading(_ title: String) -> Bool {
        let t = title.lowercased()
        return t == "innehåll" || t == "innehållsförteckning" || t == "innehall"
            || t == "innehallsforteckning"
            || t == "table of contents" || t == "contents"
    }

    /// Four dots (spaced or not) or an ellipsis, by a plain byte scan.
    static func hasLeader(_ text: String) -> Bool {
        var dots = 0
        for b in text.utf8 {
            if b == UInt8(ascii: ".") {
                dots += 1
                if dots >= 4 { return true }
            } else if b == 0xE2 {
                // U+2026 HORIZONTAL ELLIPSIS starts with E2 80 A6; treat any E2 lead as a maybe.
                if text.contains("…") { return true }
            } else if b != UInt8(ascii: " ") {
                dots = 0
            }
        }
        return false
    }

    static func parse(_ line: LayoutLine, inTOC: Bool) -> String? {
        let text = line.text
        // Dot leaders (checked cheaply before the regular expression).
        if TOCEntry.hasLeader(text),
            let range = text.range(of: #"\s*(\.\s*){4,}|\s*…+\s*"#, options: .regularExpression)
        {
            let title = String(text[..<range.lowerBound]).trimmingSpaces()
            var rest = String(text[range.upperBound...]).trimmingSpaces()
            // OCR reads long dot leaders partly as letters ("....cseccseeess 4"): drop a tail
            // of leader junk (no spaces, dots and lower-case letters) before the page number.
            var tokens = rest.split(separator: " ")
            if tokens.count == 2,
                tokens[0].allSatisfy({ $0.isLowercase || ".,:;'’`-_=".contains($0) })
            {
                tokens.removeFirst()
                rest = String(tokens[0])
            }
            if rest.hasSuffix("."), rest.count > 1 { rest.removeLast() }
            if !title.isEmpty, rest.allSatisfy({ $0.isNumber }), !rest.isEmpty, rest.count <= 4 {
                return title + " " + rest
            }
        }
        if inTOC, let last = text.split(separator: " ").last, last.allSatisfy({ $0.isNumber }),
            last.count <= 3,
            text.split(separator: " ").count >= 2
        {
            return text.foldingSpaces()
        }
        return nil
    }
}
