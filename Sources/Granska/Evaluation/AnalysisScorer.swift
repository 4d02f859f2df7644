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

/// Scores a predicted ``Analysis`` against a gold one, following `docs/labelled-samples.md`.
public struct AnalysisScorer: Sendable {
    public var matcher: ItemMatcher

    public init(matcher: ItemMatcher = ItemMatcher()) {
        self.matcher = matcher
    }

    /// All structured-answer scores of one document. An empty prediction (the structure
    /// stage did not run) scores zero recall on every non-empty gold list.
    public func score(predicted: Analysis, gold: Analysis) -> AnalysisScore {
        var score = AnalysisScore()
        scoreSections(predicted.sections, gold.sections, into: &score)
        scoreAssessments(predicted.assessments, gold.assessments, into: &score)
        scoreOverall(predicted.overallAssessment, gold.overallAssessment, into: &score)
        scoreRecommendations(predicted.recommendations, gold.recommendations, into: &score)
        scoreGoals(predicted.goals, gold.goals, into: &score)
        score.metadata = scoreMetadata(predicted.metadata, gold.metadata)
        return score
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

    func scoreSections(_ predicted: [Section], _ gold: [Section], into score: inout AnalysisScore) {
        let pairs = matchOnText(predicted, gold, \.title, \.title)
        score.sections = ListScore(
            gold: gold.count, predicted: predicted.count, matched: pairs.count)
        for pair in pairs {
            guard let number = gold[pair.gold].number else { continue }
            score.sectionNumbers += Accuracy(
                predicted[pair.predicted].number?.trimmed == number.trimmed)
        }
    }

    /// Assessments match on the question; where the gold names an answering body, the
    /// predicted body must match it too (the same question answered per nämnd is several
    /// gold items). The pair's similarity is that of the question.
    func scoreAssessments(
        _ predicted: [Assessment], _ gold: [Assessment], into score: inout AnalysisScore
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
        score.assessments = ListScore(
            gold: gold.count, predicted: predicted.count, matched: pairs.count)
        for pair in pairs {
            score.verdicts += Accuracy(predicted[pair.predicted].verdict == gold[pair.gold].verdict)
        }
    }

    func scoreOverall(
        _ predicted: OverallAssessment?, _ gold: OverallAssessment?,
        into score: inout AnalysisScore
    ) {
        guard let gold else { return }
        score.overallVerdict = Accuracy(predicted?.verdict == gold.verdict)
        let similarity = predicted.map { TextComparison.similarity($0.text, gold.text) } ?? 0
        score.overallText = Accuracy(similarity >= matcher.threshold)
    }

    func scoreRecommendations(
        _ predicted: [Recommendation], _ gold: [Recommendation], into score: inout AnalysisScore
    ) {
        let pairs = matchOnText(predicted, gold, \.text, \.text)
        score.recommendations = ListScore(
            gold: gold.count, predicted: predicted.count, matched: pairs.count)
        func recipientSet(_ r: Recommendation) -> Set<String> {
            Set(r.recipients.map { ICU.lowercased(TextComparison.foldedForExactMatch($0)) })
        }
        for pair in pairs {
            score.recipients += Accuracy(
                recipientSet(predicted[pair.predicted]) == recipientSet(gold[pair.gold]))
        }
    }

    /// Targets compare without white space ("75 %" = "75%"), since reports space
    /// percentages both ways; a gold null must be predicted null.
    func scoreGoals(_ predicted: [Goal], _ gold: [Goal], into score: inout AnalysisScore) {
        let pairs = matchOnText(predicted, gold, \.text, \.text)
        score.goals = ListScore(gold: gold.count, predicted: predicted.count, matched: pairs.count)
        func targetKey(_ target: String?) -> String? {
            target.map { ICU.caseFolded(ICU.normalize($0)).filter { !$0.isWhitespace } }
        }
        for pair in pairs {
            let p = predicted[pair.predicted]
            let g = gold[pair.gold]
            score.goalTargets += Accuracy(targetKey(p.target) == targetKey(g.target))
            score.goalYears += Accuracy(p.year == g.year)
        }
    }

    /// Exact match per field the gold states, after NFC and white-space folding.
    func scoreMetadata(_ predicted: ReportMetadata, _ gold: ReportMetadata) -> MetadataScore {
        func field(_ p: String?, _ g: String?) -> Accuracy {
            guard let g else { return Accuracy() }
            let folded = p.map(TextComparison.foldedForExactMatch)
            return Accuracy(folded == TextComparison.foldedForExactMatch(g))
        }
        var score = MetadataScore()
        score.municipality = field(predicted.municipality, gold.municipality)
        score.firm = field(predicted.firm, gold.firm)
        score.date = field(predicted.date, gold.date)
        score.title = field(predicted.title, gold.title)
        return score
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespaces) }
}
