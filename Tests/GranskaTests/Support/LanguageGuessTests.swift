import Foundation
import XCTest

@testable import Granska

final class LanguageGuessTests: XCTestCase {
    func testSwedishCleanAndOCRStrippedTextIsSwedish() throws {
        let clean = try String(
            contentsOfFile: FixturePaths.corpus("lindesberg-2022.gold.txt"), encoding: .utf8)
        let ocr = try String(
            contentsOfFile: FixturePaths.corpus("alingsas-2024.txt"), encoding: .utf8)
        XCTAssertTrue(LanguageGuess.isSwedish(clean))
        XCTAssertTrue(LanguageGuess.isSwedish(ocr))
    }

    func testEnglishIsNotRepairedIntoSwedish() throws {
        let english = """
            This manual is for the library, which is a set of functions for the handling of
            abstract syntax notation. Permission is granted to copy, distribute and modify this
            document under the terms of the license, with no invariant sections. The functions
            are described in the chapters that follow, and each of them is listed by its name.
            """
        XCTAssertFalse(LanguageGuess.isSwedish(english))
        let dir = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("english.txt").path
        try Data(english.utf8).write(to: URL(fileURLWithPath: path))
        let document = try Pipeline().process(path: path)
        XCTAssertTrue(document.repairEdits.isEmpty)
        XCTAssertTrue(document.text.contains("terms of the license"))
        XCTAssertTrue(document.diagnostics.contains { $0.code == "repair-skipped-not-swedish" })
    }

    func testTooFewFunctionWordsCountsAsSwedish() {
        XCTAssertTrue(LanguageGuess.isSwedish("Revisionsrapport 2024"))
    }
}
