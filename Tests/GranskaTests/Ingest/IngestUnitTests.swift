import Foundation
import XCTest

@testable import Granska

/// Input selection, sharding and worker supervision, in process.
final class IngestUnitTests: XCTestCase {
    func testWalkerTakesPDFAndTextSkipsCompanionsAndSorts() throws {
        let folder = try IngestFixtures.temporaryFolder(self)
        for name in [
            "b.pdf", "a.txt", "A.PDF", "x.gold.txt", "x.gold.json", "x.repaired.txt",
            "notes.md", ".hidden.pdf", "sub/c.txt", ".cache/d.pdf", "same.pdf", "same.txt",
        ] {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: url)
        }
        let direct = folder.appendingPathComponent("x.gold.txt").path
        let inputs = try InputWalker().inputs(roots: [folder.path, direct])
        XCTAssertEqual(
            inputs.map(\.relativePath),
            ["A.PDF", "a.txt", "b.pdf", "same.pdf", "same.txt", "sub/c.txt", "x.gold.txt"])
        XCTAssertEqual(
            inputs.map(\.id), ["A", "a", "b", "same.pdf", "same.txt", "sub/c", "x.gold"])
        XCTAssertEqual(inputs[5].path, folder.path + "/sub/c.txt")
        XCTAssertThrowsError(try InputWalker().inputs(roots: [folder.path + "/nothing"]))
    }

    func testShardParsingAndPartition() {
        XCTAssertEqual(Shard("1/4")?.index, 1)
        XCTAssertEqual(Shard("0/1"), .all)
        for bad in ["4/4", "-1/4", "1/0", "1", "a/b", "1/2/3"] { XCTAssertNil(Shard(bad), bad) }
        XCTAssertEqual(Shard.stableHash(""), 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(Shard.stableHash("a"), 0xaf63_dc4c_8601_ec8c)

        let paths = (0..<200).map { "arkiv/\($0 % 7)/rapport-\($0).pdf" }
        let shards = (0..<3).map { Shard("\($0)/3")! }
        for path in paths {
            XCTAssertEqual(shards.filter { $0.contains(relativePath: path) }.count, 1, path)
        }
        for shard in shards {
            XCTAssertGreaterThan(paths.filter { shard.contains(relativePath: $0) }.count, 40)
        }
    }

    func testReplyChecksumPrefix() {
        func parse(_ text: String) -> (hex: String?, byteCount: Int, rest: Int)? {
            Array(text.utf8).withUnsafeBytes { IngestWorker.checksumPrefix($0) }
        }
        let hex = String(repeating: "0123456789abcdef", count: 4)
        let read = parse(hex + " 1234 {\"x\":1}")
        XCTAssertEqual(read?.hex, hex)
        XCTAssertEqual(read?.byteCount, 1234)
        XCTAssertEqual(read?.rest, 70)
        let unreadable = parse("- 0 {\"error\":{}}")
        XCTAssertNil(unreadable?.hex ?? nil)
        XCTAssertEqual(unreadable?.rest, 4)
        // A bare report, a short or non-hex digest, a count with letters: no prefix.
        XCTAssertNil(parse("{\"x\":1}"))
        XCTAssertNil(parse("abc 12 {}"))
        XCTAssertNil(parse(String(repeating: "g", count: 64) + " 12 {}"))
        XCTAssertNil(parse(hex + " 1x2 {}"))
        XCTAssertNil(parse(hex + " 12"))
    }

    func testSkipRuleNeedsSameHashAndVersion() {
        let plan = IngestPlan(
            stored: [
                "ok.pdf": StoredDocumentState(sha256: "aa", pipelineVersion: "v1", isOK: true),
                "bad.pdf": StoredDocumentState(sha256: "bb", pipelineVersion: "v1", isOK: false),
                "old.pdf": StoredDocumentState(sha256: "cc", pipelineVersion: "v0", isOK: true),
            ], pipelineVersion: "v1", retryFailed: false)
        XCTAssertTrue(plan.shouldSkip(path: "ok.pdf", sha256: "aa"))
        XCTAssertFalse(plan.shouldSkip(path: "ok.pdf", sha256: "a0"))
        XCTAssertTrue(plan.shouldSkip(path: "bad.pdf", sha256: "bb"))
        XCTAssertFalse(plan.shouldSkip(path: "old.pdf", sha256: "cc"))
        XCTAssertFalse(plan.shouldSkip(path: "new.pdf", sha256: "dd"))
        var retrying = plan
        retrying.retryFailed = true
        XCTAssertFalse(retrying.shouldSkip(path: "bad.pdf", sha256: "bb"))
        XCTAssertTrue(retrying.shouldSkip(path: "ok.pdf", sha256: "aa"))
    }

    /// Writes a stand-in worker: it crashes (SIGSEGV) on paths containing "crash", is
    /// stopped from outside (SIGTERM) on "term", hangs on "hang" and answers the rest with
    /// a failure object.
    private func makeFakeWorker(in folder: URL) throws -> URL {
        let script = folder.appendingPathComponent("fake-worker.sh")
        try """
        #!/bin/sh
        while IFS= read -r path; do
          case "$path" in
            *crash*) kill -SEGV $$ ;;
            *term*) kill -TERM $$ ;;
            *hang*) exec sleep 600 ;;
            *) printf '{"error":{"code":"scripted","message":"fake worker"}}\\n' ;;
          esac
        done
        """.write(to: script, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(script.path, 0o755), 0)
        return script
    }

    func testWorkerStoppedFromOutsideRecordsNothingForItsDocuments() throws {
        let folder = try IngestFixtures.temporaryFolder(self)
        let script = try makeFakeWorker(in: folder)
        let inputs = folder.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        for name in ["a.txt", "b-term.txt", "c.txt", "d.txt"] {
            try Data(name.utf8).write(to: inputs.appendingPathComponent(name))
        }
        let db = folder.appendingPathComponent("c.sqlite")
        var options = IngestOptions(
            roots: [inputs.path], databasePath: db.path, workerExecutable: script.path)
        options.jobs = 1
        let ingester = Ingester(
            options: options, progress: IngestProgress(terminal: false, quiet: true))
        XCTAssertThrowsError(try ingester.run()) { XCTAssertTrue($0 is IngestInterrupted) }
        let stored = try CorpusStore(path: db.path, readOnly: true).documentStatuses()
        XCTAssertEqual(stored.map { URL(fileURLWithPath: $0.path).lastPathComponent }, ["a.txt"])
    }

    func testMissingWorkerExecutableStopsTheRunWithoutRecordingDocuments() throws {
        let folder = try IngestFixtures.temporaryFolder(self)
        let input = folder.appendingPathComponent("a.txt")
        try Data("text".utf8).write(to: input)
        let db = folder.appendingPathComponent("c.sqlite")
        let options = IngestOptions(
            roots: [input.path], databasePath: db.path,
            workerExecutable: folder.appendingPathComponent("no-such-granska").path)
        let ingester = Ingester(
            options: options, progress: IngestProgress(terminal: false, quiet: true))
        XCTAssertThrowsError(try ingester.run())
        XCTAssertEqual(try CorpusStore(path: db.path, readOnly: true).documentStatuses().count, 0)
        XCTAssertEqual(
            try CorpusStore(path: db.path, readOnly: true).runs().map(\.status), ["failed"])
    }

    /// A stand-in worker that crashes on paths containing "crash", hangs on "hang" and
    /// answers the rest with a failure object, to exercise the supervisor.
    func testCrashedAndHungWorkersAreReplacedAndTheBatchGoesOn() throws {
        let folder = try IngestFixtures.temporaryFolder(self)
        let script = try makeFakeWorker(in: folder)
        let inputs = folder.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        for name in ["a.txt", "b-crash.txt", "c.txt", "d-hang.txt", "e.txt"] {
            try Data(name.utf8).write(to: inputs.appendingPathComponent(name))
        }

        let db = folder.appendingPathComponent("c.sqlite")
        var options = IngestOptions(
            roots: [inputs.path], databasePath: db.path, workerExecutable: script.path)
        options.jobs = 1
        options.timeoutSeconds = 1
        let summary = try Ingester(
            options: options, progress: IngestProgress(terminal: false, quiet: true)
        ).run()
        XCTAssertEqual(summary.failed, 5)

        let codes = try CorpusStore(path: db.path, readOnly: true).documentStatuses()
            .map { URL(fileURLWithPath: $0.path).lastPathComponent + ":" + ($0.code ?? "") }
        XCTAssertEqual(
            codes,
            [
                "a.txt:scripted", "b-crash.txt:crashed", "c.txt:scripted", "d-hang.txt:timed-out",
                "e.txt:scripted",
            ])
    }
}

final class CorpusStoreTests: XCTestCase {
    /// A report with something in every list, written and read back table by table.
    func testEveryPartOfAReportLandsInItsTable() throws {
        let folder = try IngestFixtures.temporaryFolder(self)
        let store = try CorpusStore(path: folder.appendingPathComponent("c.sqlite").path)
        var document = Document(
            source: SourceInfo(path: "arkiv/rapport.txt", kind: .text, byteCount: 120),
            pages: [
                Page(number: 1, width: 595, height: 842), Page(number: 2, width: 595, height: 842),
            ],
            blocks: [
                Block(kind: .heading, text: "Revisionell bedömning", page: 1, level: 1),
                Block(kind: .paragraph, text: "Nämnden bör stärka uppföljningen.", page: 2),
            ])
        document.assemble()
        let span = TextSpan(start: 0, end: 5)
        let where1 = Provenance(page: 1, span: span, sentence: "Revisionell", confidence: 0.9)
        document.analysis = Analysis(
            metadata: ReportMetadata(
                municipality: "Alingsås kommun", firm: "KPMG", date: "2024-03-01",
                title: "Granskning", provenance: ["firm": where1]),
            sections: [Section(number: "1", title: "Revisionell bedömning", level: 1)],
            overallAssessment: OverallAssessment(verdict: .partly, text: "Delvis."),
            assessments: [Assessment(question: "Finns rutiner?", verdict: .yes, body: nil)],
            recommendations: [
                Recommendation(
                    recipients: ["socialnämnden", "kommunstyrelsen"], text: "Stärk uppföljningen.")
            ],
            goals: [Goal(text: "Fler i arbete", target: "75 %", year: 2025)])
        document.repairEdits = [
            RepairEdit(
                original: "bedomning", replacement: "bedömning", span: span, page: 1,
                confidence: 0.8, evidence: ["lexicon"])
        ]
        document.diagnostics = [
            Diagnostic(severity: .warning, stage: "layout", code: "x", message: "y", page: 2)
        ]
        let report = AnalysisReport(document: document)
        let json = String(decoding: try report.jsonData(pretty: false), as: UTF8.self)
        try store.write(
            DocumentRecord(
                input: IngestInput(
                    path: "arkiv/rapport.txt", relativePath: "rapport.txt", id: "rapport"),
                sha256: "00", byteCount: 120, pipelineVersion: "test", processSeconds: 0,
                ingestedAt: "", outcome: .ok(report: report, json: json)))

        XCTAssertEqual(
            try store.rowCounts(documentPath: "arkiv/rapport.txt"),
            [
                "document_reports": 1, "pages": 2, "metadata_provenance": 1, "sections": 1,
                "assessments": 1, "recommendations": 1, "goals": 1, "repair_edits": 1,
                "diagnostics": 1,
            ])
        let dump = try store.canonicalDump()
        for expected in [
            "recipient=\"kommunstyrelsen\"", "municipality=\"Alingsås kommun\"",
            "overall_verdict=\"partly\"", "target=\"75 %\"", "evidence=\"lexicon\"",
            "section_titles=\"Revisionell bedömning\"", "page_count=2",
        ] {
            XCTAssertTrue(dump.contains(expected), expected)
        }
        XCTAssertEqual(try store.search("uppföljningen"), ["arkiv/rapport.txt"])
        XCTAssertEqual(try store.search("bedomning"), ["arkiv/rapport.txt"])
        try store.exportJSONL(to: folder.appendingPathComponent("c.jsonl").path)
        XCTAssertEqual(
            try String(contentsOf: folder.appendingPathComponent("c.jsonl"), encoding: .utf8),
            json + "\n")
    }

    func testMergeRefusesFilesThatAreNotCorpusDatabases() throws {
        let folder = try IngestFixtures.temporaryFolder(self)
        let store = try CorpusStore(path: folder.appendingPathComponent("out.sqlite").path)
        let empty = folder.appendingPathComponent("empty.sqlite")
        try Data().write(to: empty)
        let garbage = folder.appendingPathComponent("garbage.sqlite")
        try Data(repeating: 0x41, count: 4096).write(to: garbage)
        for input in [empty, garbage, folder.appendingPathComponent("missing.sqlite")] {
            XCTAssertThrowsError(try store.merge(from: input.path), input.lastPathComponent) {
                XCTAssertTrue($0 is CorpusStoreError, "\($0)")
            }
        }
        XCTAssertThrowsError(try store.merge(from: empty.path)) {
            XCTAssertTrue("\($0)".contains("not a granska corpus"), "\($0)")
        }
        XCTAssertEqual(try store.documentCounts(), [:])
    }
}
