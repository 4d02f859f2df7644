import Foundation

/// Finds running headers, footers and page numbers by repetition across pages.
///
/// Lines in the top and bottom bands of each page are keyed with digits masked
/// ("Sida 3 av 18" → "sida # av #") and case and spaces folded; a key found on enough pages
/// is furniture. Stand-alone page numbers ("3", "- 3 -", "3 (18)", "Sida 3") in a band are
/// furniture even without repetition.
public struct FurnitureDetector: Sendable {
    /// How many lines from the top and the bottom of a page count as the bands.
    public var bandLines: Int = 3
    /// Share of pages a key must be found on (at least two pages).
    public var minimumShare: Double = 0.3

    public init() {}

    /// Removed lines per page index: line index → furniture.
    public struct Result: Sendable {
        public var removedLines: [Int: [Int: Furniture]]
    }

    /// A line offered to the detector, with its position on the page.
    public struct Line: Sendable {
        public var text: String
        public var bbox: BoundingBox?
        public init(text: String, bbox: BoundingBox? = nil) {
            self.text = text
            self.bbox = bbox
        }
    }

    /// Detects furniture in pages given as plain lines in reading order.
    public func detect(pages: [[String]]) -> Result {
        detect(pages: pages.map { $0.map { Line(text: $0) } }, pageHeights: nil)
    }

    /// Detects furniture; with `pageHeights`, bands are also limited to the top and bottom
    /// 12 % of the page.
    public func detect(pages: [[Line]], pageHeights: [Double]?) -> Result {
        // Candidate (page, line, position) triples.
        var candidates: [(page: Int, line: Int, position: Furniture.Position, key: String)] = []
        for (p, lines) in pages.enumerated() {
            let nonEmpty = lines.indices.filter { !lines[$0].text.trimmingSpaces().isEmpty }
            // Without geometry, bands are narrower: two lines.
            let band = pageHeights == nil ? min(2, bandLines) : bandLines
            let top = nonEmpty.prefix(band)
            let bottom = nonEmpty.suffix(band)
            for i in top where inBand(lines[i], .header, pageHeights?[p]) {
                candidates.append((p, i, .header, FurnitureDetector.key(lines[i].text)))
            }
            for i in bottom where !top.contains(i) {
                if inBand(lines[i], .footer, pageHeights?[p]) {
                    candidates.append((p, i, .footer, FurnitureDetector.key(lines[i].text)))
                }
            }
        }
        var pagesPerKey: [String: Set<Int>] = [:]
        // Running headers are short; a long line repeated on every page is body text.
        candidates.removeAll { c in
            c.key.split(separator: " ").count > 20
                && !FurnitureDetector.isPageNumber(pages[c.page][c.line].text)
        }
        for c in candidates { pagesPerKey["\(c.position):\(c.key)", default: []].insert(c.page) }
        let needed = max(2, Int((Double(pages.count) * minimumShare).rounded(.up)))
        // OCR misreads page numbers ("PwC a1" for "PwC 11"): a line is also furniture when,
        // without its number-like tokens, it reads like a line that does repeat exactly.
        var repeatedLooseKeys: Set<String> = []
        for (positionedKey, pagesOfKey) in pagesPerKey where pagesOfKey.count >= needed {
            let parts = positionedKey.split(separator: ":", maxSplits: 1)
            if parts.count == 2, let loose = FurnitureDetector.looseKey(String(parts[1])) {
                repeatedLooseKeys.insert("\(parts[0]):\(loose)")
            }
        }
        var removed: [Int: [Int: Furniture]] = [:]
        for c in candidates {
            let text = pages[c.page][c.line].text.trimmingSpaces()
            let isNumber = FurnitureDetector.isPageNumber(text)
            // The number may also be missing altogether ("PwC").
            let looseRepeated = repeatedLooseKeys.contains(
                "\(c.position):\(FurnitureDetector.looseKey(c.key) ?? c.key)")
            let repeated =
                (pagesPerKey["\(c.position):\(c.key)"]?.count ?? 0) >= needed || looseRepeated
            guard (repeated && pages.count >= 2) || isNumber else { continue }
            removed[c.page, default: [:]][c.line] = Furniture(
                text: text, position: c.position, bbox: pages[c.page][c.line].bbox,
                isPageNumber: isNumber || text.last?.isNumber == true && c.key.hasSuffix("#"))
        }
        // Without pages (one long text), stand-alone numbers between paragraphs are page numbers.
        if pages.count == 1 {
            let lines = pages[0]
            for i in lines.indices
            where FurnitureDetector.isPageNumber(lines[i].text.trimmingSpaces()) {
                let before = i == 0 || lines[i - 1].text.trimmingSpaces().isEmpty
                let after = i == lines.count - 1 || lines[i + 1].text.trimmingSpaces().isEmpty
                if before && after {
                    removed[0, default: [:]][i] = Furniture(
                        text: lines[i].text.trimmingSpaces(), position: .footer, bbox: nil,
                        isPageNumber: true)
                }
            }
        }
        return Result(removedLines: removed)
    }

    private func inBand(_ line: Line, _ position: Furniture.Position, _ height: Double?) -> Bool {
        guard let height, height > 0, let box = line.bbox else { return true }
        switch position {
        case .header: return box.y1 <= height * 0.12
        case .footer: return box.y0 >= height * 0.88
        }
    }

    /// For short lines (at most four tokens) that hold a number-like token (a masked number
    /// or a short token with other signs, as OCR reads page numbers): the remaining words —
    /// "pwc #", "pwc a#" and "pwc alk}" → "pwc".
    static func looseKey(_ key: String) -> String? {
        let tokens = key.split(separator: " ")
        guard tokens.count <= 4 else { return nil }
        let numberLike = { (t: Substring) in
            t.contains("#") || (t.count <= 4 && !t.allSatisfy(\.isLetter))
        }
        let words = tokens.filter { !numberLike($0) }
        guard !words.isEmpty, words.count < tokens.count else { return nil }
        return words.joined(separator: " ")
    }

    /// The repetition key: digits masked, case and spaces folded.
    static func key(_ text: String) -> String {
        var out = ""
        var lastWasDigit = false
        for c in text.lowercased() {
            if c.isNumber {
                if !lastWasDigit { out.append("#") }
                lastWasDigit = true
            } else {
                lastWasDigit = false
                if c.isWhitespace {
                    if out.last != " " { out.append(" ") }
                } else {
                    out.append(c)
                }
            }
        }
        return out.trimmingSpaces()
    }

    private static let pageNumberPattern = try! NSRegularExpression(
        pattern: #"^(sida |page |s\. )?[-–(]? ?\d{1,4} ?[-–)]?( ?(av|of|/|\() ?\d{1,4}\)?)?$"#)

    /// "3", "- 3 -", "3 (18)", "3/18", "Sida 3", "Sida 3 av 18", "Page 3 of 18".
    static func isPageNumber(_ text: String) -> Bool {
        guard text.utf8.count <= 24, text.contains(where: \.isNumber) else { return false }
        let t = text.lowercased().trimmingSpaces()
        guard !t.isEmpty, t.count <= 16 else { return false }
        let range = NSRange(t.startIndex..., in: t)
        return pageNumberPattern.firstMatch(in: t, range: range) != nil
    }
}
