import Foundation

/// One body block as the structure stage reads it: its text, a folded key for cue matching,
/// and where it stands in ``Document/text``.
struct TextUnit: Sendable {
    /// Index of the block in ``Document/blocks`` the unit starts in.
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

    /// Cells of a table row: the layout's cells, or the ` | `-separated parts of the text.
    var rowCells: [String]? {
        if let cells, cells.count >= 2 { return cells }
        // No "|" byte, no " | ": no other character is canonically equivalent to one, and
        // most units are prose that every rule asks this of.
        if text.utf8.contains(UInt8(ascii: "|")), text.includes(" | ") {
            return text.components(separatedBy: " | ").map {
                $0.trimmedOfWhitespace()
            }
        }
        return nil
    }

    /// The text with a leading bullet glyph removed, and whether there was one.
    var bulletStripped: (text: String, hadBullet: Bool) {
        let stripped = TextUnit.stripBullet(text)
        if stripped.hadBullet || kind == .heading { return stripped }
        // "1. Säkerställa …", "2) Tillse …": numbered items in a paragraph.
        if TextUnit.mayOpenWithItemNumber(text),
            let m = Patterns.firstMatch(TextUnit.itemNumber, in: text),
            let r = Range(m.range, in: text)
        {
            return (String(text[r.upperBound...]), true)
        }
        return stripped
    }

    static let itemNumber = try! NSRegularExpression(
        pattern: #"^(?:\d{1,2}|[a-h])[.)]\s+(?=\p{Lu})"#)

    /// Whether ``itemNumber`` may match `text`: its first byte is an ASCII digit or one of
    /// "a"–"h", or opens a non-ASCII scalar (`\d` takes every decimal digit). Most
    /// paragraphs open with a capital, and ``isListItem`` asks this of every paragraph
    /// again and again.
    static func mayOpenWithItemNumber(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return false }
        return (0x30...0x39).contains(first) || (0x61...0x68).contains(first) || first >= 0x80
    }

    static let bulletScalars: Set<Character> = [
        "•", "●", "▪", "■", "◦", "‣", "∙", "❖", "➢", "–", "—", "-", "*", "·", "¢", "»", "✓",
    ]

    static func stripBullet(_ text: String) -> (text: String, hadBullet: Bool) {
        // Every bullet is one scalar: a text opening with another ASCII scalar opens with a
        // character that is none of them (most paragraphs open with a capital letter).
        if let byte = text.utf8.first, byte < 0x80, byte != UInt8(ascii: "-"),
            byte != UInt8(ascii: "*")
        {
            return (text, false)
        }
        guard let first = text.first, bulletScalars.contains(first) else { return (text, false) }
        let rest = text.dropFirst().drop { $0 == " " || $0 == "\t" }
        guard let c = rest.first, c.isLetter || c.isNumber || c == "\"" || c == "”" || c == "("
        else {
            return (text, false)
        }
        return (String(rest), true)
    }

    /// Whether the unit is a list item (by layout or by a leading bullet).
    var isListItem: Bool {
        kind == .listItem || kind == .paragraph && bulletStripped.hadBullet
    }

    /// A sentence-level provenance inside this unit.
    func provenance(range: Range<Int>? = nil, sentence: String? = nil, confidence: Double)
        -> Provenance
    {
        let r = range ?? 0..<text.unicodeScalars.count
        return Provenance(
            page: page,
            span: TextSpan(start: span.start + r.lowerBound, end: span.start + r.upperBound),
            sentence: sentence ?? text, confidence: confidence)
    }
}

extension TextUnit {
    /// A row's cells re-cut from the block's own (repaired) text, which repair may have
    /// corrected where the cells still hold OCR's spelling: the text's words are dealt out in
    /// the cells' word counts, when the texts agree word for word but for diacritics and
    /// OCR confusions. Otherwise the cells stay as they are.
    static func aligned(_ cells: [String], to text: String) -> [String] {
        // The text as layout made it, the cells joined by " | ", byte for byte, and every
        // scalar a character of its own: its words are the cells' words with a "|" between
        // cells, so the rule below finds nothing to change.
        var joined = cells.joined(separator: " | ")
        var own = text
        let unchanged = own.withUTF8 { a in
            joined.withUTF8 { b in
                a.count == b.count && UTF8Text.searchesLikeBytes(a)
                    && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
            }
        }
        if unchanged { return cells }
        let cellWords = cells.map { $0.split(separator: " ") }
        var words = text.split(separator: " ")
        if words.count != cellWords.reduce(0, { $0 + $1.count }) {
            words.removeAll { $0 == "|" }
        }
        guard words.count == cellWords.reduce(0, { $0 + $1.count }) else { return cells }
        var result: [String] = []
        result.reserveCapacity(cells.count)
        var k = 0
        var changed = false
        for cw in cellWords {
            let mine = words[k..<(k + cw.count)]
            k += cw.count
            for (a, b) in zip(cw, mine) where a != b {
                // Same word length and first letter: a correction, not a different word.
                guard a.count == b.count || abs(a.count - b.count) <= 1 && a.count >= 4,
                    a.first?.lowercased() == b.first?.lowercased()
                        || !(a.first?.isLetter ?? true)
                else { return cells }
                changed = true
            }
            result.append(mine.joined(separator: " "))
        }
        return changed ? result : cells
    }

    /// The units of a document's body blocks (footnote bodies and empty blocks left out).
    static func units(of document: Document) -> [TextUnit] {
        var units: [TextUnit] = []
        units.reserveCapacity(document.blocks.count)
        var textTable: Int? = nil
        for (i, b) in document.blocks.enumerated() where b.kind != .footnote {
            let text = b.text.trimmedOfWhitespace()
            if text.isEmpty { continue }
            var unit = TextUnit(
                blockIndex: i, kind: b.kind, text: text, key: TextKey.fold(text), page: b.page,
                span: b.span, cells: b.cells.map { TextUnit.aligned($0, to: text) },
                table: b.table, level: b.level, number: b.number)
            // Plain text marks cells with " | " and no table: a run of such lines is one table.
            if unit.table == nil, unit.cells == nil, text.includes(" | ") {
                textTable = textTable ?? -(i + 1)
                unit.table = textTable
            } else {
                textTable = nil
            }
            units.append(contentsOf: unit.normalizingOCRShapes().splittingGluedTail())
        }
        return TextUnit.joiningContinuations(TextUnit.joiningTableLines(units))
    }

    /// Joins table rows that are lines of one logical row: OCR layers give one row per
    /// printed line, so a row whose first cell is empty or starts in lower case continues
    /// the row before, and a header row repeated at the top of the next page continues
    /// the table.
    static func joiningTableLines(_ units: [TextUnit]) -> [TextUnit] {
        var result: [TextUnit] = []
        result.reserveCapacity(units.count)
        var headerKeys: [Int: String] = [:]
        var tableAlias: [Int: Int] = [:]
        var lastTable: Int? = nil
        for u in units {
            guard u.kind == .tableRow, let cells = u.cells, let table = u.table else {
                result.append(u)
                continue
            }
            var u = u
            let rowKey = TextKey.fold(cells.joined(separator: " "))
            if headerKeys[table] == nil {
                // First row of a table: a repeat of the previous table's header continues it.
                if let previous = lastTable, let key = headerKeys[previous], key == rowKey {
                    tableAlias[table] = tableAlias[previous] ?? previous
                    headerKeys[table] = rowKey
                    lastTable = table
                    continue
                }
                headerKeys[table] = rowKey
            }
            lastTable = table
            u.table = tableAlias[table] ?? table
            let first = cells[0].trimmedOfWhitespace()
            let continues = first.isEmpty || first.first?.isLowercase == true
            if continues, var prev = result.last, prev.kind == .tableRow, prev.table == u.table,
                var prevCells = prev.cells
            {
                for (c, cell) in cells.enumerated()
                where !cell.trimmedOfWhitespace().isEmpty {
                    if c < prevCells.count {
                        prevCells[c] = prevCells[c].isEmpty ? cell : prevCells[c] + " " + cell
                    } else {
                        prevCells.append(cell)
                    }
                }
                prev.cells = prevCells
                prev.text = prevCells.joined(separator: " | ")
                prev.key = ""  // recomputed once the row is complete
                prev.span = TextSpan(start: prev.span.start, end: u.span.end)
                result[result.count - 1] = prev
                continue
            }
            result.append(u)
        }
        for k in result.indices where result[k].key.isEmpty {
            result[k].key = TextKey.fold(result[k].text)
        }
        return result
    }

    /// OCR misreads bullets as "&", "¢@", "e", or as a table cell of their own.
    static let ocrBullets: Set<String> = [
        "&", "e", "o", "©", "¢", "*", "»", "®", "@", "«", "¢@", "#", "°", "+",
    ]

    /// Rewrites shapes that OCR layers produce: a two-cell row whose first cell is a misread
    /// bullet becomes a list item; one whose first cell is a misread heading number
    /// ("3:12 | Strategisk inriktning") becomes a heading; "& Text" becomes a list item.
    func normalizingOCRShapes() -> TextUnit {
        var u = self
        if let cells, cells.count == 2 {
            let first = cells[0].trimmedOfWhitespace()
            let second = cells[1].trimmedOfWhitespace()
            guard !second.isEmpty,
                let offset = u.text.range(of: second).map({
                    u.text.unicodeScalars.distance(
                        from: u.text.unicodeScalars.startIndex, to: $0.lowerBound)
                })
            else { return u }
            let isBullet =
                first.count <= 2 && !first.contains(where: { $0.isLetter || $0.isNumber })
                || TextUnit.ocrBullets.contains(first)
            let isNumber =
                first.count <= 6 && !first.contains(" ")
                && first.contains(where: { $0.isNumber })
                && first.allSatisfy({ $0.isNumber || ".:,;".contains($0) })
            // "Set | Kommentarer och bedömningar": a heading whose number OCR turned to letters.
            let isLostNumber =
                !isNumber && first.count <= 4 && !first.contains(" ")
                && HeadingCandidate.parse(second) != nil
                && SectionDetector.isStrongCue(SectionDetector.titleKey(second))
            // The unit becomes its second cell alone, as a heading or a list item.
            func keepingSecondCell(as kind: Block.Kind) {
                u.kind = kind
                u.text = second
                u.key = TextKey.fold(second)
                u.span = TextSpan(
                    start: span.start + offset,
                    end: span.start + offset + second.unicodeScalars.count)
                u.cells = nil
                u.table = nil
            }
            if isLostNumber {
                keepingSecondCell(as: .heading)
                u.number = nil
                return u
            }
            if (isBullet || isNumber) && !first.isEmpty {
                keepingSecondCell(as: isNumber ? .heading : .listItem)
                if isNumber {
                    // "3:12" is "3.1.2" with the dots misread.
                    let digits = first.filter(\.isNumber)
                    u.number =
                        first.contains(".")
                        ? first.trimmingCharacters(in: CharacterSet(charactersIn: "."))
                        : digits.map(String.init).joined(separator: ".")
                    u.level = u.number?.split(separator: ".").count
                }
            }
            return u
        }
        if kind == .paragraph, let space = text.firstIndex(of: " "),
            TextUnit.ocrBullets.contains(String(text[..<space])),
            let next = text[text.index(after: space)...].first, next.isUppercase
        {
            let rest = String(text[text.index(after: space)...])
            let offset = text.unicodeScalars.count - rest.unicodeScalars.count
            u.kind = .listItem
            u.text = rest
            u.key = TextKey.fold(rest)
            u.span = TextSpan(start: span.start + offset, end: span.end)
        }
        return u
    }

    /// Joins blocks that a page or column break cut mid-sentence: a paragraph that starts in
    /// lower case continues the paragraph or list item before it, and a paragraph standing
    /// between two list items is an item whose bullet was lost.
    static func joiningContinuations(_ units: [TextUnit]) -> [TextUnit] {
        var result: [TextUnit] = []
        result.reserveCapacity(units.count)
        for (i, u) in units.enumerated() {
            let continuesText = { (prev: TextUnit) -> Bool in
                (prev.kind == .paragraph || prev.kind == .listItem)
                    && HeadingCandidate.parse(prev.text)?.number == nil
                    && (prev.kind == .listItem || prev.text.wordCount > 3)
            }
            // A heading OCR wrapped over lines: short lower-case lines under it, same page.
            let continuesHeading = { (prev: TextUnit) -> Bool in
                prev.kind == .heading && prev.page == u.page
                    && u.text.wordCount <= 12
            }
            if u.kind == .paragraph, let first = u.text.first, first.isLowercase,
                let prev = result.last, continuesText(prev) || continuesHeading(prev),
                let last = prev.text.last, !".:!?".contains(last), prev.cells == nil
            {
                var merged = prev
                merged.text = prev.text + " " + u.text
                merged.key = ""  // recomputed once the block is complete
                merged.span = TextSpan(start: prev.span.start, end: u.span.end)
                result[result.count - 1] = merged
                continue
            }
            var u = u
            if u.kind == .paragraph, let prev = result.last, prev.kind == .listItem,
                i + 1 < units.count,
                units[i + 1].kind == .listItem, u.text.first?.isUppercase == true,
                !u.text.hasSuffix(":"),
                u.text.wordCount <= 40
            {
                u.kind = .listItem
            }
            result.append(u)
        }
        for k in result.indices where result[k].key.isEmpty {
            result[k].key = TextKey.fold(result[k].text)
        }
        return result
    }

    /// Splits a numbered heading off the paragraph OCR ran it into ("3.2.3 Kommentarer och
    /// bedömningar Det finns …"): the title runs to the first capitalised word after it, and
    /// must carry a cue word.
    func splittingGluedHeading() -> [TextUnit]? {
        guard kind == .paragraph, let first = text.first, first.isNumber else { return nil }
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        guard words.count > 4, words[0].contains("."),
            words[0].allSatisfy({ $0.isNumber || $0 == "." })
        else { return nil }
        var end = 2
        while end < min(words.count, 10), !(words[end].first?.isUppercase ?? false) { end += 1 }
        guard end < words.count, end < 10 else { return nil }
        let headText = words[..<end].joined(separator: " ")
        guard let c = HeadingCandidate.parse(headText), c.number != nil,
            SectionDetector.isStrongCue(SectionDetector.titleKey(c.title))
        else { return nil }
        let cut = headText.unicodeScalars.count + 1
        var head = self
        head.kind = .heading
        head.text = headText
        head.key = TextKey.fold(headText)
        head.number = c.number
        head.level = c.level
        head.span = TextSpan(start: span.start, end: span.start + headText.unicodeScalars.count)
        var rest = self
        rest.text = String(text.unicodeScalars.dropFirst(cut))
        rest.key = TextKey.fold(rest.text)
        rest.span = TextSpan(start: span.start + cut, end: span.end)
        return [head, rest]
    }

    /// Splits off a last sentence that OCR or a page break glued onto a block: a heading
    /// ("… dokumenteras. Bakgrund") or the introduction of the next list ("… konkretiserad.
    /// Vi rekommenderar socialnämnden att:").
    func splittingGluedTail() -> [TextUnit] {
        guard kind == .paragraph || kind == .listItem, cells == nil else { return [self] }
        if let split = splittingGluedHeading() { return split }
        let sentences = SentenceSplitter().split(text)
        guard sentences.count >= 2, let last = sentences.last else { return [self] }
        let tail = last.text
        let isIntro = tail.hasSuffix(":") && tail.wordCount >= 3
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
        head.text = String(headView).trimmedOfWhitespace()
        head.key = TextKey.fold(head.text)
        head.span = TextSpan(start: span.start, end: span.start + head.text.unicodeScalars.count)
        var rest = self
        rest.kind = .paragraph
        rest.text = tail
        rest.key = TextKey.fold(tail)
        rest.span = TextSpan(
            start: span.start + last.range.lowerBound, end: span.start + last.range.upperBound)
        return [head, rest]
    }
}

/// Shared regular expressions, compiled once.
enum Patterns {
    static func regex(_ pattern: String) -> NSRegularExpression {
        // Patterns are literals in this module; a typo is a programming error.
        try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
    }

    /// A case-insensitive pattern with the literals every match of it contains (see
    /// ``GuardedPattern``).
    static func regex(_ pattern: String, requiring required: [[String]]) -> GuardedPattern {
        GuardedPattern(regex(pattern), requiring: required)
    }

    static func firstMatch(_ p: GuardedPattern, in text: String) -> NSTextCheckingResult? {
        p.mayMatch(text) ? firstMatch(p.regex, in: text) : nil
    }

    static func matches(_ p: GuardedPattern, in text: String) -> [NSTextCheckingResult] {
        p.mayMatch(text) ? matches(p.regex, in: text) : []
    }

    /// The guarded `firstMatch(_:in:)`, with the text's guard form made once.
    static func firstMatch(_ p: GuardedPattern, in text: String, lowered: GuardedPattern.Lowered)
        -> NSTextCheckingResult?
    {
        p.mayMatch(lowered) ? firstMatch(p.regex, in: text) : nil
    }

    /// The guarded `matches(_:in:)`, with the text's guard form made once.
    static func matches(_ p: GuardedPattern, in text: String, lowered: GuardedPattern.Lowered)
        -> [NSTextCheckingResult]
    {
        p.mayMatch(lowered) ? matches(p.regex, in: text) : []
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

}

/// A regular expression with literals its matches must contain, checked before the
/// expression runs: NSRegularExpression bridges the whole text to UTF-16 on every call, and
/// most sentences the structure stage tries hold none of a cue's words.
///
/// `required` lists groups of lower-case literals; every match contains at least one
/// literal of each group. The check compares ASCII and Latin-1 letters ignoring case, as
/// the case-insensitive expression does; a text with any other scalar that case folding
/// changes ("ß" folds to "ss", "ﬁ" to "fi", the Kelvin sign to "k") always runs the
/// expression, so the check never turns away a text the expression would match.
struct GuardedPattern: @unchecked Sendable {
    let regex: NSRegularExpression
    private let required: [[[UInt8]]]

    init(_ regex: NSRegularExpression, requiring required: [[String]]) {
        self.regex = regex
        self.required = required.map { $0.map { Array($0.utf8) } }
    }

    /// False only when `text` cannot hold a match.
    ///
    /// Works on the text's UTF-8 bytes in a scratch buffer: the check runs for every
    /// sentence and pattern, so it must cost far less than the expression it saves.
    func mayMatch(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { mayMatch(utf8: $0) }
    }

    /// ``mayMatch(_:)`` for a text's UTF-8 bytes (valid UTF-8, cut at scalar boundaries).
    func mayMatch(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: utf8.count) { buffer in
            guard let n = GuardedPattern.lower(utf8, into: buffer) else { return true }
            return admits(UnsafeBufferPointer(rebasing: buffer[..<n]))
        }
    }

    /// A text lowered once for the checks of several patterns (see `mayMatch(_: Lowered)`).
    struct Lowered {
        /// The lowered bytes, or nil when every pattern may match the text.
        fileprivate let bytes: [UInt8]?

        init(_ text: String) {
            var text = text
            bytes = text.withUTF8 { utf8 in
                var lowered = [UInt8](repeating: 0, count: utf8.count)
                let count = lowered.withUnsafeMutableBufferPointer {
                    GuardedPattern.lower(utf8, into: $0)
                }
                guard let count else { return nil }
                lowered.removeLast(lowered.count - count)
                return lowered
            }
        }
    }

    /// ``mayMatch(_:)`` of the text `lowered` was made from.
    func mayMatch(_ lowered: Lowered) -> Bool {
        guard let bytes = lowered.bytes else { return true }
        return bytes.withUnsafeBufferPointer { admits($0) }
    }

    /// The parts of `text` between cuts (see ``UTF8Text/isCut(_:)``) that may hold a match,
    /// joined by full stops, so that the expression runs over a fraction of a long text; nil
    /// when no part may hold one. Parts for which `wordsApart` holds are cut at spaces too.
    ///
    /// Only for expressions whose matches hold no cut (nor, in parts `wordsApart` admits, a
    /// space), that are not anchored, and that look no further around a match than `\b` or
    /// a look-ahead for letters: a cut, a space and a full stop are neither letters nor word
    /// characters, so the expression finds the same matches, in the same order, in the
    /// result as in `text` (at other offsets).
    func searchedParts(
        of text: String, wordsApart: (UnsafeBufferPointer<UInt8>) -> Bool = { _ in false }
    ) -> String? {
        var text = text
        return text.withUTF8 { utf8 -> String? in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: utf8.count) { buffer in
                // Lowering keeps every byte where it is, so the parts are cut from the text
                // and checked on the lowered bytes at the same offsets.
                guard let n = GuardedPattern.lower(utf8, into: buffer) else {
                    return String(decoding: utf8, as: UTF8.self)
                }
                let lowered = UnsafeBufferPointer(rebasing: buffer[..<n])
                var kept: [UInt8] = []
                func keep(_ range: Range<Int>) {
                    if !kept.isEmpty { kept.append(UInt8(ascii: ".")) }
                    kept.append(contentsOf: utf8[range])
                }
                func admits(_ range: Range<Int>) -> Bool {
                    self.admits(UnsafeBufferPointer(rebasing: lowered[range]))
                }
                var start = 0
                for end in 0...n where end == n || UTF8Text.isCut(lowered[end]) {
                    let part = start..<end
                    start = end + 1
                    guard admits(part) else { continue }
                    guard wordsApart(UnsafeBufferPointer(rebasing: utf8[part])) else {
                        keep(part)
                        continue
                    }
                    var wordStart = part.lowerBound
                    for wordEnd in part.lowerBound...part.upperBound
                    where wordEnd == part.upperBound || lowered[wordEnd] == UInt8(ascii: " ") {
                        let word = wordStart..<wordEnd
                        wordStart = wordEnd + 1
                        if admits(word) { keep(word) }
                    }
                }
                return kept.isEmpty ? nil : String(decoding: kept, as: UTF8.self)
            }
        }
    }

    /// Whether lowered text holds a literal of every group.
    private func admits(_ haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        required.allSatisfy { group in
            group.contains { GuardedPattern.contains(haystack, needle: $0) }
        }
    }

    /// Writes `utf8` with ASCII and Latin-1 capitals lowered into `lowered` (as long as
    /// `utf8` at least) and returns the count written; nil when another scalar of it changes
    /// under case folding, so that the check cannot be made.
    private static func lower(
        _ utf8: UnsafeBufferPointer<UInt8>, into lowered: UnsafeMutableBufferPointer<UInt8>
    ) -> Int? {
        var n = 0
        var i = 0
        while i < utf8.count {
            let byte = utf8[i]
            if byte < 0x80 {
                lowered[n] = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
                n += 1
                i += 1
                continue
            }
            let width = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
            var value = UInt32(byte) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
            for k in 1..<width { value = value << 6 | UInt32(utf8[i + k] & 0x3F) }
            if value >= 0xC0 && value <= 0xDE && value != 0xD7 {
                // Latin-1 capitals fold to their small letters, 0x20 further on.
                lowered[n] = 0xC3
                lowered[n + 1] = utf8[i + 1] + 0x20
                n += 2
            } else if GuardedPattern.changesWhenCaseFolded(value) {
                return nil
            } else {
                for k in 0..<width { lowered[n + k] = utf8[i + k] }
                n += width
            }
            i += width
        }
        return n
    }

    /// `Unicode.Scalar.Properties.changesWhenCaseFolded`, from a table below U+3000 (the
    /// property lookup is slow to make for every dash and quote).
    private static func changesWhenCaseFolded(_ value: UInt32) -> Bool {
        if value < 0x3000 { return foldingScalars[Int(value)] }
        return Unicode.Scalar(value)?.properties.changesWhenCaseFolded ?? false
    }

    private static let foldingScalars: [Bool] = (0..<0x3000).map { value in
        Unicode.Scalar(UInt32(value))?.properties.changesWhenCaseFolded ?? false
    }

    /// Whether `needle` occurs in `haystack` (both short: a sentence and a word).
    private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, needle: [UInt8])
        -> Bool
    {
        needle.withUnsafeBufferPointer { UTF8Text.contains(haystack, $0) }
    }
}

extension StringProtocol {
    /// Foundation's `contains(_:)` for a text (a search that keeps composed characters
    /// whole), answered by a plain UTF-8 search when the needle is ASCII and the text has no
    /// scalar that combines with the one before it (see ``UTF8Text/searchesLikeBytes(_:)``),
    /// where the two agree, instead of bridging to NSString: the structure stage tests cue
    /// words this way on every unit and sentence.
    func includes(_ other: String) -> Bool {
        let fast = utf8.withContiguousStorageIfAvailable { haystack -> Bool? in
            var needle = other
            return needle.withUTF8 { needle -> Bool? in
                guard !needle.isEmpty else { return false }  // Foundation finds no ""
                guard needle.allSatisfy({ $0 < 0x80 }), UTF8Text.searchesLikeBytes(haystack)
                else { return nil }
                return UTF8Text.contains(haystack, needle)
            }
        }
        if let fast, let answer = fast { return answer }
        return contains(other)
    }

    /// `split(separator: " ").count`, counted on the UTF-8 bytes when every space is a
    /// character of its own (see ``UTF8Text/searchesLikeBytes(_:)``), instead of walking
    /// grapheme clusters: the rules count the words of nearly every unit and sentence.
    var wordCount: Int {
        let fast = utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            guard UTF8Text.searchesLikeBytes(bytes) else { return nil }
            var count = 0
            var inWord = false
            for byte in bytes {
                if byte == 0x20 {
                    inWord = false
                } else if !inWord {
                    inWord = true
                    count += 1
                }
            }
            return count
        }
        if let fast, let count = fast { return count }
        return split(separator: " ").count
    }
}

/// Byte-level tests on valid UTF-8 text.
enum UTF8Text {
    /// Whether `needle` occurs in `haystack` byte for byte (an empty needle does): the C
    /// library's `memchr` finds each candidate first byte, `memcmp` compares the rest.
    static func contains(
        _ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        guard let n = needle.baseAddress, !needle.isEmpty else { return true }
        guard needle.count <= haystack.count, let h = haystack.baseAddress else { return false }
        let first = Int32(n.pointee)
        let rest = needle.count - 1
        var start = h
        // The last position a match can start at.
        let last = h + (haystack.count - needle.count)
        while start <= last {
            guard let hit = memchr(start, first, last - start + 1) else { return false }
            let p = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
            if rest == 0 || memcmp(p + 1, n + 1, rest) == 0 { return true }
            start = p + 1
        }
        return false
    }

    /// ASCII punctuation where ``GuardedPattern/searchedParts(of:wordsApart:)`` cuts a text:
    /// no word character for `\b`, and in none of the body and firm names it is used for.
    static func isCut(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "?"), UInt8(ascii: "!"), UInt8(ascii: "\""),
            UInt8(ascii: "|"):
            return true
        default: return false
        }
    }

    /// Whether `text` may open with a `\d` of an expression: its first byte is an ASCII
    /// digit or opens a non-ASCII scalar (`\d` takes every decimal digit). A check to make
    /// before running a pattern anchored on a leading number over every paragraph.
    static func mayOpenWithDigit(_ text: String) -> Bool {
        guard let first = text.utf8.first else { return false }
        return (0x30...0x39).contains(first) || first >= 0x80
    }

    /// Whether every scalar is below the combining diacritics (U+0300) or in the blocks of
    /// punctuation (after the zero-width and direction controls), superscripts, currency,
    /// letterlike signs, arrows, shapes and dingbats: then no scalar joins a composed
    /// character with the one before it, every scalar is a character of its own (CR LF
    /// aside), and an ASCII needle is found where its bytes are.
    ///
    /// Read from the lead bytes: two-byte scalars below U+0300 lead with 0xC2...0xCB, and
    /// the allowed blocks above lie in U+2000...U+2FFF, which lead with 0xE2.
    static func searchesLikeBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte < 0xCC {
                // ASCII, a lead byte of a scalar below U+0300, or a continuation byte.
                i += 1
                continue
            }
            guard byte == 0xE2, i + 2 < bytes.count else { return false }
            let value = 0x2000 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
            switch value {
            case 0x2010..<0x2028, 0x2030..<0x20D0, 0x2100..<0x2800: i += 3
            default: return false
            }
        }
        return true
    }
}

extension StringProtocol {
    /// `trimmingCharacters(in: .whitespaces)`, without a trip through Foundation when neither
    /// end is white space (nearly always: units are trimmed when made).
    func trimmedOfWhitespace() -> String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else {
            return trimmingCharacters(in: .whitespaces)
        }
        func isWhitespace(_ s: Unicode.Scalar) -> Bool {
            s.isASCII ? s == " " || s == "\t" : CharacterSet.whitespaces.contains(s)
        }
        if !isWhitespace(first) && !isWhitespace(last) { return String(self) }
        return trimmingCharacters(in: .whitespaces)
    }
}
