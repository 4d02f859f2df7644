import Foundation
import XCTest

@testable import Granska

/// The `granska analyze` JSON of one corpus document, compared with a recorded copy.
///
/// Any change in any stage's output shows here as a diff. When the change is intended,
/// re-record and review the golden file's `git diff` before committing it:
///
///     GRANSKA_RECORD_GOLDEN=1 swift test --filter GoldenAnalysisTests
///
/// A recording run that changes the file fails once (like snapshot testing), so record
/// mode left on by mistake cannot hide a change.
final class GoldenAnalysisTests: XCTestCase {
    func testVanersborgAnalysisMatchesGolden() throws {
        try assertAnalysisMatchesGolden(
            input: "vanersborg-2022.pdf", golden: "vanersborg-2022.analysis.json")
    }

    private func assertAnalysisMatchesGolden(
        input: String, golden: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let inputURL = CorpusFixtures.corpusFile(input)
        let document = try Pipeline().process(path: inputURL.path)
        var report = AnalysisReport(document: document)
        // The checkout's location is not part of the output.
        report.source.path = "corpus/" + input
        let actual = String(decoding: try report.jsonData(pretty: true), as: UTF8.self) + "\n"

        let goldenURL = CorpusFixtures.goldenDirectory.appendingPathComponent(golden)
        let expected = try? String(contentsOf: goldenURL, encoding: .utf8)
        if ProcessInfo.processInfo.environment["GRANSKA_RECORD_GOLDEN"] == "1" {
            guard actual != expected else { return }
            try Data(actual.utf8).write(to: goldenURL, options: .atomic)
            XCTFail(
                "Recorded \(goldenURL.path); review its git diff, then run again without "
                    + "GRANSKA_RECORD_GOLDEN.", file: file, line: line)
            return
        }
        guard let expected else {
            XCTFail(
                "No golden file \(goldenURL.path). Record it with GRANSKA_RECORD_GOLDEN=1 "
                    + "swift test --filter GoldenAnalysisTests", file: file, line: line)
            return
        }
        if actual != expected {
            XCTFail(
                "granska analyze \(input) differs from Golden/\(golden) (- golden, + now). "
                    + "If intended, re-record with GRANSKA_RECORD_GOLDEN=1 swift test "
                    + "--filter GoldenAnalysisTests\n"
                    + UnifiedDiff.render(from: expected, to: actual, maxLines: 80),
                file: file, line: line)
        }
    }
}

final class UnifiedDiffTests: XCTestCase {
    func testShowsChangedLinesWithContext() {
        let old = (1...10).map { "line \($0)" }.joined(separator: "\n")
        let new = old.replacingOccurrences(of: "line 5", with: "line five")
        let diff = UnifiedDiff.render(from: old, to: new, context: 1, maxLines: 20)
        XCTAssertEqual(
            diff.split(separator: "\n"),
            ["@@ golden line 4, now line 4 @@", " line 4", "-line 5", "+line five", " line 6"])
        XCTAssertEqual(UnifiedDiff.render(from: old, to: old, maxLines: 20), "")
        let added = UnifiedDiff.render(from: "a\nb", to: "new\na\nb", context: 0, maxLines: 20)
        XCTAssertEqual(added.split(separator: "\n"), ["@@ golden line 1, now line 1 @@", "+new"])
    }
}
