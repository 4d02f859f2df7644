import Foundation

/// Counts of one matched list (sections, assessments, recommendations, goals).
///
/// Only counts are stored; precision, recall and F1 are derived, so pooling the counts of
/// several documents gives the micro average.
public struct ListScore: Codable, Hashable, Sendable {
    /// Items in the gold file.
    public var gold: Int
    /// Items the pipeline produced.
    public var predicted: Int
    /// Predicted items matched to a gold item (each gold item matched at most once).
    public var matched: Int

    public init(gold: Int = 0, predicted: Int = 0, matched: Int = 0) {
        self.gold = gold
        self.predicted = predicted
        self.matched = matched
    }

    /// matched / predicted; nil when nothing was predicted.
    public var precision: Double? { predicted == 0 ? nil : Double(matched) / Double(predicted) }
    /// matched / gold; nil when the gold list is empty.
    public var recall: Double? { gold == 0 ? nil : Double(matched) / Double(gold) }
    /// 2·matched / (gold + predicted), the harmonic mean of precision and recall; 0 when one
    /// side is empty and the other is not, nil when both are.
    public var f1: Double? {
        gold + predicted == 0 ? nil : 2 * Double(matched) / Double(gold + predicted)
    }

    public static func + (a: ListScore, b: ListScore) -> ListScore {
        ListScore(
            gold: a.gold + b.gold, predicted: a.predicted + b.predicted,
            matched: a.matched + b.matched)
    }

    enum CodingKeys: String, CodingKey { case gold, predicted, matched, precision, recall, f1 }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        gold = try c.decode(Int.self, forKey: .gold)
        predicted = try c.decode(Int.self, forKey: .predicted)
        matched = try c.decode(Int.self, forKey: .matched)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(gold, forKey: .gold)
        try c.encode(predicted, forKey: .predicted)
        try c.encode(matched, forKey: .matched)
        try c.encode(precision, forKey: .precision)
        try c.encode(recall, forKey: .recall)
        try c.encode(f1, forKey: .f1)
    }
}

/// A share of correct decisions: `correct` out of `total`.
public struct Accuracy: Codable, Hashable, Sendable {
    public var correct: Int
    public var total: Int

    public init(correct: Int = 0, total: Int = 0) {
        self.correct = correct
        self.total = total
    }

    /// One decision, right or wrong.
    public init(_ isCorrect: Bool) {
        self.init(correct: isCorrect ? 1 : 0, total: 1)
    }

    /// correct / total; nil when there was nothing to decide.
    public var value: Double? { total == 0 ? nil : Double(correct) / Double(total) }

    public static func + (a: Accuracy, b: Accuracy) -> Accuracy {
        Accuracy(correct: a.correct + b.correct, total: a.total + b.total)
    }

    public static func += (a: inout Accuracy, b: Accuracy) { a = a + b }

    enum CodingKeys: String, CodingKey { case correct, total, value }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        correct = try c.decode(Int.self, forKey: .correct)
        total = try c.decode(Int.self, forKey: .total)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(correct, forKey: .correct)
        try c.encode(total, forKey: .total)
        try c.encode(value, forKey: .value)
    }
}

/// Exact-match scores of the metadata fields the gold file states (non-null fields only).
public struct MetadataScore: Codable, Hashable, Sendable {
    public var municipality = Accuracy()
    public var firm = Accuracy()
    public var date = Accuracy()
    public var title = Accuracy()

    public init() {}

    /// All fields together.
    public var all: Accuracy { municipality + firm + date + title }

    public static func + (a: MetadataScore, b: MetadataScore) -> MetadataScore {
        var sum = MetadataScore()
        sum.municipality = a.municipality + b.municipality
        sum.firm = a.firm + b.firm
        sum.date = a.date + b.date
        sum.title = a.title + b.title
        return sum
    }
}

/// Scores of the structured answers (`ID.gold.json`) of one document, or pooled.
public struct AnalysisScore: Codable, Hashable, Sendable {
    public var sections = ListScore()
    /// Over matched headings whose gold heading has a number.
    public var sectionNumbers = Accuracy()
    public var assessments = ListScore()
    /// Over matched assessment pairs.
    public var verdicts = Accuracy()
    /// The overall assessment's verdict, where the gold file has one.
    public var overallVerdict = Accuracy()
    /// Whether the overall assessment's text matches (similarity ≥ 0.8).
    public var overallText = Accuracy()
    public var recommendations = ListScore()
    /// Over matched recommendation pairs: the same set of lower-cased recipients.
    public var recipients = Accuracy()
    public var goals = ListScore()
    /// Over matched goal pairs: the same target (a stated null must be predicted null).
    public var goalTargets = Accuracy()
    /// Over matched goal pairs: the same year (a stated null must be predicted null).
    public var goalYears = Accuracy()
    public var metadata = MetadataScore()

    public init() {}

    enum CodingKeys: String, CodingKey {
        case sections
        case sectionNumbers = "section_numbers"
        case assessments, verdicts
        case overallVerdict = "overall_verdict"
        case overallText = "overall_text"
        case recommendations, recipients, goals
        case goalTargets = "goal_targets"
        case goalYears = "goal_years"
        case metadata
    }

    public static func + (a: AnalysisScore, b: AnalysisScore) -> AnalysisScore {
        var sum = AnalysisScore()
        sum.sections = a.sections + b.sections
        sum.sectionNumbers = a.sectionNumbers + b.sectionNumbers
        sum.assessments = a.assessments + b.assessments
        sum.verdicts = a.verdicts + b.verdicts
        sum.overallVerdict = a.overallVerdict + b.overallVerdict
        sum.overallText = a.overallText + b.overallText
        sum.recommendations = a.recommendations + b.recommendations
        sum.recipients = a.recipients + b.recipients
        sum.goals = a.goals + b.goals
        sum.goalTargets = a.goalTargets + b.goalTargets
        sum.goalYears = a.goalYears + b.goalYears
        sum.metadata = a.metadata + b.metadata
        return sum
    }
}

/// Cleaned text against `ID.gold.txt`.
public struct TextScore: Codable, Hashable, Sendable {
    /// Word tokens in the gold text (the WER denominator).
    public var goldWords: Int
    /// Word-level Levenshtein distance between output and gold.
    public var wordErrors: Int
    /// Gold words containing å, ä, ö or é.
    public var diacriticWords: Int
    /// Of those, how many the output contains exactly so (multiset match, see
    /// ``TextScorer/score(output:gold:)``).
    public var diacriticWordsFound: Int

    public init(goldWords: Int, wordErrors: Int, diacriticWords: Int, diacriticWordsFound: Int) {
        self.goldWords = goldWords
        self.wordErrors = wordErrors
        self.diacriticWords = diacriticWords
        self.diacriticWordsFound = diacriticWordsFound
    }

    /// errors / gold words (may exceed 1 when the output has many extra words).
    public var wordErrorRate: Double? {
        goldWords == 0 ? nil : Double(wordErrors) / Double(goldWords)
    }

    /// 1 − WER, floored at 0.
    public var wordAccuracy: Double? { wordErrorRate.map { max(0, 1 - $0) } }

    public var diacriticAccuracy: Double? {
        diacriticWords == 0 ? nil : Double(diacriticWordsFound) / Double(diacriticWords)
    }

    public static func + (a: TextScore, b: TextScore) -> TextScore {
        TextScore(
            goldWords: a.goldWords + b.goldWords, wordErrors: a.wordErrors + b.wordErrors,
            diacriticWords: a.diacriticWords + b.diacriticWords,
            diacriticWordsFound: a.diacriticWordsFound + b.diacriticWordsFound)
    }

    enum CodingKeys: String, CodingKey {
        case goldWords = "gold_words"
        case wordErrors = "word_errors"
        case diacriticWords = "diacritic_words"
        case diacriticWordsFound = "diacritic_words_found"
        case wordErrorRate = "word_error_rate"
        case wordAccuracy = "word_accuracy"
        case diacriticAccuracy = "diacritic_accuracy"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        goldWords = try c.decode(Int.self, forKey: .goldWords)
        wordErrors = try c.decode(Int.self, forKey: .wordErrors)
        diacriticWords = try c.decode(Int.self, forKey: .diacriticWords)
        diacriticWordsFound = try c.decode(Int.self, forKey: .diacriticWordsFound)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(goldWords, forKey: .goldWords)
        try c.encode(wordErrors, forKey: .wordErrors)
        try c.encode(diacriticWords, forKey: .diacriticWords)
        try c.encode(diacriticWordsFound, forKey: .diacriticWordsFound)
        try c.encode(wordErrorRate, forKey: .wordErrorRate)
        try c.encode(wordAccuracy, forKey: .wordAccuracy)
        try c.encode(diacriticAccuracy, forKey: .diacriticAccuracy)
    }
}

/// Line-by-line repair of a text input against `ID.repaired.txt`.
public struct RepairScore: Codable, Hashable, Sendable {
    /// Gold words (the accuracy denominator).
    public var words: Int
    /// Output words equal to the gold word.
    public var correct: Int
    /// Input words already equal to the gold word (the baseline without repair).
    public var correctInInput: Int
    /// Words that were right in the input but wrong in the output (made worse).
    public var broken: Int
    /// Words that were wrong in the input and right in the output.
    public var fixed: Int

    public init(words: Int, correct: Int, correctInInput: Int, broken: Int, fixed: Int) {
        self.words = words
        self.correct = correct
        self.correctInInput = correctInInput
        self.broken = broken
        self.fixed = fixed
    }

    /// Share of gold words the output has right.
    public var accuracy: Double? { words == 0 ? nil : Double(correct) / Double(words) }
    /// Share of gold words the input already had right.
    public var inputAccuracy: Double? {
        words == 0 ? nil : Double(correctInInput) / Double(words)
    }
    /// Share of the words right in the input that the output made wrong.
    public var brokenRate: Double? {
        correctInInput == 0 ? nil : Double(broken) / Double(correctInInput)
    }

    public static func + (a: RepairScore, b: RepairScore) -> RepairScore {
        RepairScore(
            words: a.words + b.words, correct: a.correct + b.correct,
            correctInInput: a.correctInInput + b.correctInInput, broken: a.broken + b.broken,
            fixed: a.fixed + b.fixed)
    }

    enum CodingKeys: String, CodingKey {
        case words, correct
        case correctInInput = "correct_in_input"
        case broken, fixed, accuracy
        case inputAccuracy = "input_accuracy"
        case brokenRate = "broken_rate"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        words = try c.decode(Int.self, forKey: .words)
        correct = try c.decode(Int.self, forKey: .correct)
        correctInInput = try c.decode(Int.self, forKey: .correctInInput)
        broken = try c.decode(Int.self, forKey: .broken)
        fixed = try c.decode(Int.self, forKey: .fixed)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(words, forKey: .words)
        try c.encode(correct, forKey: .correct)
        try c.encode(correctInInput, forKey: .correctInInput)
        try c.encode(broken, forKey: .broken)
        try c.encode(fixed, forKey: .fixed)
        try c.encode(accuracy, forKey: .accuracy)
        try c.encode(inputAccuracy, forKey: .inputAccuracy)
        try c.encode(brokenRate, forKey: .brokenRate)
    }
}
