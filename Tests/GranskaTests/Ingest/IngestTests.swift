import Foundation
import GRDB
import XCTest

@testable import Granska

/// End-to-end tests of `granska ingest` and `granska merge`, running the built executable
/// on copies of the bundled corpus.
final class IngestTests: XCTestCase {
    /// A folder with two good inputs, four bad ones and a companion file that is no input.
    private func makeBatchWithBadFiles() throws -> URL {
        let folder = try IngestFixtures.temporaryFolder(self).appendingPathComponent("batch")
        try IngestFixtures.copy(
            "lindesberg-2022.pdf", to: folder.appendingPathComponent("good.pdf"))
        try IngestFixtures.copy(
            "alingsas-2024.txt", to: folder.appendingPathComponent("sub/alingsas.txt"))
        try IngestFixtures.copy(
            "lindesberg-2022.gold.txt", to: folder.appendingPathComponent("good.gold.txt"))
        let pdf = try Data(contentsOf: IngestFixtures.corpusFile("lindesberg-2022.pdf"))
        try pdf.prefix(pdf.count / 3).write(to: folder.appendingPathComponent("truncated.pdf"))
        try Data("Protokoll, inte en PDF.\n".utf8)
            .write(to: folder.appendingPathComponent("not-really.pdf"))
        try Data().write(to: folder.appendingPathComponent("empty.txt"))

        let qpdf = Process()
        qpdf.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        qpdf.arguments = [
            "qpdf", "--encrypt", "hemligt", "hemligt", "256", "--",
            IngestFixtures.corpusFile("lindesberg-2022.pdf").path,
            folder.appendingPathComponent("encrypted.pdf").path,
        ]
        try qpdf.run()
        qpdf.waitUntilExit()
        try XCTSkipUnless(qpdf.terminationStatus == 0, "qpdf is needed to encrypt a fixture")
        return folder
    }

    func testBadFilesAreRecordedAsFailedAndTheRestIngested() throws {
        let folder = try makeBatchWithBadFiles()
        let db = folder.deletingLastPathComponent().appendingPathComponent("corpus.sqlite")
        let jsonl = folder.deletingLastPathComponent().appendingPathComponent("corpus.jsonl")
        let texts = folder.deletingLastPathComponent().appendingPathComponent("texts")

        let run = try IngestFixtures.granska([
            "ingest", folder.path, "--db", db.path, "--jobs", "2", "--jsonl", jsonl.path,
            "--text-dir", texts.path,
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("2 ok, 4 failed, 0 skipped"), run.stderr)

        let store = try CorpusStore(path: db.path, readOnly: true)
        let statuses = try store.documentStatuses()
        let byName = Dictionary(
            uniqueKeysWithValues: statuses.map {
                (URL(fileURLWithPath: $0.path).lastPathComponent, $0)
            })
        XCTAssertEqual(
            Set(byName.keys),
            [
                "good.pdf", "alingsas.txt", "truncated.pdf", "not-really.pdf", "empty.txt",
                "encrypted.pdf",
            ])
        XCTAssertEqual(byName["good.pdf"]?.status, "ok")
        XCTAssertEqual(byName["alingsas.txt"]?.status, "ok")
        XCTAssertEqual(byName["truncated.pdf"]?.code, "damaged")
        XCTAssertEqual(byName["not-really.pdf"]?.code, "not-pdf")
        XCTAssertEqual(byName["empty.txt"]?.code, "empty")
        XCTAssertEqual(byName["encrypted.pdf"]?.code, "encrypted")

        // Workers hash new files; every document, processed or failed, has its checksum.
        let checksums = try DatabaseQueue(path: db.path).read { db in
            try Row.fetchAll(db, sql: "SELECT path, sha256, byte_count FROM documents")
        }
        XCTAssertEqual(checksums.count, 6)
        for row in checksums {
            let (hex, byteCount) = try SHA256.hexOfFile(atPath: row["path"])
            XCTAssertEqual(row["sha256"], hex, row["path"])
            XCTAssertEqual(row["byte_count"], byteCount, row["path"])
        }

        // The outputs hold the two processed documents.
        let lines = try String(contentsOf: jsonl, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let reports = try lines.map {
            try JSONDecoder().decode(AnalysisReport.self, from: Data($0.utf8))
        }
        XCTAssertEqual(
            reports.map { URL(fileURLWithPath: $0.source.path).lastPathComponent },
            ["good.pdf", "alingsas.txt"])
        let text = try String(
            contentsOf: texts.appendingPathComponent("sub/alingsas.txt"), encoding: .utf8)
        XCTAssertEqual(text, reports[1].text)
        XCTAssertFalse(text.isEmpty)
        XCTAssertFalse(try store.search("revisionsfråga").isEmpty)

        // A rerun finds everything stored and changes nothing; --strict reports failures;
        // a text file that went missing is written again.
        let before = try IngestFixtures.dump(db)
        try FileManager.default.removeItem(at: texts.appendingPathComponent("good.txt"))
        let rerun = try IngestFixtures.granska([
            "ingest", folder.path, "--db", db.path, "--strict", "--jsonl", jsonl.path,
            "--text-dir", texts.path,
        ])
        XCTAssertEqual(
            try String(contentsOf: texts.appendingPathComponent("good.txt"), encoding: .utf8),
            reports[0].text)
        XCTAssertEqual(rerun.status, 1, rerun.stderr)
        XCTAssertTrue(rerun.stderr.contains("0 ok, 0 failed, 6 skipped"), rerun.stderr)
        XCTAssertEqual(try IngestFixtures.dump(db), before)
        XCTAssertEqual(
            try String(contentsOf: jsonl, encoding: .utf8).split(separator: "\n").count, 2)

        // A changed file is processed again; a retried failure is recorded again.
        try IngestFixtures.copy(
            "alingsas-2024.txt", to: folder.appendingPathComponent("sub/alingsas.txt"),
            marker: "ändrad")
        let changed = try IngestFixtures.granska([
            "ingest", folder.path, "--db", db.path, "--retry-failed",
        ])
        XCTAssertTrue(changed.stderr.contains("1 ok, 4 failed, 1 skipped"), changed.stderr)
        // The full-text index follows the replacement: the new text is found, once.
        let changedPath = folder.appendingPathComponent("sub/alingsas.txt").path
        XCTAssertEqual(try store.search("ändrad"), [changedPath])
        XCTAssertEqual(try store.search("revisionsfråga").filter { $0 == changedPath }.count, 1)
        XCTAssertEqual(try store.documentCounts(), ["ok": 2, "failed": 4])
    }

    /// Text copies (fast) with distinct content, plus two PDFs.
    private func makeBatch(count: Int) throws -> URL {
        let folder = try IngestFixtures.temporaryFolder(self).appendingPathComponent("batch")
        for i in 0..<count {
            try IngestFixtures.copy(
                "alingsas-2024.txt",
                to: folder.appendingPathComponent(String(format: "text/rapport-%02d.txt", i)),
                marker: "kopia \(i)")
        }
        try IngestFixtures.copy(
            "vanersborg-2022.pdf", to: folder.appendingPathComponent("pdf/vanersborg.pdf"))
        try IngestFixtures.copy(
            "lindesberg-2022.pdf", to: folder.appendingPathComponent("pdf/lindesberg.pdf"))
        try Data().write(to: folder.appendingPathComponent("pdf/tom.pdf"))
        return folder
    }

    func testRunKilledMidBatchResumesToTheSameContent() throws {
        let folder = try makeBatch(count: 14)
        let reference = folder.deletingLastPathComponent().appendingPathComponent("ref.sqlite")
        let killed = folder.deletingLastPathComponent().appendingPathComponent("killed.sqlite")
        let referenceJSONL = reference.deletingPathExtension().appendingPathExtension("jsonl")
        let killedJSONL = killed.deletingPathExtension().appendingPathExtension("jsonl")
        XCTAssertEqual(
            try IngestFixtures.granska([
                "ingest", folder.path, "--db", reference.path, "--jsonl", referenceJSONL.path,
            ]).status, 0)

        // Start a one-worker run and kill it (SIGKILL) once it has stored a document.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try IngestFixtures.executable())
        process.arguments = ["ingest", folder.path, "--db", killed.path, "--jobs", "1"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        var log = ""
        while !log.contains("\nok ") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            log += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, log)

        let partial = try CorpusStore(path: killed.path, readOnly: true).documentStatuses()
        XCTAssertGreaterThan(partial.count, 0)
        XCTAssertLessThan(partial.count, 17, "the run finished before it was killed")

        let rerun = try IngestFixtures.granska([
            "ingest", folder.path, "--db", killed.path, "--jsonl", killedJSONL.path,
        ])
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertTrue(rerun.stderr.contains("\(partial.count) skipped"), rerun.stderr)
        XCTAssertEqual(try IngestFixtures.dump(killed), try IngestFixtures.dump(reference))
        // The run log shows the killed run as still running, then the completing one.
        let runs = try CorpusStore(path: killed.path, readOnly: true).runs()
        XCTAssertEqual(runs.map(\.status), ["running", "completed"])
        XCTAssertEqual(runs.last?.skipped, partial.count)
        // The JSON Lines export is regenerated whole, so it matches too.
        XCTAssertEqual(try Data(contentsOf: killedJSONL), try Data(contentsOf: referenceJSONL))
    }

    func testTwoShardsMergedEqualASingleRun() throws {
        let folder = try makeBatch(count: 6)
        let base = folder.deletingLastPathComponent()
        let single = base.appendingPathComponent("single.sqlite")
        let shards = (0..<2).map { base.appendingPathComponent("shard-\($0).sqlite") }
        let merged = base.appendingPathComponent("merged.sqlite")

        XCTAssertEqual(
            try IngestFixtures.granska(["ingest", folder.path, "--db", single.path]).status, 0)
        for (i, shard) in shards.enumerated() {
            let run = try IngestFixtures.granska([
                "ingest", folder.path, "--db", shard.path, "--shard", "\(i)/2",
            ])
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        let counts = try shards.map {
            try CorpusStore(path: $0.path, readOnly: true).documentStatuses().count
        }
        XCTAssertEqual(counts.reduce(0, +), 9)
        XCTAssertTrue(counts.allSatisfy { $0 > 0 }, "\(counts)")

        let merge = try IngestFixtures.granska(["merge", merged.path] + shards.map(\.path))
        XCTAssertEqual(merge.status, 0, merge.stderr)
        XCTAssertEqual(try IngestFixtures.dump(merged), try IngestFixtures.dump(single))
    }
}
