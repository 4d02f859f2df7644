import Foundation

/// Context counts learned from clean text at run time (self-training): the same keys as the
/// committed context model, added to its counts.
///
/// Born-digital reports in a user's own archive are in-domain text of exactly the kind the
/// repairer needs (the same firms, municipalities and phrasing), so their counts help the
/// damaged reports beside them as much as general text does. Keys follow
/// `scripts/models/build.py`: lower-case words (`w`), pairs within clauses (`w1 w2`), skip
/// pairs (`w1 _ w3`), sentence boundaries (`<s> w`, `w </s>`), numbers as `<num>` and
/// years as `<year>`, inflection classes (`w1 >pfx`, `~pfx`), word classes (`#C`, `w1 >#C`,
/// `#C w2`, `#C #D`) and the word total under
/// `<total>`. Each learned token counts ``weight`` times (``learnedWeight`` by default).
public struct ContextCounts: Sendable, Equatable {
    /// Count of each key.
    public private(set) var counts: [String: Int] = [:]
    /// Texts (documents) learned from.
    public private(set) var documentCount = 0
    /// How many times each learned token counts (the build's in-domain weight).
    public var weight: Int

    /// The build's weight of its curated in-domain texts (`DOMAIN_WEIGHT` in
    /// `scripts/models/build.py`).
    public static let inDomainWeight = 12
    /// The weight of learned text: less than the build's curated texts. An archive repeats
    /// its own phrasing across many reports (and may hold the build's reports again), so at
    /// full weight a few documents crowd out the rest: with general-only context counts,
    /// learning the other report gave 99.52 / 99.46 % (weight 1), 99.53 / 99.49 (4) and
    /// 99.52 / 99.48 (12) on the stripped Lindesberg / Vänersborg texts, while relearning
    /// the build's own reports cost the Alingsås OCR text 0.03 points at 4 and 0.08 at 12.
    public static let learnedWeight = 4
    /// First line of the file format.
    static let header = "# granska context counts v1"
    /// Letters that name an inflection class (`PREFIX` in the build).
    static let classPrefix = 5

    /// Empty counts; learned text counts `weight` times.
    public init(weight: Int = ContextCounts.learnedWeight) {
        self.weight = weight
    }

    /// The count of `key` (0 when never seen).
    public subscript(key: String) -> Int { counts[key] ?? 0 }

    /// Whether nothing has been learned.
    public var isEmpty: Bool { counts.isEmpty }

    /// Learns the lines of one clean document (one paragraph per line, as `granska text`
    /// writes them). Skip pairs are kept only around words for which `hasTwin` holds (a
    /// word another strips to, as in the build), since only those are ever looked up.
    ///
    /// `wordClass` gives a word's class (``LexiconEntry/wordClass``, 0 for none): the
    /// class keys `#C`, `a >#C`, `#C b` and `#C #D` are counted as in the build.
    public mutating func learn(
        document text: String, hasTwin: (String) -> Bool,
        wordClass: (String) -> UInt16 = { _ in 0 }
    ) {
        documentCount += 1
        for line in text.split(whereSeparator: \.isNewline) {
            learn(line: String(line), hasTwin: hasTwin, wordClass: wordClass)
        }
    }

    private mutating func add(_ key: String) {
        counts[key, default: 0] += weight
    }

    private mutating func addPair(_ a: String, _ b: String, _ wordClass: (String) -> UInt16) {
        add(a + " " + b)
        if let cls = Self.inflectionClass(b) { add(a + " >" + cls) }
        addClassPairs(a, b, wordClass)
    }

    private mutating func addClassPairs(_ a: String, _ b: String, _ wordClass: (String) -> UInt16) {
        let ca = wordClass(a)
        let cb = wordClass(b)
        if cb != 0 { add(a + " >#\(cb)") }
        if ca != 0 { add("#\(ca) " + b) }
        if ca != 0 && cb != 0 { add("#\(ca) #\(cb)") }
    }

    /// One line: its clauses (split at . : ; ! ?), their pairs and skip pairs, and the
    /// sentence boundaries, as the build counts them.
    mutating func learn(
        line: String, hasTwin: (String) -> Bool, wordClass: (String) -> UInt16 = { _ in 0 }
    ) {
        let pieces = Self.clauses(of: line)
        var opens = true  // a line (paragraph) opens a sentence
        for (k, piece) in pieces.enumerated() {
            let tokens = Self.tokens(of: piece.text)
            for t in tokens {
                add(t)
                if !Self.markers.contains(t) {
                    add(ContextModel.totalKey)
                    if let cls = Self.inflectionClass(t) { add("~" + cls) }
                    let wc = wordClass(t)
                    if wc != 0 { add("#\(wc)") }
                }
            }
            for (a, b) in zip(tokens, tokens.dropFirst()) { addPair(a, b, wordClass) }
            for (a, b) in zip(tokens, tokens.dropFirst(2)) where hasTwin(a) || hasTwin(b) {
                add(a + " _ " + b)
            }
            let after = k + 1 < pieces.count ? pieces[k + 1].text : ""
            let ends =
                [".", "!", "?"].contains(piece.delimiter)
                && (after.isEmpty || after.first!.isWhitespace)
            if let first = tokens.first, let last = tokens.last {
                if opens {
                    addPair(RepairSession.sentenceStartWord, first, wordClass)
                    add(RepairSession.sentenceStartWord)
                }
                if ends, piece.text.last.map({ $0.isLetter || $0.isNumber }) == true {
                    add(last + " " + RepairSession.sentenceEndWord)
                    addClassPairs(last, RepairSession.sentenceEndWord, wordClass)
                    add(RepairSession.sentenceEndWord)
                }
            }
            opens = ends || (opens && tokens.isEmpty && piece.delimiter.isEmpty)
        }
    }

    /// The counts without word pairs seen fewer than `minimumPairCount` times: pairs seen
    /// once are mostly noise and most of the size of a large archive's counts.
    public func pruned(minimumPairCount: Int) -> ContextCounts {
        guard minimumPairCount > 1 else { return self }
        var result = self
        result.counts = counts.filter { key, n in
            !key.contains(" ") || n >= minimumPairCount * weight
        }
        return result
    }

    /// Context words that stand for a class of tokens or a boundary.
    static let markers: Set<String> = [
        RepairSession.numberWord, RepairSession.yearWord, RepairSession.sentenceStartWord,
        RepairSession.sentenceEndWord,
    ]

    /// The first five letters of a word longer than five (not a marker): its inflection
    /// class in the context model (`PREFIX` in the build), the run time's fallback for
    /// pairs never seen.
    static func inflectionClass(_ word: String) -> String? {
        guard !markers.contains(word) else { return nil }
        let scalars = word.unicodeScalars
        guard scalars.count > classPrefix else { return nil }
        return String(String.UnicodeScalarView(scalars.prefix(classPrefix)))
    }

    /// The line cut at each of . : ; ! ? (the delimiter kept with the text before it).
    static func clauses(of line: String) -> [(text: String, delimiter: String)] {
        var result: [(String, String)] = []
        var current = String.UnicodeScalarView()
        for u in line.unicodeScalars {
            if ".:;!?".unicodeScalars.contains(u) {
                result.append((String(current), String(u)))
                current = String.UnicodeScalarView()
            } else {
                current.append(u)
            }
        }
        result.append((String(current), ""))
        return result
    }

    /// Word tokens as the build reads them (runs of letters and digits), lower case;
    /// all-digit tokens become `<year>` or `<num>`.
    static func tokens(of text: String) -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            guard !current.isEmpty else { return }
            let word = String(current)
            current = String.UnicodeScalarView()
            if word.unicodeScalars.allSatisfy({
                $0.properties.numericType == .decimal || $0.properties.numericType == .digit
            }) {
                tokens.append(
                    RepairSession.isYear(word) ? RepairSession.yearWord : RepairSession.numberWord)
            } else {
                tokens.append(ICU.lowercased(ICU.normalize(word)))
            }
        }
        for u in text.unicodeScalars {
            let p = u.properties
            if u != "_" && (p.isAlphabetic || p.numericType != nil) {
                current.append(u)
            } else {
                flush()
            }
        }
        flush()
        return tokens
    }

    // MARK: Files

    /// Reads counts written by ``write(to:)``.
    public init(contentsOf url: URL) throws {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw GranskaError.modelUnavailable(path: url.path, reason: "cannot read")
        }
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)[...]
        guard lines.first.map(String.init) == Self.header else {
            throw GranskaError.modelUnavailable(
                path: url.path, reason: "not a granska context counts file")
        }
        lines = lines.dropFirst()
        self.init(weight: 1)
        for line in lines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            if fields.count == 2, fields[0] == "#documents", let n = Int(fields[1]) {
                documentCount = n
                continue
            }
            if fields.count == 2, fields[0] == "#weight", let n = Int(fields[1]) {
                weight = n
                continue
            }
            guard fields.count == 2, let n = Int(fields[1]), n >= 0 else {
                throw GranskaError.modelUnavailable(
                    path: url.path, reason: "malformed line \"\(line.prefix(60))\"")
            }
            counts[String(fields[0]), default: 0] += n
        }
    }

    /// Writes the counts as UTF-8 lines `key<TAB>count`, sorted by key, after a header.
    public func write(to url: URL) throws {
        let out = Self.header + "\n#documents\t\(documentCount)\n#weight\t\(weight)\n" + lines
        try Data(out.utf8).write(to: url, options: .atomic)
    }

    /// The counts as `key<TAB>count` lines, sorted by the keys' bytes.
    private var lines: String {
        var out = ""
        for key in counts.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            out += "\(key)\t\(counts[key]!)\n"
        }
        return out
    }

    /// Adds the counts of `other` (another shard of learned text).
    public mutating func merge(_ other: ContextCounts) {
        for (key, n) in other.counts { counts[key, default: 0] += n }
        documentCount += other.documentCount
    }

    /// A SHA-256 of the counts (hex): it names what a repair depended on, so an ingest run
    /// with other learned counts does not skip documents processed without them.
    public var digest: String { SHA256.hex(of: Data(lines.utf8)) }
}
