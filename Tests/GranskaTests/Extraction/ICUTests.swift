import XCTest

@testable import Granska

final class ICUTests: XCTestCase {
    func testNormalisation() {
        XCTAssertEqual(ICU.normalize("a\u{030A}"), "å")
        XCTAssertEqual(ICU.normalize("å", .nfd).unicodeScalars.count, 2)
        XCTAssertFalse(ICU.version.isEmpty)
    }

    func testCaseMappingAndFolding() {
        XCTAssertEqual(ICU.uppercased("bedömning"), "BEDÖMNING")
        XCTAssertEqual(ICU.lowercased("ÅTGÄRDER"), "åtgärder")
        XCTAssertEqual(ICU.caseFolded("Straße"), "strasse")
    }

    func testStrippingMarks() {
        XCTAssertEqual(
            ICU.strippingMarks("Bedömning för Vänersborgs Åmål é"),
            "Bedomning for Vanersborgs Amal e")
    }

    func testWordSegments() {
        let text = "Vår bedömning: 75 % år 2024."
        let words = ICU.wordSegments(text).filter(\.isWord).map { segment -> String in
            let utf8 = Array(text.utf8)
            return String(decoding: utf8[segment.utf8Range], as: UTF8.self)
        }
        XCTAssertEqual(words, ["Vår", "bedömning", "75", "år", "2024"])
        XCTAssertTrue(ICU.wordSegments("2024").first?.isNumber ?? false)
    }
}
