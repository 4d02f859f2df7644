import XCTest

@testable import Granska

final class LineJoinerTests: XCTestCase {
    private func join(_ lines: String...) -> String {
        var text = ""
        for line in lines { LineJoiner().append(line, to: &text) }
        return text
    }

    func testLineBreakHyphenIsJoined() {
        XCTAssertEqual(join("uppfölj-", "ningen av"), "uppföljningen av")
    }

    func testCoordinationHyphenIsKept() {
        XCTAssertEqual(
            join("arbetsmarknads-", "och integrationsfrågor"),
            "arbetsmarknads- och integrationsfrågor")
        XCTAssertEqual(join("kort-", "eller långsiktiga"), "kort- eller långsiktiga")
        XCTAssertEqual(
            join("integrations- och", "arbetsmarknadsfrågor"),
            "integrations- och arbetsmarknadsfrågor")
    }

    func testHyphenatedCompoundsAreKept() {
        XCTAssertEqual(join("SFI-", "utbildning"), "SFI-utbildning")
        XCTAssertEqual(join("2020-", "2022"), "2020-2022")
        XCTAssertEqual(join("steg-för-", "steglista"), "steg-för-steglista")
    }

    func testLexiconDecidesKnownHyphenatedForms() {
        struct Words: WordChecking {
            func isKnownWord(_ word: String) -> Bool { word == "e-post" }
        }
        var text = "e-"
        LineJoiner(words: Words()).append("post", to: &text)
        XCTAssertEqual(text, "e-post")
    }

    func testPlainLinesGetOneSpace() {
        XCTAssertEqual(join("Vår bedömning är", "  att nämnden"), "Vår bedömning är att nämnden")
    }
}
