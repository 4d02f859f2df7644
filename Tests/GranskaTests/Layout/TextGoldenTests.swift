import Foundation
import XCTest

@testable import Granska

/// Golden files for whole `granska text --no-repair` outputs, in the manner of swift-format's
/// tests: any change of the cleaned text shows up as a diff. Re-record after an intended
/// change with `GRANSKA_RECORD_GOLDEN=1 swift test --filter TextGoldenTests`.
final class TextGoldenTests: XCTestCase {
    static let goldenDirectory = FixturePaths.root.appendingPathComponent(
        "Tests/GranskaTests/Layout/Golden")

    func testBornDigitalPDF() throws {
        try assertGolden(input: "vanersborg-2022.pdf", golden: "vanersborg-2022.text.txt")
    }

    func testScannedPDF() throws {
        try assertGolden(input: "lindesberg-2022.scan.pdf", golden: "lindesberg-2022.scan.text.txt")
    }

    func testOCRTextDump() throws {
        try assertGolden(input: "alingsas-2024.txt", golden: "alingsas-2024.text.txt")
    }

    private func assertGolden(
        input: String, golden: String, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let output = try Pipeline(options: .layoutOnly).extract(path: FixturePaths.corpus(input))
            .text
        let url = Self.goldenDirectory.appendingPathComponent(golden)
        if ProcessInfo.processInfo.environment["GRANSKA_RECORD_GOLDEN"] == "1" {
            try output.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail(
                "missing golden file \(golden); record it with GRANSKA_RECORD_GOLDEN=1", file: file,
                line: line)
            return
        }
        if output != expected {
            XCTFail(
                "\(input) differs from \(golden):\n\(UnifiedDiff.render(from: expected, to: output, maxLines: 40))\n"
                    + "Re-record with GRANSKA_RECORD_GOLDEN=1 if the change is intended.",
                file: file, line: line)
        }
    }
}
