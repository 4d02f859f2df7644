import Foundation

/// Scores the repair of a text input line by line against `ID.repaired.txt`.
///
/// The gold has the input's lines with only misread words changed, but the pipeline's
/// output is paragraphs: layout joins lines, drops running headers and page numbers and
/// mends line-break hyphens. So the output's words are first carried back to the input's
/// lines by aligning the input's words with the output's (see ``projectOntoInput``); then
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
    /// Per line, words are compared by position (exact, NFC, case kept); where a gold line
    /// has more words than the input line, the extra gold words count as wrong.
    public static func score(input: String, output: String, repaired: String) throws
        -> RepairScore
    {
        let inputLines = lines(input)
        let goldLines = lines(repaired)
        guard inputLines.count == goldLines.count else {
            throw LineCountMismatch(inputLines: inputLines.count, goldLines: goldLines.count)
        }
        let inputWords = inputLines.map(TextComparison.words)
        let projected = projectOntoInput(
            inputWords: inputWords.flatMap { $0 }, outputWords: TextComparison.words(output))

        var score = RepairScore(words: 0, correct: 0, correctInInput: 0, broken: 0, fixed: 0)
        var position = 0
        for (line, goldLine) in zip(inputWords, goldLines) {
            let gold = TextComparison.words(goldLine)
            let predicted = projected[position..<(position + line.count)]
            position += line.count
            for (k, goldWord) in gold.enumerated() {
                let inputRight = k < line.count && line[k] == goldWord
                let outputRight = k < line.count && predicted[predicted.startIndex + k] == goldWord
                score.words += 1
                if outputRight { score.correct += 1 }
                if inputRight { score.correctInInput += 1 }
                if inputRight && !outputRight { score.broken += 1 }
                if !inputRight && outputRight { score.fixed += 1 }
            }
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

    /// For every input word, the output word that stands for it.
    ///
    /// The two word sequences are aligned by a minimal diff on a loose key (case folded,
    /// marks stripped), so a repaired diacritic ("fatt" → "fått") still aligns. Between two
    /// aligned words lies a gap of removed input words and inserted output words:
    /// - as many of each: they pair in order (a repair of each word);
    /// - the same letters once concatenated: layout joined or split words (a line-break
    ///   hyphen mended), not a repair: the input words stand;
    /// - the same number of characters: the output's letters are cut at the input words'
    ///   lengths (a join plus a same-length repair such as a restored diacritic);
    /// - otherwise they pair in order and unpaired input words stand: no output word was
    ///   written in their place, which is what layout does with furniture it drops.
    ///
    /// An output without any words (the pipeline failed) stands for nothing: every input
    /// word projects to the empty string, so nothing counts as right.
    static func projectOntoInput(inputWords: [String], outputWords: [String]) -> [String] {
        if outputWords.isEmpty { return inputWords.map { _ in "" } }
        var keys: [String: Int32] = [:]
        func key(_ word: String) -> Int32 {
            let k = ICU.strippingMarks(ICU.caseFolded(word))
            if let id = keys[k] { return id }
            let id = Int32(keys.count)
            keys[k] = id
            return id
        }
        let inputKeys = inputWords.map(key)
        let outputKeys = outputWords.map(key)
        let diff = outputKeys.difference(from: inputKeys)
        var removed = Set<Int>()
        var inserted = Set<Int>()
        for change in diff {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }

        var projected = inputWords
        var gapInput: [Int] = []
        var gapOutput: [Int] = []
        func closeGap() {
            resolveGap(
                gapInput, gapOutput, inputWords: inputWords, outputWords: outputWords,
                into: &projected)
            gapInput.removeAll()
            gapOutput.removeAll()
        }
        var i = 0
        var o = 0
        while i < inputWords.count || o < outputWords.count {
            if i < inputWords.count && removed.contains(i) {
                gapInput.append(i)
                i += 1
            } else if o < outputWords.count && inserted.contains(o) {
                gapOutput.append(o)
                o += 1
            } else if i < inputWords.count && o < outputWords.count {
                closeGap()
                projected[i] = outputWords[o]
                i += 1
                o += 1
            } else {
                break  // cannot happen for a valid diff; stop rather than loop
            }
        }
        closeGap()
        return projected
    }

    private static func resolveGap(
        _ gapInput: [Int], _ gapOutput: [Int], inputWords: [String], outputWords: [String],
        into projected: inout [String]
    ) {
        guard !gapInput.isEmpty, !gapOutput.isEmpty else { return }
        if gapInput.count == gapOutput.count {
            for (i, o) in zip(gapInput, gapOutput) { projected[i] = outputWords[o] }
            return
        }
        let inputJoined = gapInput.map { inputWords[$0] }.joined()
        let outputJoined = gapOutput.map { outputWords[$0] }.joined()
        if inputJoined == outputJoined { return }
        let inputLengths = gapInput.map { inputWords[$0].unicodeScalars.count }
        let outputScalars = Array(outputJoined.unicodeScalars)
        if inputLengths.reduce(0, +) == outputScalars.count {
            var start = 0
            for (i, length) in zip(gapInput, inputLengths) {
                var piece = String.UnicodeScalarView()
                piece.append(contentsOf: outputScalars[start..<(start + length)])
                projected[i] = String(piece)
                start += length
            }
            return
        }
        for (i, o) in zip(gapInput, gapOutput) { projected[i] = outputWords[o] }
    }
}
