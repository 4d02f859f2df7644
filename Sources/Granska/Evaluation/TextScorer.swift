import Foundation

/// Scores cleaned text against `ID.gold.txt`.
public enum TextScorer {
    /// Word accuracy and diacritic word accuracy of `output` against `gold`.
    ///
    /// Both texts are split into word tokens by ``TextComparison/words(_:)`` (NFC, case
    /// kept; punctuation, bullets, `|` and heading marks are not words). Word errors are the
    /// word-level Levenshtein distance, so 1 − WER counts a misspelt word once, a missing or
    /// extra word once.
    ///
    /// Diacritic word accuracy is a multiset match, not positional: each gold word with å,
    /// ä, ö or é counts as found while the output still has an unused occurrence of the same
    /// word, compared case-insensitively so that only the diacritics (not a capital at a
    /// sentence start) decide. A multiset does not need the alignment and is not thrown off
    /// by reading-order differences elsewhere; it can credit a word found at another place,
    /// which for words this common barely matters.
    public static func score(output: String, gold: String) -> TextScore {
        let outputWords = TextComparison.words(output)
        let goldWords = TextComparison.words(gold)
        let errors = TextComparison.editDistance(outputWords, goldWords)

        var available: [String: Int] = [:]
        for word in outputWords where TextComparison.hasSwedishDiacritic(word) {
            available[ICU.caseFolded(word), default: 0] += 1
        }
        var diacriticWords = 0
        var found = 0
        for word in goldWords where TextComparison.hasSwedishDiacritic(word) {
            diacriticWords += 1
            let key = ICU.caseFolded(word)
            if let n = available[key], n > 0 {
                available[key] = n - 1
                found += 1
            }
        }
        return TextScore(
            goldWords: goldWords.count, wordErrors: errors, diacriticWords: diacriticWords,
            diacriticWordsFound: found)
    }

    /// The most frequent word confusions of `output` against `gold`, most frequent first:
    /// aligned words that differ (often only by diacritics or case), and words paired one
    /// to one in a gap of equally many unaligned words on each side (see
    /// ``SequenceAlignment/words(_:_:)``). For people tuning repair; not part of any score.
    public static func confusions(output: String, gold: String, limit: Int = 20)
        -> [Confusion]
    {
        let outputWords = TextComparison.words(output)
        let goldWords = TextComparison.words(gold)
        var counts: [Confusion.Pair: Int] = [:]
        func count(_ g: Int, _ o: Int) {
            if goldWords[g] != outputWords[o] {
                counts[Confusion.Pair(gold: goldWords[g], output: outputWords[o]), default: 0] += 1
            }
        }
        for step in SequenceAlignment.words(goldWords, outputWords).steps {
            switch step {
            case .aligned(let g, let o): count(g, o)
            case .gap(let g, let o) where g.count == o.count: zip(g, o).forEach(count)
            case .gap: break
            }
        }
        return counts.map { Confusion(gold: $0.key.gold, output: $0.key.output, count: $0.value) }
            .sorted { ($1.count, $0.gold, $0.output) < ($0.count, $1.gold, $1.output) }
            .prefix(limit).map { $0 }
    }
}

/// A gold word the output writes otherwise, and how often.
public struct Confusion: Codable, Hashable, Sendable {
    struct Pair: Hashable {
        var gold: String
        var output: String
    }

    public var gold: String
    public var output: String
    public var count: Int

    public init(gold: String, output: String, count: Int) {
        self.gold = gold
        self.output = output
        self.count = count
    }
}
