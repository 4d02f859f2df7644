import Foundation
import XCTest

@testable import Granska

/// The evaluator on the bundled corpus: discovery, gold against itself, the repair
/// projection on real OCR text, and failures that must become rows.
final class EvaluatorTests: XCTestCase {
    func testDiscoversEveryRenderingOfTheCorpus() throws {
        let samples = try Evaluator.samples(in: CorpusFixtures.corpus.path)
        let inputs = samples.map(\.inputName)
        XCTAssertEqual(
            inputs,
            [
                "alingsas-2024.txt", "lindesberg-2022.pdf", "lindesberg-2022.scan.pdf",
                "vanersborg-2022.pdf", "vanersborg-2022.scan.pdf",
            ])
        let scan = try XCTUnwrap(samples.first { $0.input.hasSuffix("vanersborg-2022.scan.pdf") })
        XCTAssertEqual(scan.id, "vanersborg-2022")
        XCTAssertTrue(scan.goldJSON.hasSuffix("/vanersborg-2022.gold.json"))
        XCTAssertTrue(scan.goldText?.hasSuffix("/vanersborg-2022.gold.txt") ?? false)
        XCTAssertNil(scan.repairedText)
        let text = try XCTUnwrap(samples.first { $0.id == "alingsas-2024" })
        XCTAssertNil(text.goldText)
        XCTAssertTrue(text.repairedText?.hasSuffix("/alingsas-2024.repaired.txt") ?? false)
    }

    func testEveryGoldFileScoresPerfectlyAgainstItself() throws {
        for id in ["alingsas-2024", "lindesberg-2022", "vanersborg-2022"] {
            let data = try Data(contentsOf: CorpusFixtures.corpusFile(id + ".gold.json"))
            let gold = try JSONDecoder().decode(GoldAnswers.self, from: data)
            XCTAssertEqual(gold.id, id)
            let s = AnalysisScorer().score(predicted: gold.analysis, gold: gold.analysis)
            for (name, list) in [
                ("sections", s.sections), ("assessments", s.assessments),
                ("recommendations", s.recommendations), ("goals", s.goals),
            ] {
                XCTAssertGreaterThan(list.gold, 0, "\(id) \(name)")
                XCTAssertEqual(list.f1, 1, "\(id) \(name)")
            }
            XCTAssertEqual(s.verdicts.value, 1, id)
            // Lindesberg's headings are unnumbered: nothing to score there.
            if gold.analysis.sections.contains(where: { $0.number != nil }) {
                XCTAssertEqual(s.sectionNumbers.value, 1, id)
            }
            XCTAssertEqual(s.metadata.all.value, 1, id)
        }
    }

    func testGoldTextScoresPerfectlyAgainstItselfAndLosesWithoutDiacritics() throws {
        let gold = try CorpusFixtures.text("vanersborg-2022.gold.txt")
        let perfect = TextScorer.score(output: gold, gold: gold)
        XCTAssertEqual(perfect.wordAccuracy, 1)
        XCTAssertEqual(perfect.diacriticAccuracy, 1)
        XCTAssertGreaterThan(perfect.goldWords, 5000)

        let stripped = TextScorer.score(output: ICU.strippingMarks(gold), gold: gold)
        XCTAssertEqual(stripped.diacriticWordsFound, 0)
        XCTAssertEqual(stripped.wordErrors, stripped.diacriticWords)
    }

    func testRepairScoreOfTheGoldItselfIsPerfect() throws {
        let input = try CorpusFixtures.text("alingsas-2024.txt")
        let repaired = try CorpusFixtures.text("alingsas-2024.repaired.txt")
        let s = try RepairScorer.score(input: input, output: repaired, repaired: repaired)
        XCTAssertEqual(s.accuracy, 1)
        XCTAssertEqual(s.broken, 0)
        XCTAssertEqual(s.fixed, s.words - s.correctInInput)
        XCTAssertLessThan(s.inputAccuracy!, 0.9, "the OCR input has many misread words")
    }

    /// Without repair, the pipeline's paragraphs carried back to the input's lines must
    /// give exactly the input: layout's joins and dropped furniture are not repairs.
    func testRepairScoreWithoutRepairEqualsTheInputBaseline() throws {
        var options = PipelineOptions()
        options.repair = false
        let samples = try Evaluator.samples(in: CorpusFixtures.corpus.path)
        let sample = try XCTUnwrap(samples.first { $0.id == "alingsas-2024" })
        let row = Evaluator(options: options).evaluate(sample: sample)
        XCTAssertNil(row.error)
        let repair = try XCTUnwrap(row.repair)
        XCTAssertEqual(repair.correct, repair.correctInInput)
        XCTAssertEqual(repair.broken, 0)
        XCTAssertEqual(repair.fixed, 0)
        XCTAssertGreaterThan(repair.words, 5000)
    }

    /// The whole corpus scores without an error row, and the micro row pools the rows.
    func testCorpusEvaluatesWithoutErrorsAndPoolsCounts() throws {
        let report = try Evaluator().evaluate(directory: CorpusFixtures.corpus.path)
        XCTAssertEqual(report.samples.count, 5)
        for row in report.samples { XCTAssertNil(row.error, row.sample.inputName) }
        let texts = report.samples.compactMap(\.text)
        XCTAssertEqual(texts.count, 4)
        XCTAssertEqual(report.micro.text?.goldWords, texts.map(\.goldWords).reduce(0, +))
        XCTAssertEqual(report.micro.text?.wordErrors, texts.map(\.wordErrors).reduce(0, +))
        XCTAssertEqual(
            report.micro.analysis.sections.gold,
            report.samples.compactMap(\.analysis?.sections.gold).reduce(0, +))
        // Born-digital text layers keep their diacritics.
        for row in report.samples where row.sample.inputName.hasSuffix("-2022.pdf") {
            XCTAssertGreaterThan(try XCTUnwrap(row.text?.diacriticAccuracy), 0.99)
        }
    }

    func testFailingInputBecomesAnErrorRowScoredAsEmpty() throws {
        let directory = try temporaryDirectory()
        let gold = CorpusFixtures.corpusFile("vanersborg-2022.gold.json")
        try FileManager.default.copyItem(
            at: gold, to: directory.appendingPathComponent("broken.gold.json"))
        try Data("%PDF-1.7\nnot really a PDF".utf8).write(
            to: directory.appendingPathComponent("broken.pdf"))
        // An input without gold is not a sample.
        try Data("Ingen facit.".utf8).write(to: directory.appendingPathComponent("other.txt"))

        // A gold file that is not JSON: a row without scores.
        try Data("Ingen JSON.".utf8).write(to: directory.appendingPathComponent("bad.txt"))
        try Data("{".utf8).write(to: directory.appendingPathComponent("bad.gold.json"))

        let report = try Evaluator().evaluate(directory: directory.path)
        XCTAssertEqual(report.samples.map(\.sample.inputName), ["bad.txt", "broken.pdf"])
        let bad = report.samples[0]
        XCTAssertTrue(bad.error?.contains("bad.gold.json") ?? false, bad.error ?? "")
        XCTAssertNil(bad.analysis)
        let row = report.samples[1]
        XCTAssertTrue(row.error?.contains("broken.pdf") ?? false, row.error ?? "")
        XCTAssertEqual(row.analysis?.sections.recall, 0)
        XCTAssertEqual(report.micro.analysis.sections.gold, row.analysis?.sections.gold)
        let table = report.table()
        XCTAssertTrue(table.contains("broken.pdf (!)"))
        XCTAssertTrue(table.contains("bad.txt (!)"))
    }

    func testMissingDirectoryAndDirectoryWithoutSamplesThrow() throws {
        XCTAssertThrowsError(try Evaluator().evaluate(directory: "/nonexistent/granska"))
        let empty = try temporaryDirectory()
        XCTAssertThrowsError(try Evaluator().evaluate(directory: empty.path)) { error in
            XCTAssertEqual((error as? GranskaError)?.code, "unsupported")
        }
    }

    func testTableHasOneRowPerSamplePlusMicro() throws {
        let directory = try temporaryDirectory()
        for name in ["alingsas-2024.txt", "alingsas-2024.gold.json", "alingsas-2024.repaired.txt"] {
            try FileManager.default.copyItem(
                at: CorpusFixtures.corpusFile(name), to: directory.appendingPathComponent(name))
        }
        let report = try Evaluator().evaluate(directory: directory.path)
        let lines = report.table().split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("sample"))
        XCTAssertTrue(lines[0].contains("sec F1"))
        XCTAssertTrue(lines[2].hasPrefix("alingsas-2024.txt"))
        XCTAssertTrue(lines[4].hasPrefix("micro (1)"))
        XCTAssertEqual(lines[2].count, lines[0].count, "columns align")
        let json = try JSONEncoder().encode(report)
        let decoded = try JSONDecoder().decode(EvaluationReport.self, from: json)
        XCTAssertEqual(decoded, report)
    }

    private func temporaryDirectory() throws -> URL {
        let url = try FixturePaths.temporaryDirectory()
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}

/// The line projection through real layout: the repaired gold, laid out into paragraphs by
/// the pipeline (headers dropped, hyphens mended), must score as a near-perfect repair.
final class RepairProjectionCorpusTests: XCTestCase {
    func testLaidOutGoldScoresAsNearPerfectRepair() throws {
        var options = PipelineOptions()
        options.repair = false
        let laidOut = try Pipeline(options: options).process(
            path: CorpusFixtures.corpusFile("alingsas-2024.repaired.txt").path)
        let s = try RepairScorer.score(
            input: try CorpusFixtures.text("alingsas-2024.txt"), output: laidOut.text,
            repaired: try CorpusFixtures.text("alingsas-2024.repaired.txt"))
        // Measured 1.0 (6175 of 6175 words); a little slack for layout changes.
        XCTAssertGreaterThan(try XCTUnwrap(s.accuracy), 0.995)
        XCTAssertLessThan(s.broken, 10)
    }
}
