import Foundation

/// Scores the repair of a text input line by line against `ID.repaired.txt`.
///
/// The gold has the input's lines with only misread words changed, but the pipeline's
/// output is paragraphs: layout joins lines, drops running headers and page numbers and
/// mends line-break hyphens. So the output's words are first carried back to the input's
/// lines by aligning the input's words with the output's (see ``projectOntoLines``); then
/// every line is compared with its gold line word by word.
public enum RepairScorer {
    /// The failure to score: input and gold do not have the same lines.
    public struct LineCountMismatch: Error, CustomStringConvertible, Sendable {
        public var inputLines: Int
        public var goldLines: Int
        public var description: String {
            "input has \(inputLines) lines but the repaired gold has \(goldLines)"
        }
    }

    /// Scores `output` (the pipeline's text) for the text input `input` against the
    /// line-by-line gold `repaired`.
    ///
    /// Per line, the output's words and the input's words are each aligned with the gold
    /// line's words (longest common subsequence; exact words, NFC, case kept), so a word
    /// the repair inserted where OCR read a glyph as punctuation ("|" for "I") does not
    /// shift the rest of the line. A gold word is right when its alignment pairs it with an
    /// equal word.
    public static func score(input: String, output: String, repaired: String) throws
        -> RepairScore
    {
        let inputLines = lines(input)
        let goldLines = lines(repaired)
        guard inputLines.count == goldLines.count else {
            throw LineCountMismatch(inputLines: inputLines.count, goldLines: goldLines.count)
        }
        let inputWords = inputLines.map(TextComparison.words)
        let projected = projectOntoLines(
            inputLines: inputLines, inputWords: inputWords,
            outputWords: TextComparison.words(output))

        var score = RepairScore(words: 0, correct: 0, correctInInput: 0, broken: 0, fixed: 0)
        for (k, goldLine) in goldLines.enumerated() {
            let gold = TextComparison.words(goldLine)
            let rightInInput = matchedPositions(of: gold, in: inputWords[k])
            let rightInOutput = matchedPositions(of: gold, in: projected[k])
            score.words += gold.count
            score.correct += rightInOutput.count
            score.correctInInput += rightInInput.count
            score.broken += rightInInput.subtracting(rightInOutput).count
            score.fixed += rightInOutput.subtracting(rightInInput).count
        }
        return score
    }

    /// Lines as `ID.repaired.txt` counts them: split at line feeds, a final line feed
    /// ending the last line rather than starting an empty one.
    static func lines(_ text: String) -> [String] {
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.hasSuffix("\r") ? $0.dropLast() : $0)
        }
        if result.last == "" { result.removeLast() }
        return result
    }

    /// Positions in `gold` paired with an equal word by a longest common subsequence with
    /// `words` (lines are short, so the full table is cheap).
    static func matchedPositions(of gold: [String], in words: [String]) -> Set<Int> {
        guard !gold.isEmpty, !words.isEmpty else { return [] }
        let n = gold.count
        let m = words.count
        var table = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] =
                    gold[i] == words[j]
                    ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var matched = Set<Int>()
        var i = 0
        var j = 0
        while i < n && j < m {
            if gold[i] == words[j] {
                matched.insert(i)
                i += 1
                j += 1
            } else if table[i + 1][j] >= table[i][j + 1] {
                i += 1
            } else {
                j += 1
            }
        }
        return matched
    }

    /// For every input line, the output words that stand for it.
    ///
    /// The input's and the output's word sequences are aligned by ``SequenceAlignment/words(_:_:)`` (a
    /// minimal diff on a loose key), so a repaired diacritic ("fatt" → "fått") still
    /// aligns and goes to its input word's line. Between two aligned words lies a gap of
    /// removed input words and inserted output words:
    /// - as many of each: they pair in order (a repair of each word);
    /// - the same letters once concatenated: layout joined or split words (a line-break
    ///   hyphen mended), not a repair: the input words stand;
    /// - the same number of characters: the output's letters are cut at the input words'
    ///   lengths (a join plus a same-length repair such as a restored diacritic);
    /// - otherwise they pair in order; input words left over stand (no output word was
    ///   written in their place, which is what layout does with furniture it drops), and
    ///   output words left over join the line of the gap's last input word.
    /// An output word with no input word in its gap (a repair that reads a word where OCR
    /// saw punctuation) joins the line of its neighbours; between two lines, the line whose
    /// edge holds a non-word glyph it could have been read from, else the later line.
    ///
    /// An output without any words (the pipeline failed) stands for nothing: every line
    /// projects to no words, so nothing counts as right.
    static func projectOntoLines(
        inputLines: [String], inputWords: [[String]], outputWords: [String]
    ) -> [[String]] {
        if outputWords.isEmpty { return inputWords.map { _ in [] } }
        let flatInput = inputWords.flatMap { $0 }
        let lineOf = inputWords.enumerated().flatMap { line, words in words.map { _ in line } }

        // Per input word, the output words that stand for it, and those written before it.
        var replacement: [[String]] = flatInput.map { [$0] }
        var prefix: [Int: [String]] = [:]
        var lastAligned: Int? = nil

        let steps = SequenceAlignment.words(flatInput, outputWords).steps
        for (k, step) in steps.enumerated() {
            switch step {
            case .aligned(let i, let o):
                replacement[i] = [outputWords[o]]
                lastAligned = i
            case .gap(let gapInput, let gapOutput):
                guard !gapOutput.isEmpty else { continue }
                let words = gapOutput.map { outputWords[$0] }
                if gapInput.isEmpty {
                    var next: Int? = nil
                    if k + 1 < steps.count, case .aligned(let i, _) = steps[k + 1] { next = i }
                    placeInsertion(
                        words, after: lastAligned, before: next, lineOf: lineOf,
                        inputLines: inputLines, replacement: &replacement, prefix: &prefix)
                } else {
                    resolveGap(
                        gapInput, words, flatInput: flatInput, replacement: &replacement)
                }
            }
        }

        var result: [[String]] = inputWords.map { _ in [] }
        for (index, words) in replacement.enumerated() {
            result[lineOf[index]] += (prefix[index] ?? []) + words
        }
        return result
    }

    /// Output words with no input word in their gap go after the previous aligned input
    /// word or before the next one, whichever line they belong to.
    private static func placeInsertion(
        _ words: [String], after previous: Int?, before next: Int?, lineOf: [Int],
        inputLines: [String], replacement: inout [[String]], prefix: inout [Int: [String]]
    ) {
        switch (previous, next) {
        case (nil, nil): return
        case (let previous?, nil): replacement[previous] += words
        case (nil, let next?): prefix[next, default: []] += words
        case (let previous?, let next?):
            if lineOf[previous] == lineOf[next]
                || insertionBelongsToEarlierLine(
                    inputLines[lineOf[previous]], inputLines[lineOf[next]])
            {
                replacement[previous] += words
            } else {
                prefix[next, default: []] += words
            }
        }
    }

    /// A gap with words on both sides, by the rules of ``projectOntoLines``.
    private static func resolveGap(
        _ gapInput: [Int], _ words: [String], flatInput: [String],
        replacement: inout [[String]]
    ) {
        if gapInput.count == words.count {
            for (i, w) in zip(gapInput, words) { replacement[i] = [w] }
            return
        }
        let gapWords = gapInput.map { flatInput[$0] }
        if gapWords.joined() == words.joined() { return }
        let lengths = gapWords.map { $0.unicodeScalars.count }
        let scalars = Array(words.joined().unicodeScalars)
        if lengths.reduce(0, +) == scalars.count {
            var start = 0
            for (i, length) in zip(gapInput, lengths) {
                var piece = String.UnicodeScalarView()
                piece.append(contentsOf: scalars[start..<(start + length)])
                replacement[i] = [String(piece)]
                start += length
            }
            return
        }
        for (i, w) in zip(gapInput, words) { replacement[i] = [w] }
        if words.count > gapInput.count, let last = gapInput.last {
            replacement[last] += words[gapInput.count...]
        }
    }

    /// Glyphs OCR makes of a letter ("|" for "I"); ordinary punctuation is not among them.
    private static let ordinaryPunctuation: Set<Character> = [
        ".", ",", ";", ":", "!", "?", "(", ")", "\"", "”", "“", "'", "’", "-", "–", "—",
    ]

    /// Whether a word written between two lines, with no input word in its place, belongs
    /// at the end of the earlier line: when only that line's edge has a glyph it could
    /// have been read from.
    private static func insertionBelongsToEarlierLine(_ previous: String, _ next: String)
        -> Bool
    {
        func hasGlyph<S: Sequence<Character>>(_ s: S) -> Bool {
            s.contains { !$0.isWhitespace && !ordinaryPunctuation.contains($0) }
        }
        let trailing = previous.reversed().prefix { !$0.isLetter && !$0.isNumber }
        let leading = next.prefix { !$0.isLetter && !$0.isNumber }
        return hasGlyph(trailing) && !hasGlyph(leading)
    }
}
