import Foundation
import XCTest

@testable import Granska

final class PDFLayoutTests: XCTestCase {
    static let lindesberg = Result {
        try Pipeline(options: .layoutOnly).extract(path: FixturePaths.corpus("lindesberg-2022.pdf"))
    }
    static let vanersborg = Result {
        try Pipeline(options: .layoutOnly).extract(path: FixturePaths.corpus("vanersborg-2022.pdf"))
    }

    func testBornDigitalTextMatchesGold() throws {
        for (name, document) in [
            ("lindesberg-2022", Self.lindesberg), ("vanersborg-2022", Self.vanersborg),
        ] {
            let gold = try String(
                contentsOfFile: FixturePaths.corpus("\(name).gold.txt"), encoding: .utf8)
            let accuracy = wordAccuracy(gold: gold, output: try document.get().text)
            XCTAssertGreaterThan(accuracy, 0.99, name)
        }
    }

    /// A fixture made by `scripts/eval/retemplate.py` from a corpus sample's gold text, laid
    /// out, with its word accuracy against that gold asserted.
    private func retemplated(
        _ fixture: String, readsLike sample: String, atLeast accuracy: Double,
        line: UInt = #line
    ) throws -> Document {
        let document = try Pipeline(options: .layoutOnly).extract(
            path: FixturePaths.fixture(fixture))
        let gold = try String(
            contentsOfFile: FixturePaths.corpus("\(sample).gold.txt"), encoding: .utf8)
        XCTAssertGreaterThan(
            wordAccuracy(gold: gold, output: document.text), accuracy, fixture, line: line)
        return document
    }

    /// The Vänersborg gold text set in another template by `scripts/eval/retemplate.py
    /// --style classic`: justified serif text (sparse lines stretch their spaces past the
    /// gap between table cells), justified table cells, "Sida N av M" footers and
    /// superscripts at 80 % of the text size.
    func testJustifiedTemplateReadsLikeTheGold() throws {
        let document = try retemplated(
            "vanersborg-2022.justified.pdf", readsLike: "vanersborg-2022", atLeast: 0.99)
        // A stretched line is prose, not a table row; the marker is raised.
        XCTAssertTrue(
            document.text.contains(
                "❖ Se över strukturen för uppföljning av integrations- och arbetsmarknadsuppdraget."
            ))
        XCTAssertTrue(document.text.contains("lagstiftning¹"))
        XCTAssertFalse(document.text.contains("Sida 3 av"))
    }

    /// The Lindesberg gold text justified and hyphenated with Swedish patterns
    /// (`retemplate.py --style hyphenated`): line-end hyphens go, in headings too, and
    /// coordination hyphens stay.
    func testHyphenatedTemplateJoinsWordsBrokenAtLineEnds() throws {
        let document = try retemplated(
            "lindesberg-2022.hyphenated.pdf", readsLike: "lindesberg-2022", atLeast: 0.995)
        let headings = document.blocks.filter { $0.kind == .heading }.map(\.text)
        XCTAssertTrue(headings.contains("Deltagande i arbetsmarknadsenhetens verksamhet"))
        XCTAssertFalse(document.text.contains("verk- samhet"))
    }

    /// The Vänersborg gold text in a dense office style (`retemplate.py --style dense`):
    /// paragraphs marked only by a first-line indent, subheadings bold at the text size,
    /// the page number as header and the title as footer.
    func testIndentedParagraphsAreTheirOwnBlocks() throws {
        let document = try retemplated(
            "vanersborg-2022.indented.pdf", readsLike: "vanersborg-2022", atLeast: 0.995)
        let paragraphs = document.blocks.filter { $0.kind == .paragraph }.map(\.text)
        XCTAssertTrue(
            paragraphs.contains("Inriktningsmål 2019–2024 som är relevanta för granskningen"))
        XCTAssertTrue(
            paragraphs.contains {
                $0.hasPrefix("Verksamhetsplanen består av") && $0.hasSuffix("fördelas.")
            })
        XCTAssertTrue(
            document.blocks.contains {
                $0.kind == .heading && $0.text == "3.2.7 Kommentarer och bedömningar"
            })
    }

    func testOCRReadingsOfDingbatBulletsOpenListItems() {
        XCTAssertEqual(
            Bullet.split("eM% Snabbare väg till arbete")?.rest, "Snabbare väg till arbete")
        XCTAssertEqual(Bullet.split("~ Alla har tillgång till ett skäligt boende")?.bullet, "•")
        XCTAssertEqual(Bullet.split("eM& Fler individanpassade arbetstillfällen")?.bullet, "•")
        // Words and lower-case continuations are not bullets.
        XCTAssertNil(Bullet.split("och Stöd & Försörjning"))
        XCTAssertNil(Bullet.split("~ och mer"))
        XCTAssertNil(Bullet.split("MMM Sverige"))
    }

    func testStretchedGapsAreJustificationNotCellBoundaries() {
        func words(_ spec: [(String, Double, Double)]) -> [LayoutWord] {
            spec.map {
                LayoutWord(
                    text: $0.0, box: BoundingBox(x0: $0.1, y0: 100, x1: $0.2, y1: 110), size: 10,
                    isBold: false)
            }
        }
        func segments(_ line: [LayoutWord]) -> [String] {
            LayoutPage.buildLines(line, isOCR: false).flatMap { line in
                line.segments.indices.map { line.segmentText($0) }
            }
        }
        // Justified prose: every space stretched to 20 pt (twice the text size).
        XCTAssertEqual(
            segments(
                words([
                    ("Se", 0, 10), ("över", 30, 50), ("strukturen", 70, 120), ("för", 140, 155),
                    ("uppföljning", 175, 230),
                ])), ["Se över strukturen för uppföljning"])
        // A table row whose second cell is justified: the cell boundary stays.
        XCTAssertEqual(
            segments(
                words([
                    ("eller", 0, 20), ("studera", 23, 55), ("ska", 58, 70), ("öka", 73, 88),
                    ("Partnerskap", 200, 250), ("(IOP)", 265, 290), ("och", 305, 320),
                    ("identifiera", 335, 380),
                ])), ["eller studera ska öka", "Partnerskap (IOP) och identifiera"])
        // A narrow justified cell stretches three words far apart.
        XCTAssertEqual(
            segments(
                words([("uppföljningsrutin", 300, 375), ("för", 431.4, 443.7), ("hur", 500.1, 515)])
            ), ["uppföljningsrutin för hur"])
        // Short answers in equal columns: their widths differ, so their gaps do.
        XCTAssertEqual(
            segments(words([("Ja", 0, 10), ("Nej", 60, 75), ("Ja", 120, 130), ("Nej", 180, 195)])),
            ["Ja", "Nej", "Ja", "Nej"])
        // An OCR layer of justified text: the ink-box gaps of equal spaces differ by a few
        // points, more after a narrow letter; the cell boundary is still far wider.
        XCTAssertEqual(
            LayoutPage.buildLines(
                words([
                    ("I", 0, 3), ("kommunen", 25, 70), ("bedrivs", 86, 120), ("ett", 137, 150),
                    ("arbete", 166, 196), ("med", 214, 232),
                ]), isOCR: true
            ).map(\.text), ["I kommunen bedrivs ett arbete med"])
        XCTAssertEqual(
            LayoutPage.buildLines(
                words([
                    ("Fråga", 0, 25), ("om", 32, 42), ("styrning", 49, 90), ("och", 97, 112),
                    ("Delvis", 300, 330),
                ]), isOCR: true
            ).first?.segments.count, 2)
        // Evenly spaced figures are columns.
        XCTAssertEqual(
            segments(
                words([("2019", 0, 20), ("2020", 50, 70), ("2021", 100, 120), ("2022", 150, 170)]
                )), ["2019", "2020", "2021", "2022"])
    }

    func testRunningHeadersFootersAndPageNumbersAreFurniture() throws {
        let document = try Self.lindesberg.get()
        let lines = document.text.split(separator: "\n").map(String.init)
        XCTAssertFalse(lines.contains("PwC"))
        XCTAssertFalse(lines.contains { $0.hasPrefix("Lindesbergs kommun Maj 2022") })
        XCTAssertFalse(lines.contains { $0.allSatisfy(\.isNumber) })
        let page5 = try XCTUnwrap(document.pages.first { $0.number == 5 })
        XCTAssertTrue(
            page5.furniture.contains { $0.position == .header && $0.text == "Lindesbergs kommun" })
        XCTAssertTrue(
            page5.furniture.contains { $0.position == .footer && $0.isPageNumber && $0.text == "4" }
        )
        // The title page keeps its own lines.
        XCTAssertTrue(
            lines.contains("Lindesbergs kommun") || lines.contains("## Lindesbergs kommun"))
    }

    func testNumberedHeadingsKeepTheirNumberAndLevel() throws {
        let document = try Self.vanersborg.get()
        let heading = try XCTUnwrap(
            document.blocks.first { $0.kind == .heading && $0.number == "3.1.2" })
        XCTAssertEqual(heading.text, "3.1.2 Strategisk inriktning – Integrationssamverkan")
        XCTAssertEqual(heading.level, 3)
        XCTAssertTrue(
            document.text.contains("\n### 3.1.2 Strategisk inriktning – Integrationssamverkan\n"))
        XCTAssertEqual(document.substring(heading.span), heading.text)
        XCTAssertEqual(heading.page, 6)
        let bakgrund = try XCTUnwrap(Self.lindesberg.get().blocks.first { $0.number == "1.1" })
        XCTAssertEqual(bakgrund.text, "1.1. Bakgrund")
        XCTAssertEqual(bakgrund.level, 2)
    }

    func testTableRowsKeepCellsApart() throws {
        let document = try Self.lindesberg.get()
        let rows = document.blocks.filter { $0.kind == .tableRow }
        XCTAssertTrue(rows.contains { $0.text == "Revisionsfrågor | Bedömning" })
        let first = try XCTUnwrap(
            rows.first {
                $0.text.hasPrefix(
                    "Säkerställer socialnämnden och tillväxtnämnden att det finns rutiner")
            })
        XCTAssertEqual(first.cells?.last, "Delvis")
        XCTAssertEqual(
            first.cells?.first,
            "Säkerställer socialnämnden och tillväxtnämnden att det finns rutiner rörande tillgång till arbetsmarknadsinsatser?"
        )
        // Rows of one table share its id; no glued cells remain.
        XCTAssertFalse(document.text.contains("RevisionsfrågorBedömning"))
        XCTAssertFalse(document.text.contains("individnivå?Delvis"))
    }

    func testFootnotesAreGatheredAtTheEnd() throws {
        let document = try Self.vanersborg.get()
        XCTAssertTrue(document.text.contains("gällande lagstiftning¹ och förväntade resultat"))
        let notes = document.blocks.filter { $0.kind == .footnote }
        XCTAssertEqual(notes.first?.footnoteMarker, "1")
        XCTAssertTrue(notes.first?.text.hasPrefix("¹ Socialtjänstlag, Skollag") ?? false)
        XCTAssertTrue(notes.first?.text.hasSuffix("kopplade till gällande lagstiftning") ?? false)
        let footnoteStart = try XCTUnwrap(document.text.range(of: "\nFotnoter\n"))
        XCTAssertFalse(document.text[footnoteStart.upperBound...].contains("\n#"))
        XCTAssertFalse(document.text[..<footnoteStart.lowerBound].contains("¹ Socialtjänstlag"))
    }

    func testTableOfContentsIsRecognised() throws {
        let document = try Self.lindesberg.get()
        let entries = document.blocks.filter { $0.kind == .tocEntry }.map(\.text)
        XCTAssertTrue(entries.contains("1.1. Bakgrund 4"))
        XCTAssertTrue(entries.contains("Sammanfattning 2"))
        XCTAssertGreaterThan(entries.count, 20)
        XCTAssertFalse(document.text.contains("....."))
        XCTAssertTrue(document.pages.contains { $0.flags.contains(.tableOfContents) })
    }

    func testListItemsAndParagraphsOnePerLine() throws {
        let document = try Self.lindesberg.get()
        let items = document.blocks.filter { $0.kind == .listItem }.map(\.text)
        XCTAssertTrue(
            items.contains(
                "• Att så småningom utvärdera effekterna av FIA som instrument för förändringsarbete."
            ))
        XCTAssertTrue(
            items.contains {
                $0.hasPrefix("• Att se över de två rutindokumenterna")
                    && $0.hasSuffix("revideras regelbundet.")
            })
        // A paragraph continued over a page break is one block.
        XCTAssertTrue(
            document.text.contains(
                "arbetsmarknadspolitisk program via Arbetsförmedlingen. Utöver de individer"))
    }

    func testHyphensAtLineEnds() throws {
        let text = try Self.vanersborg.get().text
        // Coordination hyphens stay, with their space.
        XCTAssertTrue(text.contains("arbetsmarknads- och integrationsinsatser"))
        XCTAssertFalse(text.contains("arbetsmarknadsoch"))
        XCTAssertFalse(text.contains("integrationsoch"))
    }

    func testSpansPointIntoTheText() throws {
        let document = try Self.vanersborg.get()
        for block in document.blocks {
            XCTAssertEqual(document.substring(block.span), block.text)
        }
        let page = try XCTUnwrap(document.pages.first { $0.number == 6 })
        let span = try XCTUnwrap(page.span)
        XCTAssertTrue(document.substring(span).contains("Strategisk inriktning"))
    }

    func testOCRLayerFootnotesAndMisreadFooters() throws {
        let document = try Pipeline(options: .layoutOnly).extract(
            path: FixturePaths.corpus("lindesberg-2022.scan.pdf"))
        // English OCR reads raised markers as "'" or "*", or drops them; bodies are numbered
        // in order and the glued markers in the text get their superscripts back.
        let notes = document.blocks.filter { $0.kind == .footnote }
        XCTAssertEqual(notes.map(\.footnoteMarker), ["1", "2", "3", "4"])
        XCTAssertTrue(notes[1].text.hasPrefix("² Nora, Hallefors samt Ljusnarsbergs kommuner"))
        XCTAssertTrue(document.text.contains("socialtjanstlagen¹."))
        XCTAssertTrue(document.text.contains("kommuner²."))
        // "PwC 11" read as "PwC a1" or "PwC" alone is still the running footer.
        let lines = document.text.split(separator: "\n")
        XCTAssertFalse(
            lines.contains { $0 == "PwC" || $0.hasPrefix("PwC a") || $0.hasSuffix(" PwC a1") })
        XCTAssertTrue(document.pages.allSatisfy { $0.flags.contains(.ocrTextLayer) })
    }
}
