import Foundation

/// Folded comparison keys and word tokens for cue matching.
///
/// Scanned inputs lose diacritics and confuse `o` with `6`, so cues are matched on a key that
/// is lower-cased, stripped of marks and has digit look-alikes inside words mapped back to
/// letters. Keys are for matching only; output text is always the document's own.
public enum TextKey {
    /// "Bedömning" → "bedomning"; "bed6ma" → "bedoma". Keeps length-independent structure
    /// (spaces and punctuation) so regular expressions written on keys still apply.
    public static func fold(_ text: String) -> String {
        FoldTable.shared.fold(text) ?? foldScalarByScalar(text)
    }

    /// ``fold(_:)`` by its definition: lower-casing, mark stripping, then the digit rule.
    /// ``FoldTable`` gives the same result from per-scalar tables where it can.
    static func foldScalarByScalar(_ text: String) -> String {
        // OCR of Swedish reads "ö" as "é" far more often than Swedish writes "é".
        let stripped = stripLatinMarks(text.lowercased())
        guard stripped.contains(where: { $0 == "6" || $0 == "0" }) else { return stripped }
        var result = ""
        result.reserveCapacity(stripped.count)
        let chars = Array(stripped)
        for (i, c) in chars.enumerated() {
            if c == "6" || c == "0" {
                let before = i > 0 && chars[i - 1].isLetter
                let after = i + 1 < chars.count && chars[i + 1].isLetter
                let afterDigit = i > 0 && chars[i - 1].isNumber
                if digitReadsAsO(c == "6", before: before, after: after, afterDigit: afterDigit) {
                    result.append("o")
                    continue
                }
            }
            result.append(c)
        }
        return result
    }

    /// Whether a "6" or "0" inside a word is OCR's "o": between letters, or a "6" after a
    /// letter, or a "6" before one that does not end a number.
    @inline(__always)
    static func digitReadsAsO(_ isSix: Bool, before: Bool, after: Bool, afterDigit: Bool)
        -> Bool
    {
        before && after || (before && isSix) || (isSix && after && !afterDigit)
    }

    /// Lower-case Latin-1 letters with marks, mapped to their base letter ("é" to "ö" first).
    static let latinBase: [UInt32: Unicode.Scalar] = {
        var map: [UInt32: Unicode.Scalar] = [:]
        let groups: [(String, Unicode.Scalar)] = [
            ("àáâãäåā", "a"), ("ç", "c"), ("èêëē", "e"), ("é", "o"), ("ìíîïī", "i"), ("ñ", "n"),
            ("òóôõöøō", "o"), ("ùúûüū", "u"), ("ýÿ", "y"),
        ]
        for (letters, base) in groups { for s in letters.unicodeScalars { map[s.value] = base } }
        return map
    }()

    /// Strips marks from lower-case text: a table for the Latin letters Swedish text uses,
    /// ICU for anything else (and for decomposed input).
    static func stripLatinMarks(_ lowered: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in lowered.unicodeScalars {
            if scalar.value < 0x80 {
                out.append(scalar)
            } else if let base = latinBase[scalar.value] {
                out.append(base)
            } else if scalar.properties.generalCategory == .nonspacingMark || scalar.value >= 0x250
            {
                return ICU.strippingMarks(lowered.replacingOccurrences(of: "é", with: "ö"))
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Word tokens as the scoring rule sees them: NFC, case-folded, runs of letters and digits.
    public static func words(_ text: String) -> [String] {
        let folded =
            text.unicodeScalars.allSatisfy({ $0.value < 0x250 })
            ? text.lowercased() : ICU.caseFolded(ICU.normalize(text))
        // Each word is cut from the text at once, not appended scalar by scalar.
        var words: [String] = []
        let scalars = folded.unicodeScalars
        var start: String.Index? = nil
        var i = scalars.startIndex
        while i < scalars.endIndex {
            if isWordScalar(scalars[i]) {
                if start == nil { start = i }
            } else if let s = start {
                words.append(String(scalars[s..<i]))
                start = nil
            }
            i = scalars.index(after: i)
        }
        if let s = start { words.append(String(scalars[s..<scalars.endIndex])) }
        return words
    }

    /// Membership in `CharacterSet.alphanumerics` of the scalars below U+0250, looked up
    /// once: the Foundation set is slow to ask scalar by scalar.
    private static let alphanumericBelow0250: [Bool] = (0..<0x250).map { value in
        Unicode.Scalar(UInt32(value)).map { CharacterSet.alphanumerics.contains($0) } ?? false
    }

    /// Whether a scalar belongs to a word token: a letter or digit (as Foundation's
    /// `alphanumerics` has them), or "_".
    @inline(__always)
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x250 { return alphanumericBelow0250[Int(scalar.value)] || scalar == "_" }
        return CharacterSet.alphanumerics.contains(scalar)
    }

    /// Word tokens of the folded key (marks stripped), for tolerant comparison.
    public static func foldedWords(_ text: String) -> [String] {
        words(fold(text))
    }

    /// Dice similarity of two word multisets, 0...1.
    public static func similarity(_ a: [String], _ b: [String]) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        var counts: [String: Int] = [:]
        for w in a { counts[w, default: 0] += 1 }
        var common = 0
        for w in b {
            if let n = counts[w], n > 0 {
                common += 1
                counts[w] = n - 1
            }
        }
        return 2 * Double(common) / Double(a.count + b.count)
    }

    /// Similarity of two texts on folded words.
    public static func similarity(_ a: String, _ b: String) -> Double {
        similarity(foldedWords(a), foldedWords(b))
    }

    /// Similarity on folded words where a word also matches a near miss (edit distance at
    /// most a quarter of its length): OCR repeats of one sentence differ in a letter or two
    /// per word ("sociaInaémnden", "socialnämnden"), and deduplication must see them as one.
    public static func tolerantSimilarity(_ a: String, _ b: String) -> Double {
        tolerantSimilarity(
            words: recentFoldedWords.value(for: a, foldedWords),
            recentFoldedWords.value(for: b, foldedWords))
    }

    /// Whether ``tolerantSimilarity(_:_:)`` is at least `threshold`. Deduplication asks this
    /// of every pair of goals, questions, recommendations and titles, and most pairs differ
    /// in length too much to reach it: no two word lists share more words than the shorter
    /// one has, so the length ratio bounds the similarity and their words are not compared.
    public static func isTolerantlySimilar(_ a: String, _ b: String, atLeast threshold: Double)
        -> Bool
    {
        let x = recentFoldedWords.value(for: a, foldedWords)
        let y = recentFoldedWords.value(for: b, foldedWords)
        if !x.isEmpty, !y.isEmpty,
            2 * Double(min(x.count, y.count)) / Double(x.count + y.count) < threshold
        {
            return false
        }
        return tolerantSimilarity(words: x, y) >= threshold
    }

    private static func tolerantSimilarity(words x: [String], _ y: [String]) -> Double {
        if x.isEmpty || y.isEmpty { return x.isEmpty && y.isEmpty ? 1 : 0 }
        // Texts of very different lengths, or with few words in common, cannot be repeats.
        let exact = similarity(x, y)
        if exact >= 0.95 || 2 * Double(min(x.count, y.count)) / Double(x.count + y.count) < 0.7
            || exact < 0.4
        {
            return exact
        }
        var used = [Bool](repeating: false, count: y.count)
        var common = 0
        for w in x {
            if let k = y.indices.first(where: { !used[$0] && y[$0] == w })
                ?? y.indices.first(where: { !used[$0] && nearMiss(w, y[$0]) })
            {
                used[k] = true
                common += 1
            }
        }
        return 2 * Double(common) / Double(x.count + y.count)
    }

    /// Folded words of recently compared texts: deduplication compares each goal, question,
    /// recommendation and TOC title with every earlier one, so the same texts are folded over
    /// and over.
    private static let recentFoldedWords = TextMemo<[String]>(capacity: 4096)

    static func nearMiss(_ a: String, _ b: String) -> Bool {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        let limit = max(x.count, y.count) / 4
        guard limit >= 1, abs(x.count - y.count) <= limit, x.first == y.first || x.last == y.last
        else { return false }
        var previous = Array(0...y.count)
        for i in 1...x.count {
            var current = [i] + [Int](repeating: 0, count: y.count)
            var rowMin = i
            for j in 1...max(1, y.count) where j <= y.count {
                current[j] = min(
                    previous[j] + 1, current[j - 1] + 1,
                    previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                rowMin = min(rowMin, current[j])
            }
            if rowMin > limit { return false }
            previous = current
        }
        return previous[y.count] <= limit
    }

    /// Upper-cases the first letter (Swedish rules), leaving the rest as written.
    public static func capitalizingFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return ICU.uppercased(String(first)) + text.dropFirst()
    }
}
