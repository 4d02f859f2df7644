import Foundation

/// Builds blocks from plain text lines (OCR dumps, `pdftotext` output), where there is no
/// geometry: paragraphs are separated by blank lines, list items start with a bullet glyph,
/// and short stand-alone lines that look like titles become heading candidates.
public struct PlainTextLayout: Sendable {
    public var joiner: LineJoiner

    public init(joiner: LineJoiner = LineJoiner()) {
        self.joiner = joiner
    }

    /// Glyphs that start a list item, including what English OCR makes of bullets.
    static let bulletGlyphs: Set<Character> = [
        "•", "●", "▪", "■", "◦", "‣", "∙", "·", "–", "—", "-", "*", "¢", "»", "➢", "✓", "o", "e",
        "©", "®",
    ]

    /// Lays out `input` into a ``Document`` (assembled).
    public func layout(_ input: TextInputReader.Result) -> Document {
        var pages: [Page] = []
        var blocks: [Block] = []
        let furniture = FurnitureDetector().detect(
            pages: input.pages.map { lines in lines.map { $0.trimmingSpaces() } })
        let documentFullLength = PlainTextLayout.typicalFullLength(
            input.pages.flatMap { $0.map { $0.trimmingSpaces() } })
        for (index, lines) in input.pages.enumerated() {
            let number = index + 1
            var page = Page(number: number, width: 0, height: 0)
            let removed = furniture.removedLines[index] ?? [:]
            page.furniture = removed.sorted { $0.key < $1.key }.map { $0.value }
            let kept = PlainTextLayout.mergingLoneMarkers(
                lines.enumerated().filter { removed[$0.offset] == nil }.map {
                    $0.element.trimmingSpaces()
                })
            // Without geometry, a paragraph's last line is the short one: lines run to about
            // the same length (the page's long lines) until a paragraph ends. A page of few
            // lines (a title page) takes the document's.
            let fullLength = PlainTextLayout.typicalFullLength(kept) ?? documentFullLength
            var current: (kind: Block.Kind, text: String)? = nil
            var currentLines: [String] = []
            func append(_ kind: Block.Kind, _ text: String, lines: Int) {
                var block = Block(kind: kind, text: text.foldingSpaces(), page: number)
                if kind == .paragraph && lines == 1,
                    let heading = HeadingCandidate.parse(block.text)
                {
                    block.kind = .heading
                    block.number = heading.number
                    block.level = heading.level
                }
                blocks.append(block)
            }
            func flush() {
                defer {
                    current = nil
                    currentLines = []
                }
                guard let c = current, !c.text.isEmpty else { return }
                // Before the first heading (the title page), lines that all stop well short
                // of a full line are not one wrapped paragraph but items of their own:
                // title, "Rapport", municipality, firm, date.
                if c.kind == .paragraph, currentLines.count >= 2, let fullLength,
                    !blocks.contains(where: { $0.kind == .heading }),
                    currentLines.allSatisfy({ $0.count < fullLength / 2 })
                {
                    // A line opening in lower case continues the one before (a wrapped title).
                    var parts: [String] = []
                    for line in currentLines {
                        if let first = line.first, first.isLowercase, !parts.isEmpty {
                            joiner.append(line, to: &parts[parts.count - 1])
                        } else {
                            parts.append(line)
                        }
                    }
                    for part in parts { append(.paragraph, part, lines: 1) }
                    return
                }
                append(c.kind, c.text, lines: currentLines.count)
            }
            var previous: String? = nil
            // Whether the open paragraph began after a blank line (or at the page top).
            var openedAfterBlank = false
            for line in kept {
                defer { previous = line.isEmpty ? nil : line }
                if line.isEmpty {
                    flush()
                    continue
                }
                if let item = PlainTextLayout.listItemText(line) {
                    flush()
                    current = (.listItem, "• " + item)
                    currentLines = [line]
                    continue
                }
                if current != nil, let previous,
                    PlainTextLayout.endsParagraph(
                        previous, before: line, fullLength: fullLength,
                        previousOpensBlock: currentLines.count == 1 && openedAfterBlank)
                {
                    flush()
                }
                if current == nil {
                    current = (.paragraph, line)
                    currentLines = [line]
                    openedAfterBlank = previous == nil
                } else {
                    joiner.append(line, to: &current!.text)
                    currentLines.append(line)
                }
            }
            flush()
            pages.append(page)
        }
        var document = Document(
            source: input.source, pages: pages, blocks: blocks)
        document.assemble()
        return document
    }

    /// `pdftotext` writes a heading's number and a bullet as blocks of their own ("3.2.1",
    /// blank, "Kommunstyrelsen"; "❖", blank, "Integration är ..."): such a lone number or
    /// bullet is joined to the line after it (across blank lines), when that line reads as
    /// the title or the item.
    static func mergingLoneMarkers(_ lines: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            var j = i + 1
            while j < lines.count, lines[j].isEmpty { j += 1 }
            if j < lines.count, j > i + 1 || isLoneBullet(line) {
                let next = lines[j]
                if isLoneBullet(line), let first = next.first, first.isLetter || first.isNumber {
                    out.append(line + " " + next)
                    i = j + 1
                    continue
                }
                // The title ends in a letter or a bracket: OCR'd footers leave "3.3", "KPMG'".
                if isLoneHeadingNumber(line), j + 1 >= lines.count || lines[j + 1].isEmpty,
                    let end = next.last, end.isLetter || end == ")",
                    let heading = HeadingCandidate.parse(line + " " + next),
                    heading.number != nil
                {
                    out.append(line + " " + next)
                    i = j + 1
                    continue
                }
            }
            out.append(line)
            i += 1
        }
        return out
    }

    static func isLoneBullet(_ line: String) -> Bool {
        !line.isEmpty && line.count <= 2
            && line.allSatisfy { bulletGlyphs.contains($0) || Bullet.printed.contains($0) }
    }

    /// "3", "3.2", "3.2.1." (chapters up to 29, parts up to 99).
    static func isLoneHeadingNumber(_ line: String) -> Bool {
        let trimmed = line.hasSuffix(".") ? String(line.dropLast()) : line
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.count <= 4,
            parts.allSatisfy({
                !$0.isEmpty && $0.count <= 2 && $0.allSatisfy(\.isASCII)
                    && $0.allSatisfy(\.isNumber)
            }),
            let chapter = Int(parts[0]), chapter >= 1, chapter <= 29
        else { return false }
        return true
    }

    /// The length of a full line on the page: the 80th percentile of its line lengths
    /// (nil with too few lines to tell).
    static func typicalFullLength(_ lines: [String]) -> Int? {
        let lengths = lines.map(\.count).filter { $0 >= 20 }.sorted()
        guard lengths.count >= 8 else { return nil }
        return lengths[lengths.count * 4 / 5]
    }

    /// Whether `previous` ended its paragraph before `line`: it ends a sentence well short
    /// of a full line, and `line` opens like a sentence; or `previous`, the first line of
    /// its block, is a short title (no final stop, a capital, few words) that a long line
    /// follows. (A short line inside a block is a caption or a label as often as a title.)
    static func endsParagraph(
        _ previous: String, before line: String, fullLength: Int?, previousOpensBlock: Bool
    ) -> Bool {
        guard let fullLength, let first = line.first, first.isUppercase || first.isNumber,
            let last = previous.last
        else { return false }
        if ".!?:".contains(last) { return previous.count < fullLength * 3 / 4 }
        let isTitle =
            previousOpensBlock && previous.count < fullLength / 2
            && previous.first?.isUppercase == true
            && !",;-–".contains(last) && previous.split(separator: " ").count <= 8
            && line.count >= fullLength * 3 / 4
        return isTitle
    }

    /// The item text if `line` starts with a bullet glyph and a space.
    static func listItemText(_ line: String) -> String? {
        guard let first = line.first, bulletGlyphs.contains(first) || Bullet.printed.contains(first)
        else { return nil }
        let rest = line.dropFirst()
        guard let second = rest.first, second == " " || second == "\t" else { return nil }
        let item = rest.trimmingSpaces()
        // "- 5 %" or "o" alone are not items; an item starts with a letter, digit or quote.
        guard let c = item.first, c.isLetter || c.isNumber || c == "\"" || c == "”" else {
            return nil
        }
        // Latin letters used as bullets by OCR ("o", "e") only before a capital.
        if first.isLetter && !(c.isUppercase) { return nil }
        return item
    }
}

/// A line that may be a heading: an optional printed number and a title.
public struct HeadingCandidate: Sendable, Equatable {
    public var number: String?
    public var title: String
    /// Depth from the numbering ("3.1.2" → 3); 1 when unnumbered.
    public var level: Int

    /// Parses "3.1.2 Title", "3.1.2. Title", "2. Title", or a bare title line, returning nil
    /// where the line reads as prose (ends in a full stop, too long, starts lower case).
    public static func parse(_ line: String) -> HeadingCandidate? {
        let text = line.trimmingSpaces()
        guard !text.isEmpty, text.count <= 120 else { return nil }
        var number: String? = nil
        var title = Substring(text)
        // Leading numbering.
        let numberPart = text.prefix { $0.isNumber || $0 == "." }
        if !numberPart.isEmpty, numberPart.first!.isNumber {
            let after = text.dropFirst(numberPart.count)
            if let f = after.first, f == " " || f == "\t" {
                let trimmed =
                    numberPart.hasSuffix(".") ? String(numberPart.dropLast()) : String(numberPart)
                let components = trimmed.split(separator: ".")
                // A bare year or a big number is not a heading number.
                if components.allSatisfy({ $0.count <= 2 }) && !components.isEmpty {
                    number = trimmed
                    title = Substring(after.trimmingSpaces())
                } else {
                    return nil
                }
            }
        }
        guard let first = title.first, first.isUppercase || (number != nil && first.isLetter) else {
            return nil
        }
        if let last = title.last, ".,;:!?".contains(last) && number == nil { return nil }
        if title.hasSuffix(",") || title.hasSuffix(";") { return nil }
        let words = title.split(separator: " ")
        if words.count > (number == nil ? 8 : 16) { return nil }
        // Titles carry few digits; "Kommunfullmäktige 2024-03-27, § 37" is a footnote.
        if title.contains("§") { return nil }
        let level = number.map { $0.split(separator: ".").count } ?? 1
        return HeadingCandidate(number: number, title: String(title), level: level)
    }
}
