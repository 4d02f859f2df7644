import Foundation

/// Pairs predicted items with gold items by text similarity.
///
/// Greedy by best similarity: every (predicted, gold) pair at or above the threshold is a
/// candidate; candidates are taken from the most similar down, each predicted and each gold
/// item used at most once. Equally similar candidates go by how close the two items stand
/// in their lists (relative position), then list order, so repeated titles ("Kommentarer
/// och bedömningar" under every chapter) pair with the occurrence in the same place even
/// when the prediction misses one. For lists this short (tens of items), greedy and
/// optimal assignment agree except on contrived near-duplicates.
public struct ItemMatcher: Sendable {
    /// The least similarity at which two items match (0.8 by the spec).
    public var threshold: Double

    public init(threshold: Double = TextComparison.matchThreshold) {
        self.threshold = threshold
    }

    /// One matched pair: indices into the predicted and the gold list.
    public struct Pair: Hashable, Sendable {
        public var predicted: Int
        public var gold: Int
        public var similarity: Double
    }

    /// Matches `predicted` against `gold`; `similarity(p, g)` returns nil for pairs that
    /// may never match (an assessment answered for another body).
    public func match<P, G>(
        _ predicted: [P], _ gold: [G], similarity: (P, G) -> Double?
    ) -> [Pair] {
        var candidates: [(pair: Pair, displacement: Double)] = []
        for (i, p) in predicted.enumerated() {
            for (j, g) in gold.enumerated() {
                if let s = similarity(p, g), s >= threshold {
                    let displacement = abs(
                        Double(i) / Double(predicted.count) - Double(j) / Double(gold.count))
                    candidates.append((Pair(predicted: i, gold: j, similarity: s), displacement))
                }
            }
        }
        candidates.sort {
            if $0.pair.similarity != $1.pair.similarity {
                return $0.pair.similarity > $1.pair.similarity
            }
            if $0.displacement != $1.displacement { return $0.displacement < $1.displacement }
            if $0.pair.gold != $1.pair.gold { return $0.pair.gold < $1.pair.gold }
            return $0.pair.predicted < $1.pair.predicted
        }
        var usedPredicted = Set<Int>()
        var usedGold = Set<Int>()
        var pairs: [Pair] = []
        for (c, _) in candidates
        where !usedPredicted.contains(c.predicted) && !usedGold.contains(c.gold) {
            usedPredicted.insert(c.predicted)
            usedGold.insert(c.gold)
            pairs.append(c)
        }
        return pairs.sorted { $0.gold < $1.gold }
    }
}

/// One disagreement between a prediction and its gold file, for people tuning a stage:
/// a gold item nothing matched, a predicted item that matches nothing, or a matched pair
/// that disagrees on a scored attribute.
public struct Mismatch: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// A gold item no predicted item matched.
        case missing
        /// A predicted item that matched no gold item.
        case spurious
        /// A matched pair (or single field) whose scored value differs.
        case wrong
    }

    /// Where: `sections`, `sections.number`, `assessments.verdict`, `overall_assessment.text`,
    /// `recommendations.recipients`, `goals.target`, `metadata.date`, ...
    public var field: String
    /// Missing, spurious or wrong.
    public var kind: Kind
    /// The gold item or value, as text.
    public var gold: String?
    /// The predicted item or value, as text.
    public var predicted: String?

    public init(field: String, kind: Kind, gold: String?, predicted: String?) {
        self.field = field
        self.kind = kind
        self.gold = gold
        self.predicted = predicted
    }
}

/// The scores of one document together with what they are made of.
public struct AnalysisComparison: Hashable, Sendable {
    /// The counts, as ``AnalysisScorer/score(predicted:gold:)`` returns them.
    public var score = AnalysisScore()
    /// Every disagreement, in field order.
    public var mismatches: [Mismatch] = []

    public init() {}

    /// Records the unmatched items of a matched list.
    mutating func recordUnmatched<P, G>(
        _ field: String, _ predicted: [P], _ gold: [G], _ pairs: [ItemMatcher.Pair],
        predictedText: (P) -> String, goldText: (G) -> String
    ) {
        let matchedGold = Set(pairs.map(\.gold))
        let matchedPredicted = Set(pairs.map(\.predicted))
        for (j, g) in gold.enumerated() where !matchedGold.contains(j) {
            mismatches.append(
                Mismatch(field: field, kind: .missing, gold: goldText(g), predicted: nil))
        }
        for (i, p) in predicted.enumerated() where !matchedPredicted.contains(i) {
            mismatches.append(
                Mismatch(field: field, kind: .spurious, gold: nil, predicted: predictedText(p)))
        }
    }

    /// Counts one decision and records it when wrong.
    mutating func decide(
        _ accuracy: WritableKeyPath<AnalysisScore, Accuracy>, _ isCorrect: Bool,
        field: String, gold: String?, predicted: String?
    ) {
        score[keyPath: accuracy] += Accuracy(isCorrect)
        if !isCorrect {
            mismatches.append(
                Mismatch(field: field, kind: .wrong, gold: gold, predicted: predicted))
        }
    }
}

/// Scores a predicted ``Analysis`` against a gold one, following `docs/labelled-samples.md`.
public struct AnalysisScorer: Sendable {
    /// How predicted items are paired with gold items.
    public var matcher: ItemMatcher

    public init(matcher: ItemMatcher = ItemMatcher()) {
        self.matcher = matcher
    }

    /// All structured-answer scores of one document. An empty prediction (the structure
    /// stage did not run) scores zero recall on every non-empty gold list.
    public func score(predicted: Analysis, gold: Analysis) -> AnalysisScore {
        compare(predicted: predicted, gold: gold).score
    }

    /// The scores of one document and the mismatches behind them.
    public func compare(predicted: Analysis, gold: Analysis) -> AnalysisComparison {
        var result = AnalysisComparison()
        scoreMetadata(predicted.metadata, gold.metadata, into: &result)
        scoreSections(predicted.sections, gold.sections, into: &result)
        scoreOverall(predicted.overallAssessment, gold.overallAssessment, into: &result)
        scoreAssessments(predicted.assessments, gold.assessments, into: &result)
        scoreRecommendations(predicted.recommendations, gold.recommendations, into: &result)
        scoreGoals(predicted.goals, gold.goals, into: &result)
        return result
    }

    /// Matches two lists on one text field each, tokenising every item once.
    private func matchOnText<P, G>(
        _ predicted: [P], _ gold: [G], _ predictedText: (P) -> String, _ goldText: (G) -> String
    ) -> [ItemMatcher.Pair] {
        let p = predicted.map { TextComparison.matchTokens(predictedText($0)) }
        let g = gold.map { TextComparison.matchTokens(goldText($0)) }
        return matcher.match(Array(p.indices), Array(g.indices)) {
            TextComparison.similarity(tokens: p[$0], g[$1])
        }
    }

    func scoreSections(
        _ predicted: [Section], _ gold: [Section], into result: inout AnalysisComparison
    ) {
        let pairs = matchOnText(predicted, gold, \.title, \.title)
        result.score.sections = ListScore(
            gold: gold.count, predicted: predicted.count, matched: pairs.count)
        func label(_ s: Section) -> String {
            [s.number, s.title].compactMap { $0 }.joined(separator: " ")
        }
        result.recordUnmatched(
            "sections", predicted, gold, pairs, predictedText: label, goldText: label)
        for pair in pairs {
            guard let number = gold[pair.gold].number else { continue }
            let p = predicted[pair.predicted]
            result.decide(
                \.sectionNumbers, p.number?.trimmed == number.trimmed, field: "sections.number",
                gold: label(gold[pair.gold]), predicted: label(p))
        }
    }

    /// Assessments match on the question; where the gold names an answering body, the
    /// predicted body must match it too (the same question answered per nämnd is several
    /// gold items). The pair's similarity is that of the question.
    func scoreAssessments(
        _ predicted: [Assessment], _ gold: [Assessment], into result: inout AnalysisComparison
    ) {
        let pq = predicted.map { TextComparison.matchTokens($0.question) }
        let pb = predicted.map { $0.body.map(TextComparison.matchTokens) }
        let gq = gold.map { TextComparison.matchTokens($0.question) }
        let gb = gold.map { $0.body.map(TextComparison.matchTokens) }
        let pairs = matcher.match(Array(predicted.indices), Array(gold.indices)) { i, j in
            if let goldBody = gb[j] {
                guard let body = pb[i],
                    TextComparison.similarity(tokens: body, goldBody) >= matcher.threshold
                else { return nil }
            }
            return TextComparison.similarity(tokens: pq[i], gq[j])
        }
        result.score.assessments = ListScore(
            gold: gold.count, predicted: predicted.count, matched: pairs.count)
        func label(_ a: Assessment) -> String {
            (a.body.map { "[\($0)] " } ?? "") + a.question + " → " + a.verdict.rawValue
        }
        result.recordUnmatched(
            "assessments", predicted, gold, pairs, predictedText: label, goldText: label)
        for pair in pairs {
            let p = predicted[pair.predicted]
            let g = gold[pair.gold]
            result.decide(
                \.verdicts, p.verdict == g.verdict, field: "assessments.verdict",
                gold: label(g), predicted: label(p))
        }
    }

    func scoreOverall(
        _ predicted: OverallAssessment?, _ gold: OverallAssessment?,
        into result: inout AnalysisComparison
    ) {
        guard let gold else { return }
        result.decide(
            \.overallVerdict, predicted?.verdict == gold.verdict,
            field: "overall_assessment.verdict", gold: gold.verdict.rawValue,
            predicted: predicted?.verdict.rawValue)
        let similarity = predicted.map { TextComparison.similarity($0.text, gold.text) } ?? 0
        result.decide(
            \.overallText, similarity >= matcher.threshold, field: "overall_assessment.text",
            gold: gold.text, predicted: predicted?.text)
    }

    func scoreRecommendations(
        _ predicted: [Recommendation], _ gold: [Recommendation],
        into result: inout AnalysisComparison
    ) {
        let pairs = matchOnText(predicted, gold, \.text, \.text)
        result.score.recommendations = ListScore(
            gold: gold.count, predicted: predicted.count, matched: pairs.count)
        result.recordUnmatched(
            "recommendations", predicted, gold, pairs, predictedText: \.text, goldText: \.text)
        func recipientSet(_ r: Recommendation) -> Set<String> {
            Set(r.recipients.map { ICU.lowercased(TextComparison.foldedForExactMatch($0)) })
        }
        for pair in pairs {
            let p = predicted[pair.predicted]
            let g = gold[pair.gold]
            result.decide(
                \.recipients, recipientSet(p) == recipientSet(g),
                field: "recommendations.recipients",
                gold: g.recipients.joined(separator: ", ") + ": " + g.text,
                predicted: p.recipients.joined(separator: ", "))
        }
    }

    /// Targets compare without white space ("75 %" = "75%"), since reports space
    /// percentages both ways; a gold null must be predicted null.
    func scoreGoals(_ predicted: [Goal], _ gold: [Goal], into result: inout AnalysisComparison) {
        let pairs = matchOnText(predicted, gold, \.text, \.text)
        result.score.goals = ListScore(
            gold: gold.count, predicted: predicted.count, matched: pairs.count)
        result.recordUnmatched(
            "goals", predicted, gold, pairs, predictedText: \.text, goldText: \.text)
        func targetKey(_ target: String?) -> String? {
            target.map { ICU.caseFolded(ICU.normalize($0)).filter { !$0.isWhitespace } }
        }
        for pair in pairs {
            let p = predicted[pair.predicted]
            let g = gold[pair.gold]
            result.decide(
                \.goalTargets, targetKey(p.target) == targetKey(g.target),
                field: "goals.target", gold: "\(g.target ?? "null"): \(g.text)",
                predicted: p.target ?? "null")
            result.decide(
                \.goalYears, p.year == g.year, field: "goals.year",
                gold: "\(g.year.map(String.init) ?? "null"): \(g.text)",
                predicted: p.year.map(String.init) ?? "null")
        }
    }

    /// Exact match per field the gold states, after NFC and white-space folding.
    func scoreMetadata(
        _ predicted: ReportMetadata, _ gold: ReportMetadata, into result: inout AnalysisComparison
    ) {
        let fields: [(String, WritableKeyPath<MetadataScore, Accuracy>, String?, String?)] = [
            ("municipality", \.municipality, predicted.municipality, gold.municipality),
            ("firm", \.firm, predicted.firm, gold.firm),
            ("date", \.date, predicted.date, gold.date),
            ("title", \.title, predicted.title, gold.title),
        ]
        let metadata: WritableKeyPath<AnalysisScore, MetadataScore> = \.metadata
        for (name, keyPath, p, g) in fields {
            guard let g else { continue }
            let isCorrect =
                p.map(TextComparison.foldedForExactMatch)
                == TextComparison.foldedForExactMatch(g)
            result.decide(
                metadata.appending(path: keyPath), isCorrect,
                field: "metadata." + name, gold: g, predicted: p)
        }
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespaces) }
}
