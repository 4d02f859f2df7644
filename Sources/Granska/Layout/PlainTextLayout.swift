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
        for (index, lines) in input.pages.enumerated() {
            let number = index + 1
            var page = Page(number: number, width: 0, height: 0)
            let removed = furniture.removedLines[index] ?? [:]
            page.furniture = removed.sorted { $0.key < $1.key }.map { $0.value }
            var current: (kind: Block.Kind, text: String)? = nil
            var currentLines = 0
            func flush() {
                guard let c = current, !c.text.isEmpty else {
                    current = nil
                    return
                }
                var block = Block(kind: c.kind, text: c.text.foldingSpaces(), page: number)
                if c.kind == .paragraph && currentLines == 1,
                    let heading = HeadingCandidate.parse(block.text)
                {
                    block.kind = .heading
                    block.number = heading.number
                    block.level = heading.level
                    // The heading keeps its number as printed, as PDF headings do.
                    block.text = block.text.foldingSpaces()
                }
                blocks.append(block)
                current = nil
                currentLines = 0
            }
            for (lineIndex, raw) in lines.enumerated() {
                if removed[lineIndex] != nil { continue }
                let line = raw.trimmingSpaces()
                if line.isEmpty {
                    flush()
                    continue
                }
                if let item = PlainTextLayout.listItemText(line) {
                    flush()
                    current = (.listItem, "• " + item)
                    currentLines = 1
                    continue
                }
                if current == nil {
                    current = (.paragraph, line)
                    currentLines = 1
                } else {
                    joiner.append(line, to: &current!.text)
                    currentLines += 1
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

    /// The item text if `line` starts with a bullet glyph and a space.
    static func listItemText(_ line: String) -> String? {
        guard let first = line.first, bulletGlyphs.contains(first) else { return nil }
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
