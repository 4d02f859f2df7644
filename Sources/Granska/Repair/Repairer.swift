import Foundation

/// Restores Swedish diacritics and OCR letter confusions in text read with an English OCR
/// model: a conservative noisy-channel corrector.
///
/// Each word is read by ``CandidateGenerator`` (learned OCR channel × lexicon of word forms
/// and compounds); ambiguous words are decided with in-domain bigram counts. A word is
/// changed only when the best reading beats the word as written with posterior at least
/// ``minConfidence``; words that are valid as written need stronger evidence. Acronyms,
/// numbers, URLs and e-mail addresses are left alone, and text that already carries its
/// diacritics is not touched at all.
public struct Repairer: Sendable {
    /// Lexicon, context counts, letter model and channel.
    public let model: RepairModel
    /// Candidate readings of one word.
    public let generator: CandidateGenerator
    /// Edits below this posterior are not applied.
    public var minConfidence: Double
    /// A word that is itself a valid form is replaced only when its own posterior is
    /// at most 1 minus this.
    public var minConfidenceForValidWord = 0.8
    /// The same, in a document that writes å, ä and ö as plain a and o nearly always
    /// (diacritics stripped): there a plain valid word is more often a stripped one.
    public var minConfidenceForValidWordWhenStripped = 0.65
    /// log P of a word of plain letters that no lexicon or compound reading explains.
    public var unknownWordLogProbability = -24.0
    /// Weight of the letter model's atypicality in the prior of an unexplained word.
    public var letterModelWeight = 2.0
    /// Added for a capitalised unexplained word (likely a name).
    public var capitalisedUnknownBonus = 2.0
    /// log P of an unexplained word containing OCR glyphs ("fors6rjning", "f&r", "bedémning"):
    /// such a spelling is almost never what the author wrote.
    public var unknownGlyphWordLogProbability = -30.0
    /// A pair never seen lowers a reading by at most this plus log(1 + its expected count)
    /// (4 at most): counts are small, so absence is weak evidence unless the pair would be
    /// common.
    public var maxContextPenalty = 0.5
    /// Weight of the bigram context against the unigram prior.
    public var contextWeight = 1.0
    /// Weight of the skip pairs (the word two before and two after) in choosing between
    /// readings that strip to the same letters ("ett ändamålsenligt sätt").
    public var skipContextWeight = 1.0
    /// A listed word of at most ``rareWordMaxLength`` letters rarer than this (log P)
    /// still gets its readings generated: OCR misreads short frequent words as short rare
    /// ones ("dr" for "är").
    public var rareWordLogProbability = -8.0
    /// See ``rareWordLogProbability``.
    public var rareWordMaxLength = 5
    /// A reading with a dropped letter put back must score at least this (channel and
    /// lexicon log P).
    public var minimumRestoredScore = -16.0
    /// Weight of the word-class context (``LexiconEntry/wordClass``) against the unigram
    /// prior, beside the word bigrams.
    public var wordClassWeight = 0.5
    /// A class pair never seen lowers a reading by at most this.
    public var maxWordClassPenalty = 2.0
    /// Pseudo-count of the unigram prior in the bigram estimate.
    public var contextSmoothing = 3.0
    /// A text whose share of word tokens carrying å/ä/ö reaches this is clean Swedish.
    public var cleanDiacriticShare = 0.03
    /// A document whose share of confidently repairable words stays below this is clean.
    public var cleanRepairableShare = 0.01

    /// A repairer over `model` that applies edits with posterior ≥ `minConfidence`.
    public init(model: RepairModel, minConfidence: Double = 0.5) {
        self.model = model
        self.generator = CandidateGenerator(lexicon: model.lexicon, channel: model.channel)
        self.minConfidence = minConfidence
    }

    /// The outcome of repairing one text.
    public struct Result: Sendable {
        /// The text with corrected words; everything else byte for byte as given.
        public var text: String
        /// Applied corrections; spans are Unicode-scalar offsets into ``text``.
        public var edits: [RepairEdit]
        /// Corrections found but below the confidence threshold (spans into ``text``).
        public var rejected: [RepairEdit]
    }

    /// A document-level summary used to decide whether to repair at all.
    public struct Assessment: Sendable {
        /// Word tokens seen.
        public var wordCount: Int
        /// Share of word tokens containing å, ä or ö.
        public var diacriticShare: Double
        /// Share of word tokens with a confident context-free correction.
        public var repairableShare: Double
        /// Whether the text looks clean (born-digital): then nothing is changed.
        public var looksClean: Bool
    }

    /// Repairs one text (for instance a whole file).
    public func repair(_ text: String) -> Result {
        repair([text])[0]
    }

    /// Repairs the texts of one document, sharing the per-document state (corruption
    /// estimate, word analyses, consistent corrections) across them.
    public func repair(_ texts: [String]) -> [Result] {
        let session = RepairSession(repairer: self)
        let raw = texts.map { session.tokenise($0) }
        // Texts that carry their diacritics (born-digital pages) are left alone; the rest
        // are repaired only if, together, they show enough repairable words. Inside them,
        // lines that carry their diacritics are left alone too.
        let clean = raw.map { session.cleanByDiacritics([$0]) != nil }
        let tokenised = zip(texts, raw).map { text, tokens in
            session.protectingCleanLines(of: text, tokens)
        }
        let suspect = zip(tokenised, clean).filter { !$0.1 }.map(\.0)
        if !suspect.isEmpty, session.cleanByDiacritics(suspect) != nil {
            return texts.map { Result(text: $0, edits: [], rejected: []) }
        }
        // Each token's analysis, looked up once for the assessment, adaptation and repair.
        let analysed = suspect.map { session.analysed($0) }
        let assessment = session.assess(suspect, analysed: analysed)
        // Beside clean texts, a few suspect ones (short headings, names) need more than one
        // or two repairable words before they count as damaged.
        let fewInCleanDocument =
            suspect.count < texts.count
            && assessment.repairableShare * Double(assessment.wordCount) < 3
        if suspect.isEmpty || assessment.looksClean || fewInCleanDocument {
            return texts.map { Result(text: $0, edits: [], rejected: []) }
        }
        session.adaptChannel(suspect, analysed: analysed)
        var nextSuspect = 0
        return zip(texts, zip(tokenised, clean)).map { text, item in
            if item.1 { return Result(text: text, edits: [], rejected: []) }
            defer { nextSuspect += 1 }
            return session.repair(text, tokens: item.0, analysed: analysed[nextSuspect])
        }
    }

    /// The readings of one word with their scores, for debugging.
    public func debugDescription(of word: String) -> String {
        let a = RepairSession(repairer: self).analysis(word)
        let atypical = model.letters.atypicality(of: a.lower)
        return "valid=\(a.isValid) atypical=\(String(format: "%.1f", atypical)) "
            + a.candidates.map {
                "\($0.word)[ch \(String(format: "%.2f", $0.channelLogProbability)) lm "
                    + "\(String(format: "%.2f", $0.lexiconLogProbability)) p\($0.parts)]"
            }.joined(separator: " ")
    }

    /// Whether `texts` (one document) carry å, ä and ö in the share of words clean Swedish
    /// does: then they are left as they are (and may be learned from, see
    /// ``ContextLearner``).
    public func carriesDiacritics(_ texts: [String]) -> Bool {
        let session = RepairSession(repairer: self)
        return session.cleanByDiacritics(texts.map { session.tokenise($0) }) != nil
    }

    /// Whether `texts` (one document) would be left unchanged as clean, and why.
    public func assess(_ texts: [String]) -> Assessment {
        let session = RepairSession(repairer: self)
        return session.assess(texts.map { session.tokenise($0) })
    }
}

/// A word token of the input: UTF-8 byte range and its text.
struct RepairToken {
    var range: Range<Int>
    var text: String
    /// The token may be corrected (letters, not an acronym, number, URL or address).
    var isCandidate: Bool
    /// A word that is never changed but is context for its neighbours: a one-letter word
    /// ("i", "a") or a word of a clean line.
    var isContextOnly = false
    /// The token is a lone `|` or `l` standing where a capital I (the word "I") belongs.
    var isLoneCapitalI: Bool
}

/// The context-free analysis of one distinct word form (a class: every token of the form
/// shares it).
final class WordAnalysis {
    let lower: String
    /// Readings, best first; includes the word itself when it is valid.
    var candidates: [RepairCandidate]
    /// The word as written is a lexicon form or compound.
    var isValid: Bool
    /// The word contains scalars outside the Swedish alphabet (digits, "&", "é" ...).
    var hasGlyphs: Bool
    /// The word as written starts with a capital.
    var isCapitalised: Bool
    /// Readings that share their stripped letters with another reading, when the two
    /// best do (see ``RepairSession/twinsDecidedBySkips(_:)``): only these weigh skip
    /// pairs.
    var twins: Set<String> = []
    /// ``lower`` interned in the session (see ``RepairSession/id(_:)``).
    var lowerId: Int32 = -1
    /// The words of ``candidates``, interned, in the same order.
    var candidateIds: [Int32] = []

    init(
        lower: String, candidates: [RepairCandidate], isValid: Bool, hasGlyphs: Bool,
        isCapitalised: Bool, twins: Set<String> = [], lowerId: Int32 = -1,
        candidateIds: [Int32] = []
    ) {
        self.lower = lower
        self.candidates = candidates
        self.isValid = isValid
        self.hasGlyphs = hasGlyphs
        self.isCapitalised = isCapitalised
        self.twins = twins
        self.lowerId = lowerId
        self.candidateIds = candidateIds
    }
}

/// A set of scalars with constant-time membership for ASCII (checked for every scalar of
/// every token, so hashing each would cost more than the rest of tokenising).
struct ScalarSet {
    private var low: UInt64 = 0
    private var high: UInt64 = 0
    private let others: Set<Unicode.Scalar>

    init(_ scalars: Set<Unicode.Scalar>) {
        others = scalars.filter { !$0.isASCII }
        for s in scalars where s.isASCII {
            if s.value < 64 {
                low |= 1 << UInt64(s.value)
            } else {
                high |= 1 << UInt64(s.value - 64)
            }
        }
    }

    func contains(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 64 { return low & (1 << UInt64(v)) != 0 }
        if v < 128 { return high & (1 << UInt64(v - 64)) != 0 }
        return !others.isEmpty && others.contains(s)
    }
}

/// Whether `word` contains å, ä, ö or a capital of them (NFC), by its UTF-8 bytes.
func containsMarkedLetter(_ word: String) -> Bool {
    var afterLead = false
    for b in word.utf8 {
        if afterLead, b == 0xA5 || b == 0xA4 || b == 0xB6 || b == 0x85 || b == 0x84 || b == 0x96 {
            return true
        }
        afterLead = b == 0xC3
    }
    return false
}

/// Per-document state: caches and the corruption estimate.
final class RepairSession {
    /// The context word standing for any number.
    static let numberWord = "<num>"
    /// The context word standing for a year (four digits, 1900–2099): "år 2022" and
    /// "2022 är" behave unlike "18 år".
    static let yearWord = "<year>"
    /// Context words for a sentence's start and end (after . ! ?), as the model counts them.
    static let sentenceStartWord = "<s>"
    static let sentenceEndWord = "</s>"

    /// Whether `word` is a year: four ASCII digits from 1900 to 2099.
    static func isYear(_ word: String) -> Bool {
        let u = Array(word.utf8)
        return u.count == 4 && u.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            && (u[0] == 0x31 && u[1] == 0x39 || u[0] == 0x32 && u[1] == 0x30)
    }
    /// Lower-case letters of the Swedish alphabet.
    static let swedishLetters = Set("abcdefghijklmnopqrstuvwxyzåäö".unicodeScalars)
    let repairer: Repairer
    var analyses: [String: WordAnalysis] = [:]
    /// Lexicon ranges already narrowed in this document.
    var prefixCache = CandidateGenerator.PrefixCache()
    /// Confident corrections made so far: lower-case original → replacement → count
    /// (word ids).
    var confident: [Int32: [Int32: Int]] = [:]
    /// Per lower-case original: a stamp that changes whenever its consistency bonuses
    /// (counts up to 4) change, so a cache key need not spell the counts out.
    var consistencyStamp: [Int32: Int] = [:]
    private var lastStamp = 0

    /// Lower-case words interned for this document: the decisions and their caches key
    /// on small integers instead of hashing (and NFC-normalising) strings per token.
    private var wordIds: [String: Int32] = [:]
    /// The word of each id.
    private(set) var words: [String] = []

    /// The id of `word`, interning it on first sight.
    func id(_ word: String) -> Int32 {
        if let known = wordIds[word] { return known }
        let new = Int32(words.count)
        wordIds[word] = new
        words.append(word)
        return new
    }

    /// Counts one more confident correction of `original` to `word` (ids).
    func countConfident(_ original: Int32, _ word: Int32) {
        let n = confident[original]?[word] ?? 0
        confident[original, default: [:]][word] = n + 1
        if n < 4 {
            lastStamp += 1
            consistencyStamp[original] = lastStamp
        }
    }

    init(repairer: Repairer) {
        self.repairer = repairer
        glyphs = ScalarSet(repairer.model.channel.wordGlyphs)
    }

    /// The channel's OCR glyphs that may stand inside a word ("&", "6", "é" ...).
    let glyphs: ScalarSet

    /// Whether the channel reads `glyph`, alone, as å, ä or ö ("4" for "ä").
    private func readsMarked(_ glyph: Unicode.Scalar) -> Bool {
        repairer.model.channel.rules(startingWith: glyph).contains {
            $0.glyphs.unicodeScalars.count == 1 && "åäö".contains($0.letters)
        }
    }

    // MARK: Tokens

    func tokenise(_ text: String) -> [RepairToken] {
        let bytes = Array(text.utf8)
        let segments = ICU.wordSegments(text)
        let glyphs = self.glyphs
        func segmentText(_ r: Range<Int>) -> String {
            String(decoding: bytes[r], as: UTF8.self)
        }
        func isGlyphRun(_ s: String) -> Bool {
            !s.isEmpty && s.unicodeScalars.allSatisfy { glyphs.contains($0) }
        }
        var tokens: [RepairToken] = []
        var i = 0
        while i < segments.count {
            let seg = segments[i]
            // Most segments between words are one space or line break: no string needed.
            if !seg.isWord, seg.utf8Range.count == 1, isSpace(bytes[seg.utf8Range.lowerBound]) {
                i += 1
                continue
            }
            let s = segmentText(seg.utf8Range)
            guard seg.isWord || isGlyphRun(s) else {
                if s == "|" { tokens.append(loneI(bytes, seg.utf8Range, "|")) }
                i += 1
                continue
            }
            // Merge a run of word segments and OCR glyphs written without a break ("f&r").
            var j = i
            var hasWord = false
            var end = seg.utf8Range.upperBound
            while j < segments.count {
                let sj = segments[j]
                let t = segmentText(sj.utf8Range)
                if sj.isWord {
                    hasWord = true
                } else if !isGlyphRun(t) || t == "|" && j == i {
                    break
                }
                end = sj.utf8Range.upperBound
                j += 1
            }
            if !hasWord {
                if s == "|" { tokens.append(loneI(bytes, seg.utf8Range, "|")) }
                i += 1
                continue
            }
            // Do not swallow trailing glyphs that are not followed by a word, unless they
            // read as a marked letter ("ocks&", "Likas&": å ends many words).
            while j > i + 1, !segments[j - 1].isWord,
                !segmentText(segments[j - 1].utf8Range).unicodeScalars.allSatisfy(readsMarked)
            {
                j -= 1
                end = segments[j - 1].utf8Range.upperBound
            }
            let range = seg.utf8Range.lowerBound..<end
            let word = segmentText(range)
            var token = RepairToken(
                range: range, text: word, isCandidate: isCandidateWord(word, bytes, range),
                isLoneCapitalI: false)
            token.isContextOnly =
                word.unicodeScalars.count == 1
                && word.unicodeScalars.first!.properties.isAlphabetic
            if word == "l" { token = loneI(bytes, range, "l") }
            tokens.append(token)
            i = j
        }
        return tokens
    }

    /// A lone `|` or `l` that opens a line or sentence before a word is a misread "I"
    /// (not in table rows, where `|` separates cells). In mid-sentence a lone `|` is
    /// as often a column rule as a word, so it is left alone.
    private func loneI(_ bytes: [UInt8], _ range: Range<Int>, _ text: String) -> RepairToken {
        var k = range.lowerBound - 1
        while k >= 0, bytes[k] == 0x20 || bytes[k] == 0x09 { k -= 1 }
        let opensLine = k < 0 || bytes[k] == 0x0A
        let opens = opensLine || [0x2E, 0x21, 0x3F].contains(bytes[k])
        var m = range.upperBound
        var sawSpace = false
        while m < bytes.count, isSpace(bytes[m]) {
            m += 1
            sawSpace = true
        }
        let next: Unicode.Scalar? = {
            guard sawSpace, m < bytes.count else { return nil }
            let rest = String(decoding: bytes[m..<min(bytes.count, m + 4)], as: UTF8.self)
            return rest.unicodeScalars.first
        }()
        var token = RepairToken(
            range: range, text: text, isCandidate: false, isLoneCapitalI: false)
        let glued = k >= 0 && k == range.lowerBound - 1 && bytes[k] != 0x0A
        // After a sentence inside a line, " | " followed by a capital is a cell separator.
        guard let next, next.properties.isAlphabetic, !glued, opens,
            opensLine || next.properties.isLowercase, !isTableRow(bytes, around: range)
        else { return token }
        token.isLoneCapitalI = true
        return token
    }

    /// Whether the line around `range` is a table row: cells joined by " | " more than once.
    private func isTableRow(_ bytes: [UInt8], around range: Range<Int>) -> Bool {
        var a = range.lowerBound
        while a > 0, bytes[a - 1] != 0x0A { a -= 1 }
        var b = range.upperBound
        while b < bytes.count, bytes[b] != 0x0A { b += 1 }
        var separators = 0
        var i = a
        while i + 2 < b {
            if bytes[i] == 0x20 && bytes[i + 1] == 0x7C && bytes[i + 2] == 0x20 { separators += 1 }
            i += 1
        }
        let line = String(decoding: bytes[a..<b], as: UTF8.self)
            .trimmingCharacters(in: .whitespaces)
        return separators > 1 || (line.hasPrefix("|") && line.hasSuffix("|") && line.count > 1)
    }

    private func isCandidateWord(_ word: String, _ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        var letters = 0
        var digits = 0
        var upper = 0
        var glyphCount = 0
        var scalarCount = 0
        for s in word.unicodeScalars {
            scalarCount += 1
            if glyphs.contains(s) { glyphCount += 1 }
            if s.isASCII {
                let v = s.value
                if (0x41...0x5A).contains(v) {
                    letters += 1
                    upper += 1
                } else if (0x61...0x7A).contains(v) {
                    letters += 1
                } else if (0x30...0x39).contains(v) {
                    digits += 1
                    if !glyphs.contains(s) { return false }
                }
            } else if s.properties.isAlphabetic {
                letters += 1
                if s.properties.isUppercase { upper += 1 }
            } else if s.properties.numericType != nil {
                digits += 1
                if !glyphs.contains(s) { return false }
            }
        }
        // One-letter words are left alone ("&r" is two glyphs): "å" (river) and "ö"
        // (island) almost never stand alone in reports, while "a", "o", "e" do (list
        // labels, "a-kassa").
        // Digits need two letters beside them ("h4r"), or, alone with one letter, must be
        // a reading of å, ä or ö ("4r" for "är"): "2a", "1a" and "4h" stay as written.
        guard letters >= 1, letters + glyphCount >= 2, digits <= 2,
            digits == 0 || letters >= 2
                || (digits == 1 && letters == 1
                    && word.unicodeScalars.contains(where: readsMarked)),
            scalarCount <= 60
        else { return false }
        // Part of a URL or an e-mail address: look at the whole whitespace-delimited chunk.
        var a = range.lowerBound
        while a > 0, !isSpace(bytes[a - 1]) { a -= 1 }
        var b = range.upperBound
        while b < bytes.count, !isSpace(bytes[b]) { b += 1 }
        let chunk = bytes[a..<b]
        if chunk.contains(0x40) { return false }  // "@": an e-mail address
        var i = a
        while i + 2 < b {
            if bytes[i] == 0x3A && bytes[i + 1] == 0x2F && bytes[i + 2] == 0x2F { return false }
            i += 1
        }
        if b - a >= 4, bytes[a] | 0x20 == 0x77, bytes[a + 1] | 0x20 == 0x77,
            bytes[a + 2] | 0x20 == 0x77, bytes[a + 3] == 0x2E
        {
            return false  // "www."
        }
        return true
    }

    private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }

    // MARK: Analysis

    func analysis(_ word: String) -> WordAnalysis {
        if let cached = analyses[word] { return cached }
        let lower = ICU.lowercased(ICU.normalize(word))
        let lexicon = repairer.model.lexicon
        let hasGlyphs = lower.unicodeScalars.contains {
            !Self.swedishLetters.contains($0) && $0 != "-"
        }
        // Fast path: a listed word of plain Swedish letters that no marked form strips to
        // has no reading that could beat it (other rewrites cost far more than the guard
        // allows), so the beam is skipped. Not so for a short rare one: "dr", "sd" and
        // "ven" are listed, but in OCR text mostly "är", "så" and "även" misread.
        if !hasGlyphs, let entry = lexicon.entry(lower), entry.flags.contains(.standalone),
            !entry.flags.contains(.markedTwin),
            entry.logProbability >= repairer.rareWordLogProbability
                || lower.unicodeScalars.count > repairer.rareWordMaxLength
        {
            let identity = RepairCandidate(
                word: lower, channelLogProbability: 0, lexiconLogProbability: entry.logProbability,
                parts: 1, startsWithCapitalI: false)
            let lowerId = id(lower)
            let result = WordAnalysis(
                lower: lower, candidates: [identity], isValid: true, hasGlyphs: false,
                isCapitalised: word.unicodeScalars.first?.properties.isUppercase ?? false,
                lowerId: lowerId, candidateIds: [lowerId])
            analyses[word] = result
            return result
        }
        let glyphs = Array(lower.unicodeScalars)
        var candidates = repairer.generator.candidates(for: glyphs, cache: &prefixCache)
        // A word no reading explains well (none as probable as a common word) may have
        // lost a letter ("flja" for "följa", "fr" for "för").
        if candidates.allSatisfy({ $0.score < repairer.rareWordLogProbability }) {
            // Only a fairly common word is worth the put-back letter: "Sel" (an OCR'd
            // "3.1.1") is not the island "Ösel".
            let known = Set(candidates.map(\.word))
            let wider = repairer.generator.candidates(
                for: glyphs, cache: &prefixCache, restoringDropped: true
            ).filter { known.contains($0.word) || $0.score >= repairer.minimumRestoredScore }
            if !wider.isEmpty { candidates = wider }
        }
        var isValid = false
        // Valid means listed as a word: a compound reading of the word as written ("namn+den")
        // stays a candidate but earns no protection.
        if candidates.contains(where: {
            $0.word == lower && !$0.startsWithCapitalI && $0.parts == 1
        }) {
            isValid = true
        } else if let entry = lexicon.entry(lower), entry.flags.contains(.standalone) {
            isValid = true
            candidates.removeAll { $0.word == lower }
            candidates.append(
                RepairCandidate(
                    word: lower, channelLogProbability: 0,
                    lexiconLogProbability: entry.logProbability, parts: 1,
                    startsWithCapitalI: false))
        }
        let result = WordAnalysis(
            lower: lower, candidates: candidates, isValid: isValid, hasGlyphs: hasGlyphs,
            isCapitalised: word.unicodeScalars.first?.properties.isUppercase ?? false,
            twins: Self.twinsDecidedBySkips(candidates), lowerId: id(lower),
            candidateIds: candidates.map { id($0.word) })
        analyses[word] = result
        return result
    }

    /// Scores of the readings of `a` (and of the word as written when it is not valid).
    /// One reading with its score (a class: lists are cached and read per token, and a
    /// reference is cheaper to pass around than the strings inside).
    final class ScoredReading {
        let word: String
        let id: Int32
        let score: Double
        /// The lexicon or compound reading; nil for the word as written, unexplained.
        let candidate: RepairCandidate?
        /// The part of `score` that the word classes gave.
        let classPart: Double

        init(
            _ word: String, _ id: Int32, _ score: Double, _ candidate: RepairCandidate?,
            classPart: Double = 0
        ) {
            self.word = word
            self.id = id
            self.score = score
            self.candidate = candidate
            self.classPart = classPart
        }
    }

    typealias ScoredList = [ScoredReading]
    /// Context-free lists, valid while the document state (adaptation, consistency) holds.
    private var contextFreeCache: [Int32: ScoredList] = [:]

    /// Scores of the readings of `a` between context words (ids), best first.
    private func scored(
        _ a: WordAnalysis, previous: Int32?, next: Int32?,
        skips: (before: Int32?, after: Int32?) = (nil, nil)
    ) -> ScoredList {
        if previous == nil && next == nil && confident[a.lowerId] == nil {
            if let cached = contextFreeCache[a.lowerId] { return cached }
            let list = computeScored(a, previous: nil, next: nil)
            contextFreeCache[a.lowerId] = list
            return list
        }
        // The same word between the same neighbours, with the same consistency counts,
        // scores the same: common in a document, and in the second pass.
        let key = ScoreKey(
            word: a.lowerId, previous: previous ?? -1, next: next ?? -1,
            before: skips.before ?? -1, after: skips.after ?? -1,
            stamp: consistencyStamp[a.lowerId] ?? 0)
        if let cached = contextCache[key] { return cached }
        let list = computeScored(a, previous: previous, next: next, skips: skips)
        contextCache[key] = list
        return list
    }

    /// Context-scored lists by word, neighbours and consistency counts.
    private var contextCache: [ScoreKey: ScoredList] = [:]

    /// A word in its context (ids, −1 for none), with the stamp of its consistency counts.
    private struct ScoreKey: Hashable {
        var word: Int32
        var previous: Int32
        var next: Int32
        var before: Int32
        var after: Int32
        var stamp: Int
    }

    private func computeScored(
        _ a: WordAnalysis, previous: Int32?, next: Int32?,
        skips: (before: Int32?, after: Int32?) = (nil, nil)
    ) -> ScoredList {
        let twinned = skips.before != nil || skips.after != nil ? a.twins : []
        let counts = confident[a.lowerId]
        let adaptations = channelAdaptations(a)
        // Class evidence is not centred (a typical context favours any word of a common
        // class), so it weighs only between readings that all have a class.
        let classes =
            repairer.wordClassWeight > 0 && a.candidateIds.count > 1
            && a.candidateIds.allSatisfy { wordClass($0) != 0 }
        var list: ScoredList = zip(a.candidates.indices, a.candidateIds).map { k, cid in
            let c = a.candidates[k]
            let adapt = adaptations[k]
            var s = c.score + adapt
            var classPart = 0.0
            if previous != nil || next != nil {
                s =
                    c.channelLogProbability + adapt
                    + contextLogProbability(c, cid, previous: previous, next: next)
                if classes {
                    classPart =
                        repairer.wordClassWeight
                        * wordClassEvidence(cid, previous: previous, next: next)
                    s += classPart
                }
            }
            if twinned.contains(c.word) {
                s += repairer.skipContextWeight * skipEvidence(cid, skips)
            }
            if let counts, let n = counts[cid] {
                s += min(2.0, 0.5 * Double(n))  // document consistency
            }
            return ScoredReading(c.word, cid, s, c, classPart: classPart)
        }
        if !a.isValid {
            // The word as written: as a compound reading (scored with the same context as
            // the others) or as an unknown word, whichever is likelier.
            let unknown = unknownLogProbability(a)
            if let k = list.firstIndex(where: { $0.id == a.lowerId }) {
                if list[k].score < unknown {
                    list[k] = ScoredReading(a.lower, a.lowerId, unknown, nil)
                }
            } else {
                list.append(ScoredReading(a.lower, a.lowerId, unknown, nil))
            }
        }
        return list.sorted { $0.score > $1.score }
    }

    // MARK: Document channel

    /// Per document: log P(plain base letter | å/ä/ö), estimated from its confident
    /// corrections. A text with every diacritic stripped writes ö as o always, while an
    /// English OCR layer often writes é or 6; the learned channel is the prior.
    var plainReadingLogP: [Unicode.Scalar: Double] = [:]
    /// The document writes every marked letter as its plain base letter at least 90 % of
    /// the time.
    var isStripped = false

    static let marked: [(letter: Unicode.Scalar, base: Unicode.Scalar)] = [
        ("å", "a"), ("ä", "a"), ("ö", "o"),
    ]

    func adaptChannel(_ documents: [[RepairToken]], analysed: [[WordAnalysis?]]) {
        var plain: [Unicode.Scalar: Double] = [:]
        var total: [Unicode.Scalar: Double] = [:]
        var seen: Set<Int32> = []
        for analyses in analysed {
            for case let a? in analyses {
                guard !a.isValid, let best = a.candidates.first, seen.insert(a.lowerId).inserted
                else { continue }
                let list = scored(a, previous: nil, next: nil)
                guard list.first?.word == best.word, posterior(list) >= 0.9 else { continue }
                let o = Array(a.lower.unicodeScalars)
                let c = Array(best.word.unicodeScalars)
                guard o.count == c.count else { continue }
                for (g, l) in zip(o, c) where Self.marked.contains(where: { $0.letter == l }) {
                    total[l, default: 0] += 1
                    if Self.marked.contains(where: { $0.letter == l && $0.base == g }) {
                        plain[l, default: 0] += 1
                    }
                }
            }
        }
        defer {
            contextFreeCache = [:]
            contextCache = [:]
            adaptationMemo = [:]
        }
        let channel = repairer.model.channel
        let alpha = 5.0
        isStripped = Self.marked.allSatisfy { m in
            let n = total[m.letter, default: 0]
            return n >= 20 && plain[m.letter, default: 0] / n >= 0.9
        }
        for (letter, base) in Self.marked {
            guard
                let learned = channel.logProbability(
                    glyphs: String(base), letters: String(letter))
            else { continue }
            let p =
                (plain[letter, default: 0] + alpha * exp(learned))
                / (total[letter, default: 0] + alpha)
            plainReadingLogP[letter] = log(min(p, 0.995)) - learned
        }
    }

    /// ``channelAdaptation(_:_:)`` of each candidate of `a`, computed once per document
    /// (the estimates are fixed once ``adaptChannel(_:)`` has run).
    private func channelAdaptations(_ a: WordAnalysis) -> [Double] {
        if plainReadingLogP.isEmpty { return [Double](repeating: 0, count: a.candidates.count) }
        if let known = adaptationMemo[a.lowerId] { return known }
        let values = a.candidates.map { channelAdaptation($0, a) }
        adaptationMemo[a.lowerId] = values
        return values
    }

    private var adaptationMemo: [Int32: [Double]] = [:]

    /// The change to a reading's channel score under the document's own estimates.
    private func channelAdaptation(_ c: RepairCandidate, _ a: WordAnalysis) -> Double {
        guard !plainReadingLogP.isEmpty else { return 0 }
        let o = Array(a.lower.unicodeScalars)
        let w = Array(c.word.unicodeScalars)
        guard o.count == w.count else { return 0 }
        var adjustment = 0.0
        for (g, l) in zip(o, w) where g != l {
            if let delta = plainReadingLogP[l],
                Self.marked.contains(where: { $0.letter == l && $0.base == g })
            {
                adjustment += delta
            }
        }
        return adjustment
    }

    /// log P of the word as written being a word no list contains: a name is likelier
    /// (capitalised), a spelling with OCR glyphs or un-Swedish letter runs unlikelier.
    private func unknownLogProbability(_ a: WordAnalysis) -> Double {
        if let cached = unknownCache[a.lowerId] { return cached }
        let logP = computeUnknownLogProbability(a)
        unknownCache[a.lowerId] = logP
        return logP
    }

    private var unknownCache: [Int32: Double] = [:]

    private func computeUnknownLogProbability(_ a: WordAnalysis) -> Double {
        var logP =
            a.hasGlyphs
            ? repairer.unknownGlyphWordLogProbability : repairer.unknownWordLogProbability
        if !a.hasGlyphs {
            if a.isCapitalised { logP += repairer.capitalisedUnknownBonus }
            // Letter sequences unlike Swedish ("uppfdljningarna") are unlikely as written.
            let atypical = repairer.model.letters.atypicality(of: a.lower)
            logP -= min(max(atypical * repairer.letterModelWeight, 0), 20)
        }
        return logP
    }

    /// log P(c) + log P(c | previous) − log P(c) + log P(next | c) − log P(next), with
    /// bigram estimates smoothed towards the unigram.
    ///
    /// A pair never seen lowers a reading by at most `0.5 + log(1 + expected count)`
    /// (capped at 4): absence is telling only when the pair would be frequent.
    private func contextLogProbability(
        _ c: RepairCandidate, _ cid: Int32, previous: Int32?, next: Int32?
    ) -> Double {
        var logP = c.lexiconLogProbability
        if let previous {
            // No class fallback here: b is the reading itself, and its class ("forts")
            // holds its rivals ("att fortsätta" would vouch for "att fortsatta").
            logP +=
                repairer.contextWeight
                * pairEvidence(previous, cid, c.lexiconLogProbability, classFallback: false)
        }
        if let next {
            logP += repairer.contextWeight * pairEvidence(cid, next, lexiconLogProbability(next))
        }
        return logP
    }

    // MARK: Word classes

    /// Evidence for a reading from the word classes beside it: log P(class | previous) −
    /// log P(class) and log P(next | class) − log P(next), each from the word's own pairs
    /// with the class ("att" + an infinitive) or, when those were never counted, from the
    /// class pair ("#det #noun"). 0 for a reading without a class.
    ///
    /// Word pairs are sparse (a million words of text, few of them reports); classes pool
    /// every word that behaves alike, so "att fortsätta" and "det fortsatta arbetet" are
    /// told apart though neither pair was seen.
    private func wordClassEvidence(_ cid: Int32, previous: Int32?, next: Int32?) -> Double {
        let cls = wordClass(cid)
        guard cls != 0 else { return 0 }
        func memoised(_ key: UInt64, _ compute: () -> Double) -> Double {
            if let known = classEvidenceMemo[key] { return known }
            let e = compute()
            classEvidenceMemo[key] = e
            return e
        }
        var evidence = 0.0
        if let previous {
            // The top bit tells a (previous, reading) key from a (reading, next) one.
            evidence += memoised(Self.pairKey(previous, cid) | (1 << 63)) {
                classEvidence(before: previous, cls)
            }
        }
        if let next {
            evidence += memoised(Self.pairKey(cid, next)) { classEvidence(cls, after: next) }
        }
        return evidence
    }

    /// log((pair + k·p) / (n + k)) − log p: how much more often the pair was seen than
    /// chance (p, the second's unigram probability, n the first's count) would have it,
    /// smoothed towards chance by ``Repairer/contextSmoothing`` (k).
    private func smoothedPMI(_ pair: Double, given n: Double, p: Double) -> Double {
        let k = repairer.contextSmoothing
        return log((pair + k * p) / (n + k)) - log(p)
    }

    /// log P(class | a) − log P(class), from "a >#class", else from "#class(a) #class".
    private func classEvidence(before a: Int32, _ cls: UInt16) -> Double {
        let context = repairer.model.context
        let total = Double(max(contextTotal, 1))
        let nc = Double(context.count("#\(cls)"))
        guard nc > 0 else { return 0 }
        let pc = nc / total
        let na = Double(unigramCount(a))
        if na > 0 {
            let pair = Double(context.count(words[Int(a)] + " >#\(cls)"))
            if pair > 0 { return smoothedPMI(pair, given: na, p: pc) }
        }
        let ca = wordClass(a)
        guard ca != 0 else { return 0 }
        let nca = Double(context.count("#\(ca)"))
        guard nca > 0 else { return 0 }
        let pair = Double(context.count("#\(ca) #\(cls)"))
        return max(smoothedPMI(pair, given: nca, p: pc), -repairer.maxWordClassPenalty)
    }

    /// log P(b | class) − log P(b), from "#class b", else from "#class #class(b)".
    private func classEvidence(_ cls: UInt16, after b: Int32) -> Double {
        let context = repairer.model.context
        let total = Double(max(contextTotal, 1))
        let nc = Double(context.count("#\(cls)"))
        guard nc > 0 else { return 0 }
        let nb = Double(unigramCount(b))
        if nb > 0 {
            let pair = Double(context.count("#\(cls) " + words[Int(b)]))
            if pair > 0 { return smoothedPMI(pair, given: nc, p: nb / total) }
        }
        let cb = wordClass(b)
        guard cb != 0 else { return 0 }
        let ncb = Double(context.count("#\(cb)"))
        guard ncb > 0 else { return 0 }
        let pcb = ncb / total
        let pair = Double(context.count("#\(cls) #\(cb)"))
        return max(smoothedPMI(pair, given: nc, p: pcb), -repairer.maxWordClassPenalty)
    }

    /// The word class of a word id (``LexiconEntry/wordClass``); a word the lexicon lacks
    /// (a compound) takes its longest listed ending's of at least three letters, as in the
    /// build. Memoised per document.
    func wordClass(_ word: Int32) -> UInt16 {
        let i = Int(word)
        if i < wordClassMemo.count, let c = wordClassMemo[i] { return c }
        let lexicon = repairer.model.lexicon
        var cls: UInt16 = 0
        let w = words[i]
        if let entry = lexicon.entry(w) {
            cls = entry.wordClass
        } else if !w.hasPrefix("<") {
            let scalars = Array(w.unicodeScalars)
            var start = 2
            while start + 3 <= scalars.count {
                var head = String.UnicodeScalarView()
                head.append(contentsOf: scalars[start...])
                if let e = lexicon.entry(String(head)), e.wordClass != 0 {
                    cls = e.wordClass
                    break
                }
                start += 1
            }
        }
        if i >= wordClassMemo.count {
            wordClassMemo.append(
                contentsOf: repeatElement(nil, count: words.count - wordClassMemo.count))
        }
        wordClassMemo[i] = cls
        return cls
    }

    private var wordClassMemo: [UInt16?] = []
    private var classEvidenceMemo: [UInt64: Double] = [:]

    /// log P(b | a) − log P(b) (read as evidence for `a` or for `b`: the pointwise mutual
    /// information is symmetric), clipped below as described above.
    ///
    /// Memoised per document: the same pairs come back between the readings of every
    /// ambiguous word, and each model lookup is a binary search over the whole table.
    private func pairEvidence(
        _ a: Int32, _ b: Int32, _ lexiconLogP: Double, classFallback: Bool = true
    ) -> Double {
        let key = Self.pairKey(a, b)
        if classFallback {
            if let known = bigramEvidenceMemo[key] { return known }
        } else if let known = plainBigramEvidenceMemo[key] {
            return known
        }
        let evidence = computePairEvidence(a, b, lexiconLogP, classFallback: classFallback)
        if classFallback {
            bigramEvidenceMemo[key] = evidence
        } else {
            plainBigramEvidenceMemo[key] = evidence
        }
        return evidence
    }

    private func computePairEvidence(
        _ aId: Int32, _ bId: Int32, _ lexiconLogP: Double, classFallback: Bool
    ) -> Double {
        let context = repairer.model.context
        let total = Double(max(contextTotal, 1))
        let na = Double(unigramCount(aId))
        guard na > 0 else { return 0 }
        let nb = Double(unigramCount(bId))
        let a = words[Int(aId)]
        let b = words[Int(bId)]
        let pb = nb > 0 ? nb / total : exp(lexiconLogP)
        let pair = Double(context.count(a + " " + b))
        let expected = na * pb
        let floor = -min(repairer.maxContextPenalty + log1p(expected), 4)
        if pair == 0, classFallback, let cls = ContextCounts.inflectionClass(b) {
            // Never seen together: fall back to b's inflection class ("våra >bedöm").
            let classPair = Double(context.count(a + " >" + cls))
            let classCount = Double(unigramCount(id("~" + cls)))
            if classPair > 0 && classCount > 0 {
                let pc = classCount / total
                return max(smoothedPMI(classPair, given: na, p: pc), floor)
            }
        }
        return max(smoothedPMI(pair, given: na, p: pb), floor)
    }

    /// Two word ids as one key of the memoised pair evidence.
    private static func pairKey(_ a: Int32, _ b: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
    }

    private var bigramEvidenceMemo: [UInt64: Double] = [:]
    /// The same without the class fallback (a reading after its previous word).
    private var plainBigramEvidenceMemo: [UInt64: Double] = [:]
    private var skipEvidenceMemo: [UInt64: Double] = [:]
    /// Per word id: its context-model count and lexicon log P, once looked up (nil before).
    private var unigramCountMemo: [Int?] = []
    private var lexiconLogPMemo: [Double?] = []

    /// The context model's count of one word (or class key), memoised per document.
    private func unigramCount(_ word: Int32) -> Int {
        let i = Int(word)
        if i < unigramCountMemo.count, let n = unigramCountMemo[i] { return n }
        let n = repairer.model.context.count(words[i])
        if i >= unigramCountMemo.count {
            unigramCountMemo.append(
                contentsOf: repeatElement(nil, count: words.count - unigramCountMemo.count))
        }
        unigramCountMemo[i] = n
        return n
    }

    /// log P of a context word under the lexicon (−20 when unlisted), memoised per document.
    private func lexiconLogProbability(_ word: Int32) -> Double {
        let i = Int(word)
        if i < lexiconLogPMemo.count, let p = lexiconLogPMemo[i] { return p }
        let p = repairer.model.lexicon.entry(words[i])?.logProbability ?? -20
        if i >= lexiconLogPMemo.count {
            lexiconLogPMemo.append(
                contentsOf: repeatElement(nil, count: words.count - lexiconLogPMemo.count))
        }
        lexiconLogPMemo[i] = p
        return p
    }

    /// The words of `words` that share their stripped letters (å, ä → a, ö → o) with
    /// another of them: between those the skip pairs decide.
    static func strippedTwins(_ words: [String]) -> Set<String> {
        guard words.count > 1 else { return [] }
        var byClass: [String: [String]] = [:]
        for w in words {
            byClass[stripped(w), default: []].append(w)
        }
        return Set(byClass.values.filter { $0.count > 1 }.joined())
    }

    /// `word` with å, ä written a and ö written o.
    static func stripped(_ word: String) -> String {
        String(
            String.UnicodeScalarView(
                word.unicodeScalars.map {
                    $0 == "å" || $0 == "ä" ? "a" : $0 == "ö" ? "o" : $0
                }))
    }

    /// The stripped twins among `candidates` (best first) when the two best are twins of
    /// each other ("är"/"år", "satt"/"sätt"); else none. Skip pairs then weigh only a
    /// choice between twins, never a twin against another reading ("där" for "dar").
    static func twinsDecidedBySkips(_ candidates: [RepairCandidate]) -> Set<String> {
        guard candidates.count > 1,
            stripped(candidates[0].word) == stripped(candidates[1].word)
        else { return [] }
        return strippedTwins(candidates.map(\.word))
    }

    /// Evidence from the word two before and the word two after (`"a _ b"` counts, kept
    /// in the model around words with a stripped twin), as ``pairEvidence`` but support
    /// only: skip pairs are sparse, so one never seen says nothing.
    private func skipEvidence(_ word: Int32, _ skips: (before: Int32?, after: Int32?))
        -> Double
    {
        var evidence = 0.0
        if let before = skips.before { evidence += skipPairEvidence(before, word) }
        if let after = skips.after { evidence += skipPairEvidence(word, after) }
        return evidence
    }

    /// Support for `b` two words after `a` (0 when the skip pair was never seen), memoised.
    private func skipPairEvidence(_ a: Int32, _ b: Int32) -> Double {
        let key = Self.pairKey(a, b)
        if let known = skipEvidenceMemo[key] { return known }
        var evidence = 0.0
        let na = Double(unigramCount(a))
        let nb = Double(unigramCount(b))
        if na > 0, nb > 0 {
            let pair = Double(
                repairer.model.context.count(words[Int(a)] + " _ " + words[Int(b)]))
            if pair > 0 {
                let pb = nb / Double(max(contextTotal, 1))
                evidence = max(smoothedPMI(pair, given: na, p: pb), 0)
            }
        }
        skipEvidenceMemo[key] = evidence
        return evidence
    }

    private lazy var contextTotal: Int = repairer.model.context.count(ContextModel.totalKey)

    func posterior(_ list: ScoredList) -> Double {
        guard let top = list.first?.score else { return 0 }
        let total = list.reduce(0.0) { $0 + exp($1.score - top) }
        return 1 / total
    }

    // MARK: Assessment

    /// Marks the words of lines that plainly carry their diacritics (at least eight words,
    /// two or more with å/ä/ö) as context only, so that in a partly scanned text the
    /// born-digital lines stay as they are.
    func protectingCleanLines(of text: String, _ tokens: [RepairToken]) -> [RepairToken] {
        let bytes = Array(text.utf8)
        var result = tokens
        var start = 0
        while start < result.count {
            // Tokens of one line: up to the next newline byte.
            var lineEnd = result[start].range.upperBound
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            var end = start
            var words = 0
            var withMarks = 0
            while end < result.count, result[end].range.lowerBound < lineEnd {
                if result[end].isCandidate {
                    words += 1
                    if containsMarkedLetter(result[end].text) {
                        withMarks += 1
                    }
                }
                end += 1
            }
            if words >= 8 && withMarks >= 2 {
                for k in start..<end where result[k].isCandidate {
                    result[k].isCandidate = false
                    result[k].isContextOnly = true
                }
            }
            start = max(end, start + 1)
        }
        return result
    }

    /// The analysis of each candidate token (nil for the others).
    func analysed(_ tokens: [RepairToken]) -> [WordAnalysis?] {
        tokens.map { $0.isCandidate ? analysis($0.text) : nil }
    }

    func assess(_ documents: [[RepairToken]]) -> Repairer.Assessment {
        if let clean = cleanByDiacritics(documents) { return clean }
        return assess(documents, analysed: documents.map { analysed($0) })
    }

    /// Word and diacritic counts of the candidate tokens of `documents`.
    private func diacriticCounts(_ documents: [[RepairToken]]) -> (words: Int, diacritics: Int) {
        var words = 0
        var diacritics = 0
        for tokens in documents {
            for token in tokens where token.isCandidate {
                words += 1
                if containsMarkedLetter(token.text) {
                    diacritics += 1
                }
            }
        }
        return (words, diacritics)
    }

    /// The assessment of texts that are clean by their diacritics (no need to analyse a
    /// single word); nil when they are not.
    func cleanByDiacritics(_ documents: [[RepairToken]]) -> Repairer.Assessment? {
        let (words, diacritics) = diacriticCounts(documents)
        guard words >= 8 && Double(diacritics) / Double(words) >= repairer.cleanDiacriticShare
        else { return nil }
        return Repairer.Assessment(
            wordCount: words, diacriticShare: Double(diacritics) / Double(words),
            repairableShare: 0, looksClean: true)
    }

    /// The assessment of texts whose tokens are analysed (`analysed`, one array per text)
    /// and that are not clean by their diacritics (``cleanByDiacritics(_:)``).
    func assess(_ documents: [[RepairToken]], analysed: [[WordAnalysis?]])
        -> Repairer.Assessment
    {
        let (words, diacritics) = diacriticCounts(documents)
        var repairable = 0
        for analyses in analysed {
            for case let a? in analyses {
                let list = scored(a, previous: nil, next: nil)
                if let best = list.first, best.word != a.lower, !a.isValid,
                    posterior(list) >= 0.5
                {
                    repairable += 1
                }
            }
        }
        let n = Double(max(words, 1))
        let diacriticShare = Double(diacritics) / n
        let repairableShare = Double(repairable) / n
        return Repairer.Assessment(
            wordCount: words, diacriticShare: diacriticShare, repairableShare: repairableShare,
            looksClean: words == 0
                || (words >= 8 && diacriticShare >= repairer.cleanDiacriticShare)
                || repairableShare < repairer.cleanRepairableShare)
    }

    // MARK: Repair

    func repair(_ text: String, tokens: [RepairToken], analysed: [WordAnalysis?])
        -> Repairer.Result
    {
        let bytes = Array(text.utf8)
        // Context words: numbers count as one word "<num>" (as in the model's counts).
        // Per token, computed once: whether it is a number, and the analysis of a word.
        let numeric = tokens.map {
            $0.text.unicodeScalars.allSatisfy { $0.properties.numericType != nil }
        }
        // Per token, also once for both passes: the capital-I reading of an acronym
        // ("SFl"), whether a word is an acronym, and the context word a token that is never
        // changed stands for (ids).
        let capitalIFixes = tokens.map { capitalIInAcronym($0.text) }
        let acronyms = zip(tokens, analysed).map { token, a in
            a.map { isAcronym(token.text, $0) } ?? false
        }
        let numberId = id(RepairSession.numberWord)
        // Models built before the year class have no "<year>" counts: years are numbers.
        let yearId =
            repairer.model.context.count(RepairSession.yearWord) > 0
            ? id(RepairSession.yearWord) : numberId
        let numberWords: [Int32?] = tokens.indices.map { i in
            numeric[i] ? (RepairSession.isYear(tokens[i].text) ? yearId : numberId) : nil
        }
        let fixedContext: [Int32?] = tokens.indices.map { i in
            if tokens[i].isLoneCapitalI { return id("i") }
            if let fixed = capitalIFixes[i] { return id(ICU.lowercased(fixed)) }
            return nil
        }
        let contextOnlyWord: [Int32?] = tokens.map {
            $0.isContextOnly ? id(ICU.lowercased($0.text)) : nil
        }
        let plainContext = tokens.indices.map { numberWords[$0] ?? contextOnlyWord[$0] }
        let contextIndices = tokens.indices.filter {
            tokens[$0].isCandidate || tokens[$0].isContextOnly || numeric[$0]
        }
        // Context does not reach across sentence or clause punctuation (as in the counts).
        func breaksClause(_ from: Int, _ to: Int) -> Bool {
            guard from < to else { return false }
            for k in from..<to {
                switch bytes[k] {
                case 0x2E, 0x3A, 0x3B, 0x21, 0x3F: return true
                default: continue
                }
            }
            return false
        }
        // Sentence boundaries as context words, when the model counts them.
        let boundaries: (start: Int32, end: Int32)? =
            repairer.model.context.count(RepairSession.sentenceStartWord) > 0
            ? (id(RepairSession.sentenceStartWord), id(RepairSession.sentenceEndWord)) : nil
        var opensSentence = [Bool](repeating: false, count: tokens.count)
        var endsSentence = [Bool](repeating: false, count: tokens.count)
        if boundaries != nil {
            for i in contextIndices {
                opensSentence[i] = Self.opensSentence(bytes, at: tokens[i].range.lowerBound)
                endsSentence[i] = Self.endsSentence(bytes, at: tokens[i].range.upperBound)
            }
            for i in tokens.indices where tokens[i].isLoneCapitalI {
                opensSentence[i] = Self.opensSentence(bytes, at: tokens[i].range.lowerBound)
            }
        }
        // The next context token of each, within its clause.
        var nextIndex = [Int?](repeating: nil, count: tokens.count)
        for (k, i) in contextIndices.enumerated() where k + 1 < contextIndices.count {
            let j = contextIndices[k + 1]
            if !breaksClause(tokens[i].range.upperBound, tokens[j].range.lowerBound) {
                nextIndex[i] = j
            }
        }
        // The right-hand context of each word: first the next word's best context-free
        // reading, then (second pass) the reading the first pass chose for it.
        func nextWords(_ chosen: [Int32?]?) -> [Int32?] {
            var nextOf = [Int32?](repeating: nil, count: tokens.count)
            for (i, next) in nextIndex.enumerated() {
                guard let j = next else {
                    if endsSentence[i], let boundaries { nextOf[i] = boundaries.end }
                    continue
                }
                if let word = plainContext[j] {
                    nextOf[i] = word
                } else if let word = chosen?[j] ?? nil {
                    nextOf[i] = word
                } else if let a = analysed[j] {
                    nextOf[i] = a.candidateIds.first ?? a.lowerId
                }
            }
            return nextOf
        }
        let context = DecisionContext(
            tokens: tokens, analysed: analysed, bytes: bytes, nextIndex: nextIndex,
            capitalIFixes: capitalIFixes, acronyms: acronyms,
            fixedContext: fixedContext, numberWords: numberWords, contextOnlyWord: contextOnlyWord,
            sentenceStart: boundaries?.start, opensSentence: opensSentence)
        let before = (confident, consistencyStamp)
        var (_, chosen) = decide(
            context, nextOf: nextWords(nil), breaksClause, decisions: false)
        (confident, consistencyStamp) = before
        let decisions: [Decision]
        (decisions, chosen) = decide(
            context, nextOf: nextWords(chosen), breaksClause, decisions: true)
        return render(bytes, tokens, decisions)
    }

    /// What a decision pass reads about the tokens of one text, computed once.
    private struct DecisionContext {
        var tokens: [RepairToken]
        var analysed: [WordAnalysis?]
        var bytes: [UInt8]
        /// The next context token of each, within its clause.
        var nextIndex: [Int?]
        /// The acronym with its `l` read as I, per token.
        var capitalIFixes: [String?]
        var acronyms: [Bool]
        /// Context word of a lone capital I or a fixed acronym.
        var fixedContext: [Int32?]
        /// Context word of a number (`<num>` or `<year>`).
        var numberWords: [Int32?]
        /// Context word of a context-only token.
        var contextOnlyWord: [Int32?]
        /// The id of `<s>`, when the model counts sentence starts.
        var sentenceStart: Int32?
        /// The token opens a sentence (see ``RepairSession/opensSentence(_:at:)``).
        var opensSentence: [Bool]
    }

    /// Whether a word starting at byte `offset` opens a sentence: it starts the text, follows
    /// . ! ? and white space, or starts a line after a blank line or a line ending in
    /// . ! ? (the build counts `<s>` the same way in its paragraph lines).
    static func opensSentence(_ bytes: [UInt8], at offset: Int) -> Bool {
        func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D }
        func isStop(_ b: UInt8) -> Bool { b == 0x2E || b == 0x21 || b == 0x3F }
        var k = offset - 1
        while k >= 0, isBlank(bytes[k]) { k -= 1 }
        if k < 0 { return true }
        if bytes[k] == 0x0A {
            k -= 1
            while k >= 0, isBlank(bytes[k]) { k -= 1 }
            return k < 0 || bytes[k] == 0x0A || isStop(bytes[k])
        }
        return isStop(bytes[k]) && k < offset - 1
    }

    /// Whether a word ending at byte `offset` ends a sentence: . ! ? right after it, then
    /// white space or the end of the text.
    static func endsSentence(_ bytes: [UInt8], at offset: Int) -> Bool {
        guard offset < bytes.count, [0x2E, 0x21, 0x3F].contains(bytes[offset]) else {
            return false
        }
        let after = offset + 1
        return after == bytes.count || [0x20, 0x0A, 0x09, 0x0D].contains(bytes[after])
    }

    typealias Decision = (index: Int, word: String, confidence: Double, evidence: [String])

    /// One left-to-right pass: the decision for each word (when `decisions`; a first pass
    /// only needs the rest), and the (lower-case) word chosen at each token, as context for
    /// a further pass.
    private func decide(
        _ context: DecisionContext, nextOf: [Int32?], _ breaksClause: (Int, Int) -> Bool,
        decisions wanted: Bool
    ) -> ([Decision], [Int32?]) {
        let tokens = context.tokens
        let bytes = context.bytes
        var decisions: [Decision] = []
        var chosen = [Int32?](repeating: nil, count: tokens.count)
        // The previous context word and the one before it, within the clause.
        var previous: Int32?
        var beforePrevious: Int32?
        func push(_ word: Int32) {
            beforePrevious = previous
            previous = word
        }
        var previousEnd = 0
        for (i, token) in tokens.enumerated() {
            if breaksClause(previousEnd, token.range.lowerBound) {
                previous = nil
                beforePrevious = nil
            }
            if context.opensSentence[i], let start = context.sentenceStart {
                previous = start
                beforePrevious = nil
            }
            if token.isCandidate || token.isContextOnly || context.numberWords[i] != nil
                || token.isLoneCapitalI
            {
                previousEnd = token.range.upperBound
            }
            if token.isLoneCapitalI {
                decisions.append((i, "I", 0.9, ["ocr:capital-I"]))
                push(context.fixedContext[i]!)
                continue
            }
            if let fixed = context.capitalIFixes[i] {
                decisions.append((i, fixed, 0.9, ["ocr:capital-I"]))
                push(context.fixedContext[i]!)
                continue
            }
            if let word = context.numberWords[i] { push(word) }
            if let word = context.contextOnlyWord[i] { push(word) }
            guard token.isCandidate, let a = context.analysed[i] else { continue }
            if context.acronyms[i] {
                push(a.lowerId)
                continue
            }
            let contextFree = scored(a, previous: nil, next: nil)
            var list = contextFree
            var evidence: [String] = []
            let ambiguous = contextFree.count > 1 && contextFree[1].score > contextFree[0].score - 8
            if ambiguous {
                let afterNext = context.nextIndex[i].flatMap { nextOf[$0] }
                // Skip pairs matter only between stripped twins: other words keep the
                // shorter cache key.
                let skips =
                    a.twins.isEmpty
                    ? (before: nil, after: nil)
                    : (
                        before: previous == nil ? nil : beforePrevious,
                        after: nextOf[i] == nil ? nil : afterNext
                    )
                list = scored(a, previous: previous, next: nextOf[i], skips: skips)
                if list[0].word != contextFree[0].word { evidence.append("context:bigram") }
                // The classes decided when, without their part, another reading would lead.
                if list.contains(where: { $0.classPart != 0 }),
                    let withoutClasses = list.max(by: {
                        $0.score - $0.classPart < $1.score - $1.classPart
                    }), withoutClasses.id != list[0].id
                {
                    evidence.append("context:word-class")
                }
            }
            guard let best = list.first else {
                push(a.lowerId)
                continue
            }
            let confidence = posterior(list)
            push(best.id)
            chosen[i] = best.id
            if best.id == a.lowerId && !(best.candidate?.startsWithCapitalI ?? false) { continue }
            // A valid word is replaced only when it is itself improbable here.
            let originalPosterior =
                a.isValid
                ? (list.first { $0.id == a.lowerId }.map { exp($0.score - best.score) } ?? 0)
                    * confidence
                : 0
            let guardLevel =
                isStripped
                ? repairer.minConfidenceForValidWordWhenStripped
                : repairer.minConfidenceForValidWord
            let needed =
                originalPosterior > 1 - guardLevel
                ? 1.01 : repairer.minConfidence
            if let c = best.candidate {
                evidence.insert(c.parts > 1 ? "compound" : "lexicon", at: 0)
            }
            if confident[a.lowerId]?[best.id] != nil { evidence.append("document-consistency") }
            if confidence >= max(needed, 0.95) {
                countConfident(a.lowerId, best.id)
            }
            guard wanted else { continue }
            if confidence < needed { evidence.append("below-threshold") }
            let replacement = restoreCase(
                best.word, like: token.text,
                capitalI: best.candidate?.startsWithCapitalI ?? false,
                midSentence: isMidSentence(bytes, token.range.lowerBound))
            if replacement == token.text { continue }
            decisions.append((i, replacement, confidence, evidence))
        }
        return (decisions, chosen)
    }

    /// Renders unchanged bytes between tokens and replacements for decided words.
    private func render(
        _ bytes: [UInt8], _ tokens: [RepairToken], _ decisions: [Decision]
    ) -> Repairer.Result {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 64)
        var scalarOffset = 0
        var cursor = 0
        var edits: [RepairEdit] = []
        var rejected: [RepairEdit] = []
        func copy(_ r: Range<Int>) {
            output.append(contentsOf: bytes[r])
            for b in bytes[r] where b & 0xC0 != 0x80 { scalarOffset += 1 }
        }
        for d in decisions {
            let token = tokens[d.index]
            let apply = !d.evidence.contains("below-threshold")
            copy(cursor..<token.range.lowerBound)
            let start = scalarOffset
            if apply {
                output.append(contentsOf: d.word.utf8)
                scalarOffset += d.word.unicodeScalars.count
            } else {
                copy(token.range)
            }
            let edit = RepairEdit(
                original: token.text, replacement: d.word,
                span: TextSpan(start: start, end: scalarOffset), confidence: d.confidence,
                evidence: d.evidence.filter { $0 != "below-threshold" })
            if apply { edits.append(edit) } else { rejected.append(edit) }
            cursor = token.range.upperBound
        }
        copy(cursor..<bytes.count)
        return Repairer.Result(
            text: String(decoding: output, as: UTF8.self), edits: edits, rejected: rejected)
    }

    /// In a word otherwise written in capitals, a lower-case `l` is a capital I misread
    /// ("SFl" → "SFI").
    private func capitalIInAcronym(_ word: String) -> String? {
        guard let first = word.utf8.first, first >= 0x41 && first <= 0x5A || first >= 0xC3,
            word.utf8.contains(0x6C), word.unicodeScalars.first?.properties.isUppercase == true
        else { return nil }
        var ells = 0
        var capitals = 0
        for u in word.unicodeScalars where u.properties.isAlphabetic {
            if u == "l" {
                ells += 1
            } else if u.properties.isUppercase {
                capitals += 1
            } else {
                return nil
            }
        }
        guard ells > 0, capitals >= 2 else { return nil }
        return String(String.UnicodeScalarView(word.unicodeScalars.map { $0 == "l" ? "I" : $0 }))
    }

    /// Upper-case words of up to five letters that no lexicon reading explains are taken
    /// for acronyms (GVN, IFO, AME).
    private func isAcronym(_ word: String, _ a: WordAnalysis) -> Bool {
        guard a.isCapitalised else { return false }
        let letters = word.unicodeScalars.filter { $0.properties.isAlphabetic }
        guard letters.count >= 2, letters.allSatisfy({ $0.properties.isUppercase }) else {
            return false
        }
        if a.isValid || letters.count > 5 { return false }
        if letters.count <= 3 { return true }
        // Four or five capitals: an acronym unless they spell a common word ("ÖVER").
        return
            !(a.candidates.first.map { $0.parts == 1 && $0.lexiconLogProbability > -12 }
            ?? false)
    }

    /// Whether the text before `offset` ends in a lower-case letter or a comma, or is a
    /// hyphen right after a word ("DUA-överenskommelserna"): then a word there does not
    /// open a sentence.
    private func isMidSentence(_ bytes: [UInt8], _ offset: Int) -> Bool {
        if offset >= 2, bytes[offset - 1] == 0x2D, !isSpace(bytes[offset - 2]),
            bytes[offset - 2] != 0x2D
        {
            return true
        }
        var k = offset - 1
        while k >= 0, isSpace(bytes[k]) { k -= 1 }
        guard k >= 0 else { return false }
        if bytes[k] == 0x2C { return true }
        var start = k
        while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        let s = String(decoding: bytes[start...k], as: UTF8.self)
        return s.unicodeScalars.first?.properties.isLowercase ?? false
    }

    /// Whether every capital of `original` stands for a different letter in `reading`
    /// (A for å or ä, O for ö), as an English OCR model writes them, and the first letter
    /// is such a capital: then no capital of the original is a capital of the word
    /// ("AndamAlsenligt" reads "ändamålsenligt"). Letters are compared position by
    /// position; when the lengths differ only a lone first capital counts.
    static func capitalsAreGlyphs(_ original: String, reading: String) -> Bool {
        let o = Array(original.unicodeScalars)
        let r = Array(reading.unicodeScalars)
        guard let first = o.first, let readFirst = r.first, first.properties.isUppercase,
            ICU.lowercased(String(first)).unicodeScalars.first != readFirst
        else { return false }
        let capitals = o.indices.filter { o[$0].properties.isUppercase }
        guard o.count == r.count else { return capitals.count == 1 }
        return capitals.allSatisfy { ICU.lowercased(String(o[$0])).unicodeScalars.first != r[$0] }
    }

    /// Gives `word` (lower case) the case pattern of `original`.
    ///
    /// English OCR often writes a lower-case ö or å/ä as a capital O or A (and l as I); such
    /// a capital in mid-sentence, where the reading replaced it, is written lower case
    /// unless the word is a name.
    func restoreCase(
        _ word: String, like original: String, capitalI: Bool, midSentence: Bool = false
    ) -> String {
        var letters = 0
        var upper = 0
        for u in original.unicodeScalars {
            if u.isASCII {  // most OCR words: no Unicode property lookups
                let v = u.value
                if v >= 0x61 && v <= 0x7A {
                    letters += 1
                } else if v >= 0x41 && v <= 0x5A {
                    letters += 1
                    upper += 1
                }
            } else if u.properties.isAlphabetic {
                letters += 1
                if u.properties.isUppercase { upper += 1 }
            }
        }
        if letters >= 2 && upper == letters {
            return ICU.uppercased(word)
        }
        if upper == 0 && !capitalI {
            // No capital to keep, so none to restore (the first scalar is no capital
            // either: a capital is alphabetic, and ASCII capitals were counted).
            if let first = original.unicodeScalars.first, !first.properties.isUppercase {
                return word
            }
        }
        var firstIsUpper = original.unicodeScalars.first?.properties.isUppercase ?? false
        if firstIsUpper, midSentence, Self.capitalsAreGlyphs(original, reading: word),
            !(repairer.model.lexicon.entry(word)?.flags.contains(.name) ?? false)
        {
            firstIsUpper = false
        }
        if firstIsUpper || capitalI {
            guard let first = word.first else { return word }
            return ICU.uppercased(String(first)) + word.dropFirst()
        }
        return word
    }
}
