import Foundation

/// One reading of an OCR word: a lexicon word or a compound of lexicon parts.
public struct RepairCandidate: Sendable, Hashable {
    /// The word, lower case.
    public var word: String
    /// log P(OCR glyphs | word) under the channel.
    public var channelLogProbability: Double
    /// log P(word) under the unigram lexicon (or the compound estimate).
    public var lexiconLogProbability: Double
    /// Number of compound parts (1 for a lexicon word).
    public var parts: Int
    /// The reading starts with a capital I read as `l` or `|`.
    public var startsWithCapitalI: Bool
    /// Context-free score.
    public var score: Double { channelLogProbability + lexiconLogProbability }
}

/// Generates the readings of an OCR word by a beam over its glyphs.
///
/// At each glyph the beam keeps the glyph itself and every channel rule that applies
/// (one or two glyphs read as one letter). A partial reading survives only while its
/// current compound part is a prefix of some lexicon form; when the part is a complete form
/// that may begin (or continue) a compound, a new part is opened. So generation is bounded
/// by the lexicon, not by the number of confusable glyphs.
public struct CandidateGenerator: Sendable {
    /// Word forms that bound the beam.
    public let lexicon: Lexicon
    /// Readings of OCR glyphs.
    public let channel: OCRChannel
    /// Partial readings kept per glyph position.
    public var beamWidth = 40
    /// log-probability cost of a compound over its head word: a compound no list contains
    /// is less probable than a listed word with the same head.
    public var compoundCost = 6.0
    /// Head frequencies above this count as this in a compound (log).
    public var compoundHeadCeiling = -10.0
    /// Two-part compounds with a rarer head score near this (log): below it the head's
    /// frequency counts only a quarter.
    public var compoundFloor = -19.0
    /// Further cost of each compound boundary after the first.
    public var compoundBoundaryCost = 1.5
    /// Extra cost of a compound part of three letters or fewer (a frequent source of
    /// spurious splits: "medarbetar+nås").
    public var shortPartCost = 2.0
    /// Minimum length in scalars of a compound part.
    public var minimumPartLength = 2
    /// Further cost (log) of a two-glyph reading whose mark glyph was learned for another
    /// marked letter ("ao" for ö: "a" is learned for ä and å, "o" for ö).
    public static let crossMarkCost = 2.0

    /// Synthesised two-glyph rules: a letter written as two glyphs that each, alone, are
    /// readings of it ("éd" for ä). Learned pairs take precedence.
    private let pairRules: [Unicode.Scalar: [OCRChannel.Rule]]

    /// A rule ready for the beam: glyphs as scalars, letters as UTF-8.
    private struct PreparedRule: Sendable {
        var glyphs: [Unicode.Scalar]
        var letters: [UInt8]
        var logP: Double
        var capitalI: Bool
    }

    /// Letters the OCR may have dropped, as UTF-8, with log P(dropped): at most one is
    /// put back per word, before a glyph or after the last.
    private let insertions: [(letters: [UInt8], logP: Double)]

    /// Learned, sibling and pair rules by first glyph, prepared once.
    private let prepared: [Unicode.Scalar: [PreparedRule]]
    /// The most glyphs any rule reads as one letter: a reading reaches at most this far.
    private let longestRule: Int

    /// A generator over `lexicon` with the learned `channel` (plus synthesised å/ä sibling
    /// and two-glyph rules).
    public init(lexicon: Lexicon, channel: OCRChannel) {
        self.lexicon = lexicon
        self.channel = channel
        var single: [String: [(String, Double)]] = [:]  // letters -> [(glyph, logP)]
        var singleCount: [String: Double] = [:]  // "glyph\tletters" -> times learned
        var learned: Set<String> = []
        for rules in channel.rules.values {
            for rule in rules where !rule.isCapitalI {
                if rule.glyphs.unicodeScalars.count == 1 {
                    single[rule.letters, default: []].append((rule.glyphs, rule.logProbability))
                    singleCount[rule.glyphs + "\t" + rule.letters] = rule.count
                } else {
                    learned.insert(rule.glyphs + "\t" + rule.letters)
                }
            }
        }
        // å and ä are the same base glyph with different marks: a misreading learned for
        // one is a plausible, less likely misreading of the other (1.5 more). When the
        // glyph is too rare for its absence to tell (fewer than 3 sightings expected for
        // the other letter at the pooled rate, p > 0.05), both letters share the pooled
        // rate: "&" seen three times for å and never for ä in the training scans is no
        // evidence that it stands for å only.
        var sibling: [Unicode.Scalar: [OCRChannel.Rule]] = [:]
        for (a, b) in [("å", "ä"), ("ä", "å")] {
            let known = Set((single[b] ?? []).map(\.0))
            let letters = (channel.letterCounts[a] ?? 0) + (channel.letterCounts[b] ?? 0)
            for (glyph, logP) in single[a] ?? [] where !known.contains(glyph) {
                let n = singleCount[glyph + "\t" + a] ?? 0
                let expected = letters > 0 ? n * (channel.letterCounts[b] ?? 0) / letters : 0
                let siblingLogP =
                    n > 0 && letters > 0 && expected < 3 ? log(n / letters) : logP - 1.5
                let rule = OCRChannel.Rule(
                    glyphs: glyph, letters: b, logProbability: siblingLogP, isCapitalI: false)
                sibling[glyph.unicodeScalars.first!, default: []].append(rule)
                single[b, default: []].append((glyph, siblingLogP))
            }
        }
        for rule in Self.crossBaseReadings(&single) {
            sibling[rule.glyphs.unicodeScalars.first!, default: []].append(rule)
        }
        var pairs: [Unicode.Scalar: [OCRChannel.Rule]] = sibling
        for (letters, readings) in single where letters.unicodeScalars.count == 1 {
            // The plain base letter is itself a reading ("aé" for ä).
            let base = ICU.strippingMarks(letters)
            let all = readings + (base != letters ? [(base, 0.0)] : [])
            for (g1, p1) in all {
                for (g2, p2) in all where p1 + p2 < 0 {
                    let glyphs = g1 + g2
                    if learned.contains(glyphs + "\t" + letters) { continue }
                    let logP = p1 + p2 - 1.0
                    // Down to two readings of about 1 in 100 each ("ii" for ä).
                    if logP < -10.5 { continue }
                    let rule = OCRChannel.Rule(
                        glyphs: glyphs, letters: letters, logProbability: logP, isCapitalI: false)
                    pairs[glyphs.unicodeScalars.first!, default: []].append(rule)
                }
            }
        }
        for rule in Self.crossMarkPairs(single, existing: pairs, learned: learned) {
            pairs[rule.glyphs.unicodeScalars.first!, default: []].append(rule)
        }
        pairRules = pairs
        // A marked letter dropped is evidence that the others may be (1.5 less likely):
        // the English model drops them for the same reason, not knowing the letter.
        var deletions = channel.deletions
        if let best = Self.markedLetters.compactMap({ channel.deletions[$0] }).max() {
            for letter in Self.markedLetters where deletions[letter] == nil {
                deletions[letter] = best - 1.5
            }
        }
        insertions = deletions.sorted { $0.key < $1.key }.map {
            (Array($0.key.utf8), $0.value)
        }
        var prepared: [Unicode.Scalar: [PreparedRule]] = [:]
        for (first, rules) in channel.rules {
            prepared[first, default: []] += rules.map {
                PreparedRule(
                    glyphs: Array($0.glyphs.unicodeScalars), letters: Array($0.letters.utf8),
                    logP: $0.logProbability, capitalI: $0.isCapitalI)
            }
        }
        for (first, rules) in pairs {
            prepared[first, default: []] += rules.map {
                PreparedRule(
                    glyphs: Array($0.glyphs.unicodeScalars), letters: Array($0.letters.utf8),
                    logP: $0.logProbability, capitalI: $0.isCapitalI)
            }
        }
        longestRule = max(1, prepared.values.joined().map(\.glyphs.count).max() ?? 1)
        // A fixed order, so that the beam never depends on dictionary iteration order.
        self.prepared = prepared.mapValues { rules in
            rules.sorted {
                if $0.logP != $1.logP { return $0.logP > $1.logP }
                if $0.glyphs != $1.glyphs {
                    return $0.glyphs.map(\.value).lexicographicallyPrecedes($1.glyphs.map(\.value))
                }
                return $0.letters.lexicographicallyPrecedes($1.letters)
            }
        }
    }

    private static let markedLetters = ["å", "ä", "ö"]

    /// Readings across bases: the dots of ö and of ä (and the ring of å) come out alike, so
    /// a glyph learned for ö ("d", "é", "6") is a plausible, less likely (1.5) reading of ä
    /// and å, and one learned for ä or å of ö; the base letters themselves are not. A
    /// channel learned from some scans lacks the readings another scan shows
    /// ("socialndmnden"). Adds them to `single` (letter → readings) and returns them.
    private static func crossBaseReadings(_ single: inout [String: [(String, Double)]])
        -> [OCRChannel.Rule]
    {
        let snapshot = single
        var added: [OCRChannel.Rule] = []
        for (a, b) in [("ö", "ä"), ("ö", "å"), ("ä", "ö"), ("å", "ö")] {
            let bases: Set<String> = [ICU.strippingMarks(a), ICU.strippingMarks(b)]
            for (glyph, logP) in (snapshot[a] ?? []).sorted(by: { $0.0 < $1.0 })
            where !bases.contains(glyph) && !(single[b] ?? []).contains(where: { $0.0 == glyph }) {
                let crossLogP = logP - 1.5
                if crossLogP < -7.5 { continue }
                added.append(
                    OCRChannel.Rule(
                        glyphs: glyph, letters: b, logProbability: crossLogP, isCapitalI: false))
                single[b, default: []].append((glyph, crossLogP))
            }
        }
        return added
    }

    /// Two-glyph readings where a marked letter's dots or ring come out as a glyph of their
    /// own beside the base letter's reading, the mark glyph being one learned for another
    /// marked letter ("ao" for ö, as "aé" for ä), at ``crossMarkCost`` more. None that
    /// `existing` or `learned` ("glyphs<TAB>letter") already has.
    private static func crossMarkPairs(
        _ single: [String: [(String, Double)]], existing pairs: [Unicode.Scalar: [OCRChannel.Rule]],
        learned: Set<String>
    ) -> [OCRChannel.Rule] {
        var markGlyphs: [String: Double] = [:]
        for letter in markedLetters {
            for (glyph, logP) in single[letter] ?? [] where logP > -5 {
                markGlyphs[glyph] = max(markGlyphs[glyph] ?? -.infinity, logP)
            }
        }
        var added: [OCRChannel.Rule] = []
        for letter in markedLetters {
            let own = Set((single[letter] ?? []).map(\.0))
            let readings = (single[letter] ?? []) + [(ICU.strippingMarks(letter), 0.0)]
            var existing = Set(pairs.values.joined().filter { $0.letters == letter }.map(\.glyphs))
            for rule in learned {
                let fields = rule.split(separator: "\t")
                if fields.count == 2 && fields[1] == letter { existing.insert(String(fields[0])) }
            }
            for (mark, markLogP) in markGlyphs.sorted(by: { $0.key < $1.key })
            where !own.contains(mark) {
                for (glyph, glyphLogP) in readings {
                    for glyphs in [mark + glyph, glyph + mark] where !existing.contains(glyphs) {
                        let logP = markLogP + glyphLogP - 1.0 - crossMarkCost
                        if logP < -9 { continue }
                        existing.insert(glyphs)
                        added.append(
                            OCRChannel.Rule(
                                glyphs: glyphs, letters: letter, logProbability: logP,
                                isCapitalI: false))
                    }
                }
            }
        }
        return added
    }

    struct State {
        var output: [UInt8]
        var partStart: Int
        var parts: Int
        var logP: Double
        var capitalI: Bool
        /// A dropped letter has been put back.
        var inserted = false
        /// Lexicon forms that start with the current part.
        var forms: Range<Int>
    }

    struct StateKey: Hashable {
        var output: [UInt8]
        var partStart: Int
    }

    /// All readings of `glyphs` (the OCR word, lower case), best first; at most `limit`.
    public func candidates(for glyphs: [Unicode.Scalar], limit: Int = 8) -> [RepairCandidate] {
        var cache = PrefixCache()
        return candidates(for: glyphs, limit: limit, cache: &cache)
    }

    /// Narrowed lexicon ranges, shared by the words of one document: words share prefixes
    /// ("arbets-"), and a range with its depth names a prefix.
    public struct PrefixCache {
        struct Key: Hashable {
            var lower: Int
            var upper: Int
            var depth: Int
            /// The appended bytes (at most 7) with their count in the top byte.
            var next: UInt64
        }
        var ranges: [Key: Range<Int>?] = [:]
        /// Beam buckets reused from word to word (a ring over glyph positions), so their
        /// storage is allocated once per document rather than grown for every word.
        var buckets: [[StateKey: State]] = []
        public init() {}
    }

    /// Prefix depths up to this are cached: deeper ranges are narrow and cheap to search
    /// again, and caching them would grow the cache by every word's letters.
    private static let cachedDepth = 3

    /// As ``candidates(for:limit:)``, reusing `cache` across calls.
    ///
    /// With `restoringDropped`, one letter the OCR may have dropped (``OCRChannel/deletions``)
    /// may be put back: a wider search, for words nothing else explains well.
    public func candidates(
        for glyphs: [Unicode.Scalar], limit: Int = 8, cache: inout PrefixCache,
        restoringDropped: Bool = false
    ) -> [RepairCandidate] {
        let n = glyphs.count
        guard n > 0 else { return [] }
        // Bucket of position p: ring slot p % ring (a reading spans at most `longestRule`
        // glyphs, so no two live positions share a slot).
        let ring = longestRule + 1
        var buckets = cache.buckets
        cache.buckets = []
        if buckets.count != ring {
            buckets = [[StateKey: State]](repeating: [:], count: ring)
        } else {
            for k in buckets.indices { buckets[k].removeAll(keepingCapacity: true) }
        }
        defer { cache.buckets = buckets }
        buckets[0][StateKey(output: [], partStart: 0)] = State(
            output: [], partStart: 0, parts: 1, logP: 0, capitalI: false,
            forms: lexicon.allForms)

        func push(_ state: State, at position: Int) {
            let key = StateKey(output: state.output, partStart: state.partStart)
            let slot = position % ring
            if let old = buckets[slot][key], old.logP >= state.logP { return }
            buckets[slot][key] = state
        }

        for position in 0..<n {
            // Sorted with a total order, so that pruning (and so the output) does not
            // depend on dictionary iteration order.
            var states = buckets[position % ring].values.sorted {
                if $0.logP != $1.logP { return $0.logP > $1.logP }
                if $0.output != $1.output { return $0.output.lexicographicallyPrecedes($1.output) }
                return $0.partStart < $1.partStart
            }
            buckets[position % ring].removeAll(keepingCapacity: true)
            if states.count > beamWidth {
                states.removeLast(states.count - beamWidth)
            }
            let scalar = glyphs[position]
            let plain = Array(String(scalar).utf8)
            var readings:
                [(letters: [UInt8], length: Int, logP: Double, capitalI: Bool, inserts: Bool)] = [
                    (plain, 1, 0, false, false)
                ]
            if restoringDropped && scalar.properties.isAlphabetic {
                for insertion in insertions {
                    readings.append((insertion.letters + plain, 1, insertion.logP, false, true))
                    if position == n - 1 {
                        readings.append((plain + insertion.letters, 1, insertion.logP, false, true))
                    }
                }
            }
            for rule in prepared[scalar] ?? [] {
                if rule.capitalI && position != 0 { continue }
                let count = rule.glyphs.count
                guard position + count <= n,
                    count == 1
                        || glyphs[(position + 1)..<(position + count)]
                            .elementsEqual(rule.glyphs[1...])
                else { continue }
                readings.append((rule.letters, count, rule.logP, rule.capitalI, false))
            }
            for state in states {
                for reading in readings {
                    if reading.inserts && state.inserted { continue }
                    let depth = state.output.count - state.partStart
                    let narrowed: Range<Int>?
                    if reading.letters.count <= 7 && depth <= Self.cachedDepth {
                        let key = PrefixCache.Key(
                            lower: state.forms.lowerBound, upper: state.forms.upperBound,
                            depth: depth,
                            next: reading.letters.reduce(UInt64(reading.letters.count)) {
                                ($0 << 8) | UInt64($1)
                            })
                        if let cached = cache.ranges[key] {
                            narrowed = cached
                        } else {
                            narrowed = lexicon.narrow(
                                state.forms, depth: depth, next: reading.letters)
                            cache.ranges[key] = narrowed
                        }
                    } else {
                        narrowed = lexicon.narrow(state.forms, depth: depth, next: reading.letters)
                    }
                    guard let forms = narrowed else { continue }
                    var next = state
                    next.output.append(contentsOf: reading.letters)
                    next.logP += reading.logP
                    next.capitalI = next.capitalI || reading.capitalI
                    next.inserted = next.inserted || reading.inserts
                    next.forms = forms
                    let end = position + reading.length
                    push(next, at: end)
                    // Open a new compound part after a complete form that may begin one.
                    let partLength = depth + reading.letters.count
                    guard end < n, partLength >= minimumPartLength,
                        let index = lexicon.exactForm(in: forms, length: partLength),
                        scalarCount(next.output[next.partStart...]) >= minimumPartLength
                    else { continue }
                    let entry = lexicon.entry(at: index)
                    let mayContinue =
                        next.parts == 1
                        ? entry.flags.contains(.compoundBegin)
                        : !entry.flags.isDisjoint(with: [.compoundBegin, .compoundMiddle])
                    if mayContinue {
                        var split = next
                        split.partStart = split.output.count
                        split.parts += 1
                        split.forms = lexicon.allForms
                        push(split, at: end)
                    }
                }
            }
        }

        var best: [String: RepairCandidate] = [:]
        for state in buckets[n % ring].values where state.partStart < state.output.count {
            let part = state.output[state.partStart...]
            guard scalarCount(part) >= (state.parts > 1 ? minimumPartLength : 1),
                let index = lexicon.exactForm(in: state.forms, length: part.count)
            else { continue }
            let entry = lexicon.entry(at: index)
            var lm: Double
            if state.parts == 1 {
                guard entry.flags.contains(.standalone) else { continue }
                lm = entry.logProbability
            } else {
                let isEnd = entry.flags.contains(.compoundEnd)
                guard isEnd || entry.flags.contains(.standalone) else { continue }
                // The head's frequency orders compounds, within a band: frequent heads
                // ("är") do not make a compound likely, rare ones do not make it unlikely.
                let raw = min(entry.logProbability, compoundHeadCeiling) - compoundCost
                // Below the floor the head's frequency still orders readings, but weakly.
                lm =
                    (raw >= compoundFloor ? raw : compoundFloor + 0.25 * (raw - compoundFloor))
                    - compoundBoundaryCost * Double(state.parts - 2) - (isEnd ? 0 : 1.5)
                    - (scalarCount(part) <= 3 ? shortPartCost : 0)
            }
            let word = String(decoding: state.output, as: UTF8.self)
            let candidate = RepairCandidate(
                word: word, channelLogProbability: state.logP, lexiconLogProbability: lm,
                parts: state.parts, startsWithCapitalI: state.capitalI)
            if let old = best[word], old.score >= candidate.score { continue }
            best[word] = candidate
        }
        let sorted = best.values.sorted {
            $0.score != $1.score ? $0.score > $1.score : $0.word < $1.word
        }
        return Array(sorted.prefix(limit))
    }

    private func scalarCount<C: Collection>(_ bytes: C) -> Int where C.Element == UInt8 {
        bytes.reduce(0) { $0 + (($1 & 0xC0) != 0x80 ? 1 : 0) }
    }
}
