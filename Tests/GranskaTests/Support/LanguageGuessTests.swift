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

    /// The scalar walk counts the same function words as the definition's Character walk.
    func testQuickCountsAgreeWithTheDefinition() throws {
        var texts = try ["lindesberg-2022.gold.txt", "alingsas-2024.txt"].map {
            try String(contentsOfFile: FixturePaths.corpus($0), encoding: .utf8)
        }
        texts.append(String(repeating: "och the\r\n", count: 30_000))
        let pieces = [
            "och", "att", "The", "OF", "på", "PÅ", "ÄR", "är", "é", "ß", "ü", "\r\n", "\r",
            "\n", " ", "–", "•", "▪", "✓", "1", "-", "Ⱥ", "ocksÅ", "fr", "ån", "⁴", "™", "Å", "K",
        ]
        var generator = SplitMix64(seed: 7)
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<Int(generator.next() % 60) {
                text += pieces[Int(generator.next() % UInt64(pieces.count))]
            }
            texts.append(text)
        }
        var quick = 0
        for text in texts {
            guard let counts = LanguageGuess.quickFunctionWordCounts(text) else { continue }
            quick += 1
            let expected = LanguageGuess.functionWordCounts(text)
            XCTAssertTrue(
                counts == expected, "\(counts) vs \(expected) for \(text.debugDescription)")
        }
        XCTAssertEqual(quick, texts.count)
        // Scalars that lower-case to two, or join the Character before them, take the
        // definition.
        for text in ["İ och", "e\u{301} och", "ﬁ och", "och \u{200D}"] {
            XCTAssertNil(LanguageGuess.quickFunctionWordCounts(text))
        }
    }
}
