import Foundation

/// The text comparisons the labelled-sample spec (`docs/labelled-samples.md`, "Scoring")
/// prescribes: word tokens, the similarity used to match predicted items to gold items, and
/// the word error rate of cleaned text.
public enum TextComparison {
    /// The threshold at which a predicted item matches a gold item.
    public static let matchThreshold = 0.8

    /// Word tokens of `text` for matching: NFC, full case folding, then ``words(_:)``.
    public static func matchTokens(_ text: String) -> [String] {
        words(ICU.caseFolded(ICU.normalize(text)))
    }

    /// Word tokens of `text` exactly as written (NFC, case kept): maximal runs of word
    /// characters — letters, combining marks and digits (also ¹ ² …). Everything else
    /// separates words and does not count: spaces, punctuation, dashes and hyphens,
    /// bullets, `|`, Markdown `#` marks. So "t.ex." is "t" "ex" and "2022-09-15" three
    /// numbers, whichever way a text spaces or punctuates them; ICU's word segments would
    /// keep "3.2" or "t.ex" whole and let a full stop decide a match.
    public static func words(_ text: String) -> [String] {
        var result: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in ICU.normalize(text).unicodeScalars {
            if isWordCharacter(scalar) {
                current.append(scalar)
            } else if !current.isEmpty {
                result.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { result.append(String(current)) }
        return result
    }

    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber,
            .otherNumber:
            return true
        default:
            return false
        }
    }

    /// Word-level similarity of two texts in 0...1, after ``matchTokens(_:)``.
    ///
    /// Defined as the Dice coefficient of the longest common subsequence of word tokens,
    /// `2·LCS(a, b) / (|a| + |b|)`: it keeps word order (unlike a bag of words), is 1 for
    /// texts that differ only in case, spacing or punctuation, and falls linearly with each
    /// missing, extra or misspelt word. Two texts without words are identical (1); one
    /// without words is unlike any other (0).
    public static func similarity(_ a: String, _ b: String) -> Double {
        similarity(tokens: matchTokens(a), matchTokens(b))
    }

    /// ``similarity(_:_:)`` over already tokenised texts.
    public static func similarity(tokens a: [String], _ b: [String]) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        return 2 * Double(longestCommonSubsequence(a, b)) / Double(a.count + b.count)
    }

    /// Length of the longest common subsequence, by the two-row dynamic programme.
    static func longestCommonSubsequence(_ a: [String], _ b: [String]) -> Int {
        var previous = [Int](repeating: 0, count: b.count + 1)
        var current = previous
        for x in a {
            for (j, y) in b.enumerated() {
                current[j + 1] = x == y ? previous[j] + 1 : max(previous[j + 1], current[j])
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// Text folded for exact comparison of short fields (metadata): NFC, runs of white space
    /// as one space, no leading or trailing space. Case and punctuation are kept.
    public static func foldedForExactMatch(_ text: String) -> String {
        ICU.normalize(text).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The word-level Levenshtein distance (substitutions, deletions and insertions, each
    /// costing 1) between two token sequences.
    ///
    /// Cleaned texts run to about 7 000 words, so this avoids the full n·m table: after
    /// trimming the common prefix and suffix, it runs Ukkonen's banded algorithm, computing
    /// only cells within `k` of the diagonal with two rows, and doubles `k` until the
    /// distance found is at most `k` — then no cheaper path can leave the band, so the
    /// distance is exact. The first band is a lower bound of the distance, so inputs that
    /// differ mostly by substitutions (OCR) take one or two passes. The cost is O(n·d) for
    /// a distance d, O(n·m) at worst.
    public static func editDistance(_ a: [String], _ b: [String]) -> Int {
        var ids: [String: Int32] = [:]
        func intern(_ s: String) -> Int32 {
            if let id = ids[s] { return id }
            let id = Int32(ids.count)
            ids[s] = id
            return id
        }
        let x = a.map(intern)
        let y = b.map(intern)
        return editDistance(ids: x, y)
    }

    /// ``editDistance(_:_:)`` over interned tokens.
    static func editDistance(ids a: [Int32], _ b: [Int32]) -> Int {
        var start = 0
        while start < a.count && start < b.count && a[start] == b[start] { start += 1 }
        var endA = a.count
        var endB = b.count
        while endA > start && endB > start && a[endA - 1] == b[endB - 1] {
            endA -= 1
            endB -= 1
        }
        let x = Array(a[start..<endA])
        let y = Array(b[start..<endB])
        if x.isEmpty || y.isEmpty { return max(x.count, y.count) }
        // Every aligned match pairs two equal tokens, so the distance is at least the longer
        // length minus the tokens both share (as multisets): a good first band.
        var counts: [Int32: Int] = [:]
        for t in x { counts[t, default: 0] += 1 }
        var shared = 0
        for t in y {
            if let c = counts[t], c > 0 {
                counts[t] = c - 1
                shared += 1
            }
        }
        var band = max(max(x.count, y.count) - shared, 32)
        while true {
            let distance = bandedDistance(x, y, band: band)
            if distance <= band || band >= max(x.count, y.count) { return distance }
            band *= 2
        }
    }

    /// Levenshtein distance computed only for cells with |i − j| ≤ `band`; cells outside
    /// count as unreachable, so the result is exact whenever it is at most `band`.
    private static func bandedDistance(_ a: [Int32], _ b: [Int32], band: Int) -> Int {
        let n = a.count
        let m = b.count
        let unreachable = Int32.max / 2
        var previous = [Int32](repeating: unreachable, count: m + 2)
        var current = previous
        for j in 0...min(m, band) { previous[j] = Int32(j) }
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for i in 1...n {
                    let low = max(1, i - band)
                    let high = min(m, i + band)
                    current.withUnsafeMutableBufferPointer { cur in
                        previous.withUnsafeBufferPointer { prev in
                            cur[low - 1] = low == 1 ? Int32(i) : unreachable
                            if low <= high {
                                let ai = a[i - 1]
                                // Plain comparisons, not `min`: unoptimised builds call the
                                // generic (and variadic, allocating) `min` for every cell.
                                for j in low...high {
                                    var best = prev[j - 1] + (ai == b[j - 1] ? 0 : 1)
                                    let deletion = prev[j] + 1
                                    if deletion < best { best = deletion }
                                    let insertion = cur[j - 1] + 1
                                    if insertion < best { best = insertion }
                                    cur[j] = best
                                }
                            }
                            // The next row reads one cell further right: clear what an
                            // older row left there.
                            if high + 1 <= m { cur[high + 1] = unreachable }
                        }
                    }
                    swap(&previous, &current)
                }
            }
        }
        return Int(min(previous[m], unreachable))
    }

    /// Whether a word carries one of the diacritics OCR loses in Swedish: å, ä, ö or é
    /// (either case).
    public static func hasSwedishDiacritic(_ word: String) -> Bool {
        word.unicodeScalars.contains { diacriticScalars.contains($0) }
    }

    private static let diacriticScalars: Set<Unicode.Scalar> = [
        "å", "ä", "ö", "é", "Å", "Ä", "Ö", "É",
    ]
}
