import Foundation

/// One body block as the structure stage reads it: its text, a folded key for cue matching,
/// and where it stands in ``Document/text``.
struct TextUnit: Sendable {
    var blockIndex: Int
    var kind: Block.Kind
    var text: String
    /// ``TextKey/fold(_:)`` of ``text``.
    var key: String
    var page: Int
    var span: TextSpan
    var cells: [String]?
    var table: Int?
    var level: Int?
    var number: String?
    var isBold: Bool
    var fontSize: Double?

    /// Cells of a table row: the layout's cells, or the ` | `-separated parts of the text.
    var rowCells: [String]? {
        if let cells, cells.count >= 2 { return cells }
        if text.contains(" | ") {
            return text.components(separatedBy: " | ").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        return nil
    }

    /// The text with a leading bullet glyph removed, and whether there was one.
    var bulletStripped: (text: String, hadBullet: Bool) {
        TextUnit.stripBullet(text)
    }

    static let bulletScalars: Set<Character> = ["•", "●", "▪", "■", "◦", "‣", "∙", "❖", "➢", "–", "—", "-", "*", "·", "¢", "»", "✓"]

    static func stripBullet(_ text: String) -> (text: String, hadBullet: Bool) {
        guard let first = text.first, bulletScalars.contains(first) else { return (text, false) }
        let rest = text.dropFirst().drop { $0 == " " || $0 == "\t" }
        guard let c = rest.first, c.isLetter || c.isNumber || c == "\"" || c == "”" || c == "(" else {
            return (text, false)
        }
        return (String(rest), true)
    }

    /// Whether the unit is a list item (by layout or by a leading bullet).
    var isListItem: Bool { kind == .listItem || bulletStripped.hadBullet }

    /// A sentence-level provenance inside this unit.
    func provenance(range: Range<Int>? = nil, sentence: String? = nil, confidence: Double) -> Provenance {
        let r = range ?? 0..<text.unicodeScalars.count
        return Provenance(
            page: page, span: TextSpan(start: span.start + r.lowerBound, end: span.start + r.upperBound),
            sentence: sentence ?? text, confidence: confidence)
    }
}

extension TextUnit {
    /// The units of a document's body blocks (footnote bodies and empty blocks left out).
    static func units(of document: Document) -> [TextUnit] {
        var units: [TextUnit] = []
        units.reserveCapacity(document.blocks.count)
        for (i, b) in document.blocks.enumerated() where b.kind != .footnote {
            let text = b.text.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            let unit = TextUnit(
                blockIndex: i, kind: b.kind, text: text, key: TextKey.fold(text), page: b.page,
                span: b.span, cells: b.cells, table: b.table, level: b.level, number: b.number,
                isBold: b.isBold, fontSize: b.fontSize)
            units.append(contentsOf: unit.splittingGluedTail())
        }
        return units
    }

    /// Splits off a last sentence that OCR or a page break glued onto a block: a heading
    /// ("… dokumenteras. Bakgrund") or the introduction of the next list ("… konkretiserad.
    /// Vi rekommenderar socialnämnden att:").
    func splittingGluedTail() -> [TextUnit] {
        guard kind == .paragraph || kind == .listItem, cells == nil else { return [self] }
        let sentences = SentenceSplitter().split(text)
        guard sentences.count >= 2, let last = sentences.last else { return [self] }
        let tail = last.text
        let isIntro = tail.hasSuffix(":") && tail.split(separator: " ").count >= 3
        var isHeading = false
        if let last = tail.last, !".,;:!?)".contains(last), let c = HeadingCandidate.parse(tail),
            c.number == nil
        {
            isHeading = SectionDetector.isStrongCue(SectionDetector.titleKey(c.title))
        }
        guard isIntro || isHeading else { return [self] }
        let cut = last.range.lowerBound
        let scalars = Array(text.unicodeScalars)
        var headView = String.UnicodeScalarView()
        headView.append(contentsOf: scalars[..<cut])
        var head = self
        head.text = String(headView).trimmingCharacters(in: .whitespaces)
        head.key = TextKey.fold(head.text)
        head.span = TextSpan(start: span.start, end: span.start + head.text.unicodeScalars.count)
        var rest = self
        rest.kind = .paragraph
        rest.text = tail
        rest.key = TextKey.fold(tail)
        rest.span = TextSpan(start: span.start + last.range.lowerBound, end: span.start + last.range.upperBound)
        return [head, rest]
    }
}

/// Shared regular expressions, compiled once.
enum Patterns {
    static func regex(_ pattern: String) -> NSRegularExpression {
        // Patterns are literals in this module; a typo is a programming error.
        try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
    }

    static func firstMatch(_ re: NSRegularExpression, in text: String) -> NSTextCheckingResult? {
        re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
    }

    static func matches(_ re: NSRegularExpression, in text: String) -> [NSTextCheckingResult] {
        re.matches(in: text, range: NSRange(text.startIndex..., in: text))
    }

    static func group(_ m: NSTextCheckingResult, _ i: Int, in text: String) -> String? {
        let r = m.range(at: i)
        guard r.location != NSNotFound, let range = Range(r, in: text) else { return nil }
        return String(text[range])
    }

    /// Unicode-scalar offsets of an NSRange (UTF-16) in `text`.
    static func scalarRange(_ r: NSRange, in text: String) -> Range<Int>? {
        guard let range = Range(r, in: text) else { return nil }
        let a = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: range.lowerBound)
        let n = text.unicodeScalars.distance(from: range.lowerBound, to: range.upperBound)
        return a..<(a + n)
    }
}
