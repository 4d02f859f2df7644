import Foundation
import XCTest

@testable import Granska

/// Self-training: context counts learned from clean documents (`granska learn`).
final class ContextLearningTests: XCTestCase {
    private func model() throws -> RepairModel {
        try RepairModel(directory: RepairTestSupport.repoRoot.appendingPathComponent("models"))
    }

    /// The keys follow `scripts/models/build.py` (`context_pairs`): pairs within clauses,
    /// `<s>` / `</s>` boundary pairs, `<num>` and `<year>`. The expected pairs are the
    /// build's output for the same line.
    func testLineKeysMatchTheBuild() {
        var counts = ContextCounts(weight: 1)
        counts.learn(
            line: "Här finns det. Per år 2022. Vi har 2.3 procent! bl.a. detta",
            hasTwin: { _ in false })
        let pairs = Set(
            counts.counts.keys.filter {
                $0.contains(" ") && !$0.contains(" >") && !$0.contains(" _ ")
            })
        XCTAssertEqual(
            pairs,
            [
                "här finns", "finns det", "<s> här", "det </s>", "per år", "år <year>",
                "<s> per", "<year> </s>", "vi har", "har <num>", "<s> vi", "<num> procent",
                "procent </s>", "<s> bl", "a </s>", "<s> detta",
            ])
        XCTAssertEqual(counts["<s>"], 5)
        XCTAssertEqual(counts["</s>"], 4)
        // Words only: markers are not words.
        XCTAssertEqual(counts[ContextModel.totalKey], 11)
        // Inflection classes: the first five letters of words longer than five.
        XCTAssertEqual(counts["~proce"], 1)
        XCTAssertEqual(counts["<num> >proce"], 1)
        XCTAssertEqual(counts["~finns"], 0)
    }

    /// Word classes are counted as in the build's `class_keys`: `#C` per word, and
    /// `a >#C`, `#C b`, `#C #D` per pair (sentence boundaries included).
    func testWordClassKeysFollowTheBuild() {
        var counts = ContextCounts(weight: 1)
        let classes: [String: UInt16] = ["nämnden": 7, "bör": 9]
        counts.learn(
            document: "Nämnden bör svara.", hasTwin: { _ in false },
            wordClass: { classes[$0] ?? 0 })
        XCTAssertEqual(counts["#7"], 1)
        XCTAssertEqual(counts["#9"], 1)
        XCTAssertEqual(counts["<s> >#7"], 1)
        XCTAssertEqual(counts["#7 bör"], 1)
        XCTAssertEqual(counts["nämnden >#9"], 1)
        XCTAssertEqual(counts["#7 #9"], 1)
        XCTAssertEqual(counts["#9 svara"], 1)
        XCTAssertEqual(counts["bör >#0"], 0)
        XCTAssertEqual(counts.counts.keys.filter { $0.contains("#") }.count, 7)
    }

    func testSkipPairsOnlyAroundTwins() {
        var counts = ContextCounts(weight: 1)
        counts.learn(line: "vi har inte sett det", hasTwin: { $0 == "har" })
        XCTAssertEqual(counts["har _ sett"], 1)
        XCTAssertEqual(counts["vi _ inte"], 0)
    }

    func testFileRoundTripAndWeight() throws {
        var counts = ContextCounts()
        counts.learn(document: "Nämnden bör säkerställa uppföljningen.", hasTwin: { _ in false })
        XCTAssertEqual(counts["nämnden bör"], ContextCounts.learnedWeight)
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("granska-context-\(UUID().uuidString).tsv")
        defer { try? FileManager.default.removeItem(at: url) }
        try counts.write(to: url)
        let read = try ContextCounts(contentsOf: url)
        XCTAssertEqual(read, counts)
        XCTAssertEqual(read.digest, counts.digest)
    }

    func testMalformedFileIsATypedError() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("granska-context-\(UUID().uuidString).tsv")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("not counts\n".utf8).write(to: url)
        XCTAssertThrowsError(try ContextCounts(contentsOf: url)) { error in
            guard case GranskaError.modelUnavailable = error else {
                return XCTFail("unexpected \(error)")
            }
        }
    }

    func testLearnerTakesBornDigitalAndSkipsDamagedText() throws {
        var learner = ContextLearner(model: try model())
        let pipeline = Pipeline(options: .layoutOnly)
        let clean = try pipeline.extract(
            path: RepairTestSupport.repoRoot.appendingPathComponent("corpus/vanersborg-2022.pdf")
                .path)
        guard case .learned(let words) = learner.learn(clean) else {
            return XCTFail("a born-digital report is learned")
        }
        XCTAssertGreaterThan(words, 3000)
        let damaged = try pipeline.extract(
            path: RepairTestSupport.repoRoot.appendingPathComponent("corpus/alingsas-2024.txt")
                .path)
        guard case .skipped = learner.learn(damaged) else {
            return XCTFail("English-model OCR text is never learned")
        }
        XCTAssertEqual(learner.counts.documentCount, 1)
    }

    /// Learned counts are added to the model's, and a repair uses them: after learning
    /// clean sentences in which "antalet män" is common, a stripped "antalet man" reads
    /// "män" (without them the valid "man" stays).
    func testLearnedCountsDecideAmbiguousWords() throws {
        let base = try model()
        var counts = ContextCounts()
        counts.learn(
            document: """
                Revisorerna bedömer att antalet män i målgruppen har ökat.
                Nämnden ska följa upp antalet män som får insatser under året.
                Det är angeläget att antalet män och kvinnor redovisas var för sig.
                """,
            hasTwin: { base.hasStrippedTwin($0) },
            wordClass: { base.lexicon.entry($0)?.wordClass ?? 0 })
        let learned = base.learning(counts)
        XCTAssertEqual(
            learned.context.count("antalet män"),
            base.context.count("antalet män") + 3 * ContextCounts.learnedWeight)

        let input =
            "Det har skett en okning av antalet man i gruppen.\n"
            + "Namnden har inte sakerstallt att individer far insatser.\n"
        let without = Repairer(model: base).repair(input).text
        let with = Repairer(model: learned).repair(input).text
        XCTAssertTrue(without.contains("antalet man i"), without)
        XCTAssertTrue(with.contains("antalet män i"), with)
        XCTAssertTrue(with.contains("Nämnden har inte säkerställt"), with)
    }

    func testLocateAddsTheCountsNamedByTheEnvironment() throws {
        var counts = ContextCounts()
        counts.learn(document: "Revisorerna bedömer att nämnden brister.", hasTwin: { _ in false })
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("granska-context-\(UUID().uuidString).tsv")
        defer { try? FileManager.default.removeItem(at: url) }
        try counts.write(to: url)
        let models = RepairTestSupport.repoRoot.appendingPathComponent("models").path
        let plain = try RepairModel.locate(environment: ["GRANSKA_MODELS": models])
        let located = try RepairModel.locate(environment: [
            "GRANSKA_MODELS": models, RepairModel.learnedContextVariable: url.path,
        ])
        XCTAssertNil(plain.context.learned)
        XCTAssertEqual(
            located.context.count("nämnden brister"),
            plain.context.count("nämnden brister") + ContextCounts.learnedWeight)
    }
}
