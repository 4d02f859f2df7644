import Foundation
import XCTest

@testable import Granska

/// `granska ingest --self-train`: counts learned from the clean inputs first, the damaged
/// ones repaired with them, and the counts part of the version that decides skipping.
final class SelfTrainIngestTests: XCTestCase {
    func testSelfTrainLearnsCleanInputsAndVersionsTheDocuments() throws {
        let folder = try IngestFixtures.temporaryFolder(self)
        let input = folder.appendingPathComponent("in")
        try IngestFixtures.copy(
            "vanersborg-2022.pdf", to: input.appendingPathComponent("vanersborg.pdf"))
        try IngestFixtures.copy(
            "alingsas-2024.txt", to: input.appendingPathComponent("alingsas.txt"))
        let db = folder.appendingPathComponent("out/corpus.sqlite")

        let first = try IngestFixtures.granska([
            "ingest", input.path, "--db", db.path, "--self-train", "--quiet", "--jobs", "1",
        ])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("learned 1 clean documents"), first.stderr)
        let counts = try ContextCounts(contentsOf: URL(fileURLWithPath: db.path + ".context.tsv"))
        XCTAssertEqual(counts.documentCount, 1)
        XCTAssertGreaterThan(counts["nämnden"], 0)
        let dump = try IngestFixtures.dump(db)
        XCTAssertTrue(
            dump.contains(";context:" + counts.digest.prefix(16)), dump.prefix(2000).description)

        // The same inputs and counts: nothing to do.
        let again = try IngestFixtures.granska([
            "ingest", input.path, "--db", db.path, "--self-train", "--quiet", "--jobs", "1",
        ])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("0 ok, 0 failed, 2 skipped"), again.stderr)

        // Without the counts the output may differ: every document is processed again.
        let plain = try IngestFixtures.granska([
            "ingest", input.path, "--db", db.path, "--quiet", "--jobs", "1",
        ])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(plain.stderr.contains("2 ok"), plain.stderr)
        XCTAssertFalse(try IngestFixtures.dump(db).contains(";context:"))
    }
}
