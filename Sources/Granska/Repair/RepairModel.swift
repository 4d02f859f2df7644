import Foundation

/// A word form's entry in the repair lexicon.
public struct LexiconEntry: Sendable, Hashable {
    /// Roles a form can play, from hunspell-sv's compound flags and the other sources.
    public struct Flags: OptionSet, Sendable, Hashable {
        /// The flag byte as stored in the lexicon.
        public let rawValue: UInt8
        /// Flags from their stored byte.
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// A word on its own (not only inside compounds).
        public static let standalone = Flags(rawValue: 1)
        /// May begin a compound ("arbets-", "social-").
        public static let compoundBegin = Flags(rawValue: 2)
        /// May stand inside a compound.
        public static let compoundMiddle = Flags(rawValue: 4)
        /// May end a compound ("-nämnden").
        public static let compoundEnd = Flags(rawValue: 8)
        /// Seen in clean in-domain report text.
        public static let domain = Flags(rawValue: 16)
        /// A municipality name (or its genitive).
        public static let name = Flags(rawValue: 32)
        /// Accepted by hunspell-sv.
        public static let hunspell = Flags(rawValue: 64)
        /// Another form with å/ä/ö strips to this one ("har" for "här").
        public static let markedTwin = Flags(rawValue: 128)
    }

    /// Unigram log probability (natural log).
    public var logProbability: Double
    /// The form's roles.
    public var flags: Flags
    /// The form's word class (its part-of-speech ambiguity class from Swedish morphology,
    /// or its compound head's); 0 when it has none. The context model counts classes as
    /// `#N` keys.
    public var wordClass: UInt16 = 0
}

/// The word-form lexicon: lower-case NFC forms with frequencies and compound roles.
public struct Lexicon: Sendable {
    let table: SortedKeyTable

    /// Number of forms.
    public var count: Int { table.count }

    /// The entry of a lower-case form, given as UTF-8.
    public func entry<C: Collection>(utf8 key: C) -> LexiconEntry? where C.Element == UInt8 {
        guard let i = table.index(of: key) else { return nil }
        return entry(at: i)
    }

    /// The entry of a lower-case form.
    public func entry(_ word: String) -> LexiconEntry? { entry(utf8: Array(word.utf8)) }

    /// The entry at table index `i`.
    func entry(at i: Int) -> LexiconEntry {
        LexiconEntry(
            logProbability: -Double(table.uint16(at: i)) / 1000,
            flags: LexiconEntry.Flags(rawValue: table.uint8(at: i, byte: 2)),
            wordClass: hasClasses ? table.uint16(at: i, byte: 3) : 0)
    }

    /// Whether the table's payloads carry word classes (five bytes, not three).
    private var hasClasses: Bool { table.payloadBytes >= 5 }

    /// All forms, as a range of table indices.
    var allForms: Range<Int> { 0..<table.count }

    /// Narrows a range of forms sharing `depth` bytes to those continuing with `next`.
    func narrow(_ range: Range<Int>, depth: Int, next: [UInt8]) -> Range<Int>? {
        table.narrow(range, depth: depth, next: next)
    }

    /// The form in `range` that is exactly `length` bytes long, if any (it sorts first).
    func exactForm(in range: Range<Int>, length: Int) -> Int? {
        table.keyLength(at: range.lowerBound) == length ? range.lowerBound : nil
    }

    /// Whether some form starts with `prefix` (UTF-8).
    func containsPrefix(_ prefix: [UInt8]) -> Bool { table.containsPrefix(prefix) }
}

/// In-domain unigram and bigram counts from clean report text.
public struct ContextModel: Sendable {
    let table: SortedKeyTable
    /// Counts learned at run time from clean documents, added to the table's.
    public let learned: ContextCounts?
    /// The key whose count is the number of tokens counted.
    public static let totalKey = "<total>"

    init(table: SortedKeyTable, learned: ContextCounts? = nil) {
        self.table = table
        self.learned = learned
    }

    /// Count of a lower-case word, or of a pair `"w1 w2"`.
    public func count(_ key: String) -> Int {
        let extra = learned?[key] ?? 0
        guard let i = table.index(of: Array(key.utf8)) else { return extra }
        return Int(table.uint32(at: i)) + extra
    }
}

/// A letter-trigram model of Swedish word forms: how word-like an unknown string is.
public struct LetterModel: Sendable {
    /// Costs by packed key (up to three scalars, 21 bits each). The table is small (≈ 15k
    /// keys), so it is read into a dictionary once: lookups are per letter of every
    /// unknown word.
    private let costs: [UInt64: Float]
    /// Mean cost (−ln P) per letter over running text.
    public let meanCostPerLetter: Double

    init(table: SortedKeyTable) {
        var costs: [UInt64: Float] = [:]
        costs.reserveCapacity(table.count)
        var mean = 2.5
        for i in 0..<table.count {
            let key = table.key(at: i)
            let cost = Double(table.uint16(at: i)) / 1000
            if key == "<mean>" {
                mean = cost
            } else {
                costs[Self.pack(Array(key.unicodeScalars))] = Float(cost)
            }
        }
        self.costs = costs
        meanCostPerLetter = mean
    }

    private static func pack(_ key: [Unicode.Scalar]) -> UInt64 {
        key.reduce(UInt64(key.count)) { ($0 << 21) | UInt64($1.value) }
    }

    private func cost(_ key: [Unicode.Scalar]) -> Double? {
        costs[Self.pack(key)].map(Double.init)
    }

    /// −ln P(letter | two before) for each letter of `word` and its end.
    public func costs(of word: String) -> [Double] {
        let s: [Unicode.Scalar] = ["^", "^"] + Array(word.unicodeScalars) + ["$"]
        return (2..<s.count).map { i in
            if let c = cost([s[i - 2], s[i - 1], s[i]]) { return c }
            if let unseen = cost([s[i - 2], s[i - 1]]) { return unseen }
            return log(40) + 2
        }
    }

    /// How un-Swedish the letter sequence of `word` is: the summed excess over `threshold`
    /// of its letter costs. Ordinary words, long or short, score 0; a misread glyph run
    /// such as "fdlj" scores high.
    public func atypicality(of word: String, threshold: Double = 6) -> Double {
        costs(of: word).reduce(0) { $0 + max(0, $1 - threshold) }
    }
}

/// The learned OCR channel: how true letters are misread, as rewrite rules from glyphs
/// seen in OCR output to the letters they stand for.
public struct OCRChannel: Sendable {
    /// One way to read a glyph sequence.
    public struct Rule: Sendable, Hashable {
        /// The OCR glyphs (lower case, 1–2 scalars).
        public var glyphs: String
        /// The true letters, lower case.
        public var letters: String
        /// log P(glyphs | letters).
        public var logProbability: Double
        /// The rule reads a capital I misread as `l` or `|`; it applies only at a word's
        /// start and forces a capital.
        public var isCapitalI: Bool
        /// Times the rule was seen when it was learned (0 when not known).
        public var count: Double = 0
    }

    /// Occurrences of each true letter (lower case) in the aligned text the channel was
    /// learned from, where the file tells them (count / P of a rule).
    public private(set) var letterCounts: [String: Double] = [:]

    /// Rules by first glyph scalar.
    let rules: [Unicode.Scalar: [Rule]]
    /// Non-letter glyphs that occur inside misread words ("&", "|", "6").
    public let wordGlyphs: Set<Unicode.Scalar>
    /// Letters the OCR dropped (read as no glyph at all: "fr" for "för"), with
    /// log P(nothing | letter).
    public let deletions: [String: Double]

    /// Parses `channel.tsv`: `ocr<TAB>true<TAB>log P(ocr | true)<TAB>count`.
    public init(tsv: String, minLogProbability: Double = -7.5) {
        var best: [String: Rule] = [:]
        var lowerTruth: Set<String> = []
        var deleted: [String: Double] = [:]
        for line in tsv.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3, let logP = Double(fields[2]) else { continue }
            let ocr = String(fields[0])
            let truth = String(fields[1])
            let count = fields.count >= 4 ? Double(fields[3]) ?? 0 : 0
            if count > 0, !truth.isEmpty, truth == ICU.lowercased(truth) {
                letterCounts[truth] = max(letterCounts[truth] ?? 0, count / exp(logP))
            }
            if ocr.isEmpty, truth.unicodeScalars.count == 1, truth == ICU.lowercased(truth),
                logP >= minLogProbability
            {
                deleted[truth] = max(deleted[truth] ?? -.infinity, logP)
            }
            guard !ocr.isEmpty, !truth.isEmpty, ocr != truth, logP >= minLogProbability
            else { continue }
            let capitalI = truth == "I" && (ocr == "l" || ocr == "|")
            let glyphs = capitalI ? ocr : ICU.lowercased(ocr)
            let letters = ICU.lowercased(truth)
            // Case-only confusions (O read for o) are handled by case restoration.
            if glyphs == letters { continue }
            let rule = Rule(
                glyphs: glyphs, letters: letters, logProbability: logP, isCapitalI: capitalI,
                count: count)
            let id = glyphs + "\t" + letters + (capitalI ? "\tI" : "")
            // A rule learned on lower-case letters wins over its capital twin: capitals are
            // rare, so their estimates ("Ä read as A: always") rest on few samples.
            let fromLower = truth == letters
            if let old = best[id] {
                let oldFromLower = lowerTruth.contains(id)
                if oldFromLower && !fromLower { continue }
                if oldFromLower == fromLower && old.logProbability >= logP { continue }
            }
            if fromLower { lowerTruth.insert(id) }
            best[id] = rule
        }
        var byFirst: [Unicode.Scalar: [Rule]] = [:]
        var glyphs: Set<Unicode.Scalar> = []
        for rule in best.values.sorted(by: { $0.logProbability > $1.logProbability }) {
            guard let first = rule.glyphs.unicodeScalars.first else { continue }
            byFirst[first, default: []].append(rule)
            for s in rule.glyphs.unicodeScalars where !s.properties.isAlphabetic {
                glyphs.insert(s)
            }
        }
        rules = byFirst
        wordGlyphs = glyphs
        deletions = deleted
    }

    /// log P(glyphs | letters) of a learned rule, if there is one.
    public func logProbability(glyphs: String, letters: String) -> Double? {
        guard let first = glyphs.unicodeScalars.first else { return nil }
        return rules[first]?.first {
            $0.glyphs == glyphs && $0.letters == letters && !$0.isCapitalI
        }?.logProbability
    }

    /// Rules whose glyphs start with `scalar`.
    func rules(startingWith scalar: Unicode.Scalar) -> [Rule] { rules[scalar] ?? [] }
}

/// Everything the repairer reads: lexicon, context counts and OCR channel.
public final class RepairModel: Sendable {
    /// File names inside the models directory.
    public static let lexiconFile = "repair-lexicon.bin"
    /// Context counts file.
    public static let contextFile = "repair-context.bin"
    /// OCR channel file.
    public static let channelFile = "repair-channel.tsv"
    /// Letter-trigram model file.
    public static let lettersFile = "repair-chars.bin"

    /// Where the files were loaded from.
    public let directory: URL
    /// Word forms with frequencies and compound roles.
    public let lexicon: Lexicon
    /// Unigram and bigram counts for context decisions.
    public let context: ContextModel
    /// The learned OCR channel.
    public let channel: OCRChannel
    /// Letter-trigram model for the prior of unknown words.
    public let letters: LetterModel

    /// A digest of the model files (lexicon, context counts, letter model, channel), 16 hex
    /// digits: rebuilt models change it, so what was stored with other models is redone.
    public func filesDigest() throws -> String {
        let files = [Self.lexiconFile, Self.contextFile, Self.lettersFile, Self.channelFile]
        let digests = try files.map {
            try SHA256.hexOfFile(atPath: directory.appendingPathComponent($0).path).hex
        }
        let combined = SHA256()
        combined.update(Data(digests.joined(separator: "\n").utf8))
        return String(combined.hexDigest().prefix(16))
    }

    /// The same model with `counts` added to its context counts (see ``ContextCounts``);
    /// the tables stay shared.
    public func learning(_ counts: ContextCounts) -> RepairModel {
        var all = context.learned ?? ContextCounts(weight: counts.weight)
        all.merge(counts)
        return RepairModel(
            directory: directory, lexicon: lexicon,
            context: ContextModel(table: context.table, learned: all), channel: channel,
            letters: letters)
    }

    private init(
        directory: URL, lexicon: Lexicon, context: ContextModel, channel: OCRChannel,
        letters: LetterModel
    ) {
        self.directory = directory
        self.lexicon = lexicon
        self.context = context
        self.channel = channel
        self.letters = letters
    }

    /// Whether `word` (lower case) has a twin that strips to the same letters ("har" /
    /// "här"): the words around which skip pairs are counted.
    public func hasStrippedTwin(_ word: String) -> Bool {
        if let entry = lexicon.entry(word), entry.flags.contains(.markedTwin) { return true }
        guard word.unicodeScalars.contains(where: { "åäö".unicodeScalars.contains($0) })
        else { return false }
        return lexicon.entry(RepairSession.stripped(word)) != nil
    }

    /// The environment variable naming files of learned context counts (`granska learn`),
    /// separated by `:`; ``locate()`` adds them to the model. Child processes (ingest
    /// workers) inherit it.
    public static let learnedContextVariable = "GRANSKA_CONTEXT"

    /// Loads the model files from `directory`.
    public init(directory: URL) throws {
        self.directory = directory
        let lexiconPath = directory.appendingPathComponent(Self.lexiconFile).path
        let contextPath = directory.appendingPathComponent(Self.contextFile).path
        let channelPath = directory.appendingPathComponent(Self.channelFile).path
        lexicon = Lexicon(table: try SortedKeyTable(path: lexiconPath))
        context = ContextModel(table: try SortedKeyTable(path: contextPath))
        letters = LetterModel(
            table: try SortedKeyTable(
                path: directory.appendingPathComponent(Self.lettersFile).path))
        guard let data = FileManager.default.contents(atPath: channelPath) else {
            throw GranskaError.modelUnavailable(path: channelPath, reason: "cannot read")
        }
        channel = OCRChannel(tsv: String(decoding: data, as: UTF8.self))
    }

    /// Finds the models directory: `$GRANSKA_MODELS`; else the first `models/` holding the
    /// lexicon found walking up from the executable's directory (so `.build/debug/granska`
    /// inside a checkout finds the checkout's models); else `./models`.
    public static func locateDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        if let dir = environment["GRANSKA_MODELS"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".")
            .resolvingSymlinksInPath()
        var dir = executable.deletingLastPathComponent()
        for _ in 0..<12 {
            let candidate = dir.appendingPathComponent("models")
            if FileManager.default.fileExists(
                atPath: candidate.appendingPathComponent(lexiconFile).path)
            {
                return candidate
            }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { break }
            dir = parent
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .appendingPathComponent("models")
    }

    /// Loads the model from ``locateDirectory(environment:)``, with the learned context
    /// counts named by `$GRANSKA_CONTEXT` added.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> RepairModel {
        let model = try RepairModel(directory: locateDirectory(environment: environment))
        guard let paths = environment[learnedContextVariable], !paths.isEmpty else {
            return model
        }
        var learned: ContextCounts?
        for path in paths.split(separator: ":") {
            let counts = try ContextCounts(contentsOf: URL(fileURLWithPath: String(path)))
            if learned == nil { learned = counts } else { learned!.merge(counts) }
        }
        return learned.map { model.learning($0) } ?? model
    }
}
