/// One sentence of a block, with its place in the block's text.
public struct Sentence: Sendable, Hashable {
    /// Unicode-scalar offsets into the text that was split.
    public var range: Range<Int>
    public var text: String
}

/// Splits Swedish prose into sentences at `.`, `?` and `!` followed by a space and a capital,
/// digit or quote, except after common abbreviations ("t.ex.", "bl.a.", "kap.") and list
/// numbers ("2.1.").
public struct SentenceSplitter: Sendable {
    /// Lower-cased word endings (without the final full stop) that do not end a sentence.
    static let abbreviations: Set<String> = [
        "t.ex", "bl.a", "dvs", "d.v.s", "m.fl", "m.m", "mm", "ca", "nr", "kap", "jmf", "resp",
        "s.k", "o.s.v", "osv", "f.d", "p.g.a", "pga", "t.o.m", "fr.o.m", "inkl", "exkl", "st",
        "ang", "enl", "tel", "bla", "dnr", "ex", "sid", "s", "vs", "t", "e.d", "milj", "tkr",
    ]

    public init() {}

    /// The sentences of `text`, trimmed of surrounding spaces.
    public func split(_ text: String) -> [Sentence] {
        SentenceSplitter.recentSplits.value(for: text, splitting)
    }

    /// Splits of recent texts: every extractor splits the same units again.
    private static let recentSplits = TextMemo<[Sentence]>(capacity: 4096)

    private func splitting(_ text: String) -> [Sentence] {
        let scalars = Array(text.unicodeScalars)
        // UTF-8 offset of each scalar (and of the end): a sentence's text is copied from the
        // text's bytes at once, not appended scalar by scalar.
        var byteOffsets: [Int] = []
        byteOffsets.reserveCapacity(scalars.count + 1)
        var offset = 0
        for s in scalars {
            byteOffsets.append(offset)
            offset += UTF8.width(s)
        }
        byteOffsets.append(offset)
        let bytes = Array(text.utf8)
        var sentences: [Sentence] = []
        var start = 0
        var i = 0
        func emit(_ end: Int) {
            var a = start
            var b = end
            while a < b && scalars[a] == " " { a += 1 }
            while b > a && scalars[b - 1] == " " { b -= 1 }
            if a < b {
                let s = String(decoding: bytes[byteOffsets[a]..<byteOffsets[b]], as: UTF8.self)
                sentences.append(Sentence(range: a..<b, text: s))
            }
            start = end
        }
        while i < scalars.count {
            let c = scalars[i]
            if c == "." || c == "?" || c == "!" {
                var j = i + 1
                // Closing quotes and brackets belong to the sentence.
                while j < scalars.count, "\"”’)".unicodeScalars.contains(scalars[j]) { j += 1 }
                if j < scalars.count, scalars[j] == " " {
                    var k = j
                    while k < scalars.count && scalars[k] == " " { k += 1 }
                    if k < scalars.count, startsSentence(scalars[k]),
                        c != "." || !isAbbreviation(scalars, before: i)
                    {
                        emit(j)
                        i = k
                        continue
                    }
                }
            }
            i += 1
        }
        emit(scalars.count)
        return sentences
    }

    private func startsSentence(_ s: Unicode.Scalar) -> Bool {
        if s.properties.isUppercase || ("0"..."9").contains(s) { return true }
        return "\"“”'•–—❖".unicodeScalars.contains(s)
    }

    private func isAbbreviation(_ scalars: [Unicode.Scalar], before dot: Int) -> Bool {
        var a = dot
        while a > 0 && scalars[a - 1] != " " && scalars[a - 1] != "(" { a -= 1 }
        var word = String.UnicodeScalarView()
        word.append(contentsOf: scalars[a..<dot])
        let w = String(word).lowercased()
        if w.isEmpty { return false }
        if SentenceSplitter.abbreviations.contains(w) { return true }
        // "2.1." and "3." are numbering, not sentence ends.
        if w.allSatisfy({ $0.isNumber || $0 == "." }) && (w.contains(".") || w.count <= 2) {
            return true
        }
        return false
    }
}
