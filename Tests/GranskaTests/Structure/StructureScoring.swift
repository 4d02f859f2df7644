import Foundation
import XCTest

@testable import Granska

/// Scores an analysis against a gold file by the labelled-sample rule: text similarity ≥ 0.8
/// over NFC, case-folded word tokens, each gold item matched at most once. For measuring the
/// structure stage during development; the project's scorer lives in Evaluation.
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
    }

    var sections = Counts(), assessments = Counts(), recommendations = Counts(), goals = Counts()
    var metadata = Counts()
    var sectionNumbers = Counts()
    var misses: [String] = []

    /// With STRUCTURE_FOLD set, texts are compared without diacritics: a diagnostic that
    /// separates structure errors from the OCR damage the repair stage is there to undo.
    static let folded = ProcessInfo.processInfo.environment["STRUCTURE_FOLD"] != nil

    static func similarity(_ a: String, _ b: String) -> Double {
        folded
            ? TextKey.similarity(TextKey.foldedWords(a), TextKey.foldedWords(b))
            : TextKey.similarity(TextKey.words(a), TextKey.words(b))
    }

    static func same(_ a: String?, _ b: String?) -> Bool {
        guard folded, let a, let b else { return a == b }
        return TextKey.fold(a) == TextKey.fold(b)
    }

    /// Greedy one-to-one matching; returns (gold index, predicted index) pairs.
    static func match(_ gold: [String], _ predicted: [String]) -> [(Int, Int)] {
        var used = Set<Int>()
        var pairs: [(Int, Int)] = []
        for (g, gt) in gold.enumerated() {
            var best: (Double, Int)? = nil
            for (p, pt) in predicted.enumerated() where !used.contains(p) {
                let s = similarity(gt, pt)
                if s >= 0.8, s > (best?.0 ?? 0) { best = (s, p) }
            }
            if let b = best {
                used.insert(b.1)
                pairs.append((g, b.1))
            }
        }
        return pairs
    }

    static func counts(
        _ gold: [String], _ predicted: [String], label: String, misses: inout [String]
    )
        -> (Counts, [(Int, Int)])
    {
        let pairs = match(gold, predicted)
        var c = Counts()
        c.tp = pairs.count
        c.fp = predicted.count - pairs.count
        c.fn = gold.count - pairs.count
        let mg = Set(pairs.map(\.0)), mp = Set(pairs.map(\.1))
        for (i, g) in gold.enumerated() where !mg.contains(i) { misses.append("\(label) FN: \(g)") }
        for (i, p) in predicted.enumerated() where !mp.contains(i) {
            misses.append("\(label) FP: \(p)")
        }
        return (c, pairs)
    }

    init(gold: Analysis, predicted: Analysis) {
        var m: [String] = []
        let (sc, sp) = StructureScore.counts(
            gold.sections.map(\.title), predicted.sections.map(\.title), label: "section",
            misses: &m)
        sections = sc
        // Numbers are scored over matched headings whose gold has one.
        for (g, p) in sp {
            guard let number = gold.sections[g].number else { continue }
            sectionNumbers.compared += 1
            if predicted.sections[p].number == number {
                sectionNumbers.agree += 1
            } else {
                let predictedNumber = predicted.sections[p].number ?? "nil"
                m.append("number: \(number) ≠ \(predictedNumber): \(gold.sections[g].title)")
            }
        }
        let (a, ap) = StructureScore.counts(
            gold.assessments.map(\.question), predicted.assessments.map(\.question),
            label: "question",
            misses: &m)
        assessments = a
        for (g, p) in ap {
            assessments.compared += 1
            if gold.assessments[g].verdict == predicted.assessments[p].verdict {
                assessments.agree += 1
            } else {
                let (gv, pv) = (gold.assessments[g].verdict, predicted.assessments[p].verdict)
                m.append("verdict: \(gv) ≠ \(pv): \(gold.assessments[g].question)")
            }
        }
        let (r, rp) = StructureScore.counts(
            gold.recommendations.map(\.text), predicted.recommendations.map(\.text),
            label: "recommendation", misses: &m)
        recommendations = r
        for (g, p) in rp {
            recommendations.compared += 1
            let gr = Set(
                gold.recommendations[g].recipients.map {
                    StructureScore.folded ? TextKey.fold($0) : $0
                })
            let pr = Set(
                predicted.recommendations[p].recipients.map {
                    StructureScore.folded ? TextKey.fold($0) : $0
                })
            if gr == pr {
                recommendations.agree += 1
            } else {
                let (gr, pr) = (
                    gold.recommendations[g].recipients, predicted.recommendations[p].recipients
                )
                m.append("recipients: \(gr) ≠ \(pr)")
            }
        }
        (goals, _) = StructureScore.counts(
            gold.goals.map(\.text), predicted.goals.map(\.text), label: "goal", misses: &m)
        let fields: [(String, String?, String?)] = [
            ("municipality", gold.metadata.municipality, predicted.metadata.municipality),
            ("firm", gold.metadata.firm, predicted.metadata.firm),
            ("date", gold.metadata.date, predicted.metadata.date),
            ("title", gold.metadata.title, predicted.metadata.title),
        ]
        for (name, g, p) in fields {
            metadata.compared += 1
            if StructureScore.same(g, p) {
                metadata.agree += 1
            } else {
                m.append("metadata \(name): \(g ?? "nil") ≠ \(p ?? "nil")")
            }
        }
        if let go = gold.overallAssessment {
            if let po = predicted.overallAssessment,
                StructureScore.similarity(go.text, po.text) >= 0.8,
                go.verdict == po.verdict
            {
            } else {
                let po = predicted.overallAssessment.map { "\($0.verdict) \($0.text)" } ?? "nil"
                m.append("overall: \(go.verdict) \(go.text) ≠ \(po)")
            }
        }
        misses = m
    }
}
