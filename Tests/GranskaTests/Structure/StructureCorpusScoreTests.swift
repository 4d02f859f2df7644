import Foundation
import XCTest

@testable import Granska

/// Runs the structure stage over the labelled corpus and prints per-document and
/// micro-averaged scores; fails if the micro-averaged figures fall below a floor.
final class StructureCorpusScoreTests: XCTestCase {
    /// The text sample is its raw OCR text, repaired by the pipeline; STRUCTURE_CORRECTED=1
    /// scores the hand-corrected version instead.
    static let textInput =
        ProcessInfo.processInfo.environment["STRUCTURE_CORRECTED"] != nil
        ? "alingsas-2024.repaired.txt" : "alingsas-2024.txt"

    /// STRUCTURE_INPUTS=input=gold,… scores other inputs against corpus gold files.
    static let inputs: [(input: String, gold: String)] =
        ProcessInfo.processInfo.environment["STRUCTURE_INPUTS"].map { list in
            list.split(separator: ",").map {
                let pair = $0.split(separator: "=")
                return (String(pair[0]), String(pair[1]))
            }
        } ?? defaultInputs

    static let defaultInputs: [(input: String, gold: String)] = [
        (textInput, "alingsas-2024.gold.json"),
        ("lindesberg-2022.pdf", "lindesberg-2022.gold.json"),
        ("lindesberg-2022.scan.pdf", "lindesberg-2022.gold.json"),
        ("vanersborg-2022.pdf", "vanersborg-2022.gold.json"),
        ("vanersborg-2022.scan.pdf", "vanersborg-2022.gold.json"),
    ]

    static func analyzed(_ name: String) throws -> Document {
        // `process` runs every stage: extraction, layout, repair, then structure.
        // STRUCTURE_INPUTS may name files outside the corpus by absolute path.
        try Pipeline().process(path: name.hasPrefix("/") ? name : FixturePaths.corpus(name))
    }

    static func gold(_ name: String) throws -> Analysis {
        let data = try Data(contentsOf: URL(fileURLWithPath: FixturePaths.corpus(name)))
        return try JSONDecoder().decode(GoldAnswers.self, from: data).analysis
    }

    func testStructureCorpusScores() throws {
        try StructureDump.dumpIfAsked()
        var total = StructureScore(gold: Analysis(), predicted: Analysis())
        total.metadata = .init()
        var report = ""
        let verbose = ProcessInfo.processInfo.environment["STRUCTURE_VERBOSE"] != nil
        for (input, goldName) in Self.inputs {
            let document = try Self.analyzed(input)
            let predicted = try XCTUnwrap(document.analysis)
            let started = Date()
            _ = StructureAnalyzer().analysis(of: document)
            let milliseconds = Int(Date().timeIntervalSince(started) * 1000)
            let score = StructureScore(gold: try Self.gold(goldName), predicted: predicted)
            func f(_ c: StructureScore.Counts) -> String { String(format: "%.2f", c.f1) }
            func a(_ c: StructureScore.Counts) -> String { String(format: "%.2f", c.accuracy) }
            report +=
                "\(input): sections \(f(score.sections)) assessments \(f(score.assessments))"
                + " verdicts \(a(score.assessments)) recs \(f(score.recommendations))"
                + " recipients \(a(score.recommendations)) goals \(f(score.goals))"
                + " metadata \(score.metadata.agree)/\(score.metadata.compared)"
                + " (\(milliseconds) ms)\n"
            if verbose { report += score.misses.map { "    " + $0 }.joined(separator: "\n") + "\n" }
            // Born-digital PDFs and corrected text must meet the targets one by one; OCR text
            // (the scans' layers, the raw text sample) counts towards the micro targets.
            let needsRepair = input.contains(".scan.") || input == "alingsas-2024.txt"
            if !needsRepair {
                XCTAssertGreaterThanOrEqual(score.sections.f1, 0.95, input)
                XCTAssertGreaterThanOrEqual(score.assessments.f1, 0.95, input)
                XCTAssertGreaterThanOrEqual(score.assessments.accuracy, 0.95, input)
                XCTAssertGreaterThanOrEqual(score.recommendations.f1, 0.95, input)
                XCTAssertGreaterThanOrEqual(score.recommendations.accuracy, 0.95, input)
                XCTAssertGreaterThanOrEqual(score.goals.f1, 0.85, input)
                XCTAssertEqual(score.metadata.agree, 4, input)
            }
            total = total + score
        }
        report += String(
            format: "MICRO: sections %.3f assessments %.3f verdicts %.3f recs %.3f"
                + " recipients %.3f goals %.3f metadata %d/%d numbers %d/%d",
            total.sections.f1, total.assessments.f1, total.assessments.accuracy,
            total.recommendations.f1, total.recommendations.accuracy, total.goals.f1,
            total.metadata.agree, total.metadata.compared, total.sectionNumbers.agree,
            total.sectionNumbers.compared)
        print(report)
        if let path = ProcessInfo.processInfo.environment["STRUCTURE_REPORT"] {
            try report.write(toFile: path, atomically: true, encoding: .utf8)
        }
        // With repair in the pipeline the micro-averaged figures, scans and OCR text
        // included, must meet the targets.
        XCTAssertGreaterThanOrEqual(total.sections.f1, 0.95)
        XCTAssertGreaterThanOrEqual(total.assessments.f1, 0.95)
        XCTAssertGreaterThanOrEqual(total.assessments.accuracy, 0.95)
        XCTAssertGreaterThanOrEqual(total.recommendations.f1, 0.95)
        XCTAssertGreaterThanOrEqual(total.recommendations.accuracy, 0.95)
        XCTAssertGreaterThanOrEqual(total.goals.f1, 0.85)
        XCTAssertGreaterThanOrEqual(total.metadata.agree, total.metadata.compared - 1)
    }
}

/// The other two reports as plain text (their clean text, one paragraph per blank-line
/// separated block): the text path must find the same structure without any geometry.
final class StructurePlainTextScoreTests: XCTestCase {
    func testCleanTextOfThePDFReports() throws {
        let directory = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for id in ["lindesberg-2022", "vanersborg-2022"] {
            let text = try String(
                contentsOfFile: FixturePaths.corpus("\(id).gold.txt"), encoding: .utf8)
            let path = directory.appendingPathComponent("\(id).txt").path
            try text.replacingOccurrences(of: "\n", with: "\n\n").write(
                toFile: path, atomically: true, encoding: .utf8)
            var document = try Pipeline().extract(path: path)
            StructureAnalyzer().analyze(&document)
            let score = StructureScore(
                gold: try StructureCorpusScoreTests.gold("\(id).gold.json"),
                predicted: try XCTUnwrap(document.analysis))
            print(
                String(
                    format: "%@ (text): sections %.2f assessments %.2f verdicts %.2f recs %.2f"
                        + " goals %.2f",
                    id, score.sections.f1, score.assessments.f1, score.assessments.accuracy,
                    score.recommendations.f1, score.goals.f1))
            XCTAssertGreaterThan(score.sections.f1, 0.9, id)
            XCTAssertGreaterThan(score.assessments.f1, 0.9, id)
            XCTAssertGreaterThan(score.recommendations.f1, 0.9, id)
            XCTAssertEqual(score.metadata.agree, 4, "\(id): \(score.misses)")
        }
    }

    /// The same clean texts with every diacritic stripped (as an English OCR model leaves
    /// them), through the whole pipeline: repair restores what it can, and the structure
    /// stage must read the rest tolerantly and still output correct Swedish names.
    func testDiacriticStrippedTextThroughRepair() throws {
        let directory = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for id in ["lindesberg-2022", "vanersborg-2022"] {
            let text = try String(
                contentsOfFile: FixturePaths.corpus("\(id).gold.txt"), encoding: .utf8)
            let stripped = text.folding(options: .diacriticInsensitive, locale: nil)
            XCTAssertFalse(stripped.contains("ä"))
            let path = directory.appendingPathComponent("\(id).txt").path
            try stripped.replacingOccurrences(of: "\n", with: "\n\n").write(
                toFile: path, atomically: true, encoding: .utf8)
            let document = try Pipeline().process(path: path)
            let predicted = try XCTUnwrap(document.analysis)
            let gold = try StructureCorpusScoreTests.gold("\(id).gold.json")
            let score = StructureScore(gold: gold, predicted: predicted)
            print(
                String(
                    format: "%@ (stripped): sections %.2f assessments %.2f verdicts %.2f"
                        + " recs %.2f recipients %.2f goals %.2f",
                    id, score.sections.f1, score.assessments.f1, score.assessments.accuracy,
                    score.recommendations.f1, score.recommendations.accuracy, score.goals.f1))
            XCTAssertGreaterThan(score.sections.f1, 0.9, id)
            XCTAssertGreaterThan(score.assessments.f1, 0.9, id)
            XCTAssertGreaterThan(score.recommendations.f1, 0.9, id)
            XCTAssertGreaterThanOrEqual(score.recommendations.accuracy, 0.95, id)
            // Closed-class names come out in their own spelling whatever repair left.
            XCTAssertEqual(predicted.metadata.municipality, gold.metadata.municipality, id)
            for r in predicted.recommendations.flatMap(\.recipients) {
                XCTAssertEqual(BodyNames().canonical(r), r, id)
            }
        }
    }
}
