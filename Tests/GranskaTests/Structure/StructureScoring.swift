import Foundation
import XCTest

@testable import Granska

/// The project's scorer (`AnalysisScorer`, Evaluation) seen as the counts the structure
/// tests assert on: true and false positives per list, agreements per accuracy, and the
/// mismatches as readable lines.
struct StructureScore {
    struct Counts {
        var tp = 0, fp = 0, fn = 0
        var agree = 0, compared = 0
        var precision: Double { tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp) }
        var recall: Double { tp + fn == 0 ? 1 : Double(tp) / Double(tp + fn) }
        var f1: Double {
            precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        }
        var accuracy: Double { compared == 0 ? 1 : Double(agree) / Double(compared) }
        static func + (a: Counts, b: Counts) -> Counts {
            Counts(
                tp: a.tp + b.tp, fp: a.fp + b.fp, fn: a.fn + b.fn, agree: a.agree + b.agree,
                compared: a.compared + b.compared)
        }

        init(tp: Int = 0, fp: Int = 0, fn: Int = 0, agree: Int = 0, compared: Int = 0) {
            (self.tp, self.fp, self.fn, self.agree, self.compared) = (tp, fp, fn, agree, compared)
        }

        init(_ list: ListScore, _ accuracy: Accuracy = Accuracy()) {
            self.init(
                tp: list.matched, fp: list.predicted - list.matched, fn: list.gold - list.matched,
                agree: accuracy.correct, compared: accuracy.total)
        }

        init(_ accuracy: Accuracy) {
            self.init(agree: accuracy.correct, compared: accuracy.total)
        }
    }

    var sections = Counts(), assessments = Counts(), recommendations = Counts(), goals = Counts()
    var metadata = Counts()
    var sectionNumbers = Counts()
    var misses: [String] = []

    /// Pooled counts of two documents (micro-averaging).
    static func + (a: StructureScore, b: StructureScore) -> StructureScore {
        var sum = a
        sum.sections = a.sections + b.sections
        sum.assessments = a.assessments + b.assessments
        sum.recommendations = a.recommendations + b.recommendations
        sum.goals = a.goals + b.goals
        sum.metadata = a.metadata + b.metadata
        sum.sectionNumbers = a.sectionNumbers + b.sectionNumbers
        sum.misses = a.misses + b.misses
        return sum
    }

    init(gold: Analysis, predicted: Analysis) {
        let comparison = AnalysisScorer().compare(predicted: predicted, gold: gold)
        let score = comparison.score
        sections = Counts(score.sections)
        sectionNumbers = Counts(score.sectionNumbers)
        assessments = Counts(score.assessments, score.verdicts)
        recommendations = Counts(score.recommendations, score.recipients)
        goals = Counts(score.goals)
        let m = score.metadata
        metadata = Counts(m.municipality + m.firm + m.date + m.title)
        misses = comparison.mismatches.map {
            "\($0.field) \($0.kind): \($0.gold ?? "nil") ≠ \($0.predicted ?? "nil")"
        }
    }
}
