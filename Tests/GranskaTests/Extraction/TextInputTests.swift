import Foundation
import XCTest

@testable import Granska

final class TextInputTests: XCTestCase {
    private func read(_ text: String) throws -> Document {
        let input = try TextInputReader().read(data: Data(text.utf8), path: "sample.txt")
        return PlainTextLayout().layout(input)
    }

    func testNormalisesUnicode() throws {
        // Decomposed ö, a ligature, a soft hyphen, a no-break space and CRLF line ends.
        let document = try read(
            "Bedo\u{0308}mning av \u{FB01}nansiering och upp\u{00AD}följning\u{00A0}2022\r\nnästa rad\r\n"
        )
        XCTAssertEqual(document.text, "Bedömning av finansiering och uppföljning 2022 nästa rad\n")
    }

    /// `pdftotext` without `-layout`: heading numbers and bullets as blocks of their own,
    /// paragraphs that follow each other without a blank line, a heading glued to its text.
    func testPdftotextBlocksAreRejoinedAndSplit() throws {
        let full = "Kommunstyrelsens ansvar och uppdrag har förändrats som en följd av ett par"
        let text = """
            3.2.1

            Kommunstyrelsen

            \(full)
            centrala beslut.
            Syftet med granskningen har varit att bedöma om kommunstyrelsen säkerställt att
            kommunens integrationsarbete bedrivs på ett ändamålsenligt sätt med avseende på
            styrning och uppföljning.
            Vidare bedömer vi att styrelsen bör utveckla sin uppföljning av att insatserna
            för nyanlända bedrivs på ett ändamålsenligt sätt, och att den gör det snart nog.

            ❖

            Integration är en del av social hållbarhet

            Socialnämnden
            I socialnämndens detaljbudget 2022 framkommer det att fokus för året ska vara på ett
            nära samarbete mellan försörjningsstöd och arbetsmarknadsenheten inom förvaltningen.

            """
        let blocks = try read(text).blocks
        XCTAssertEqual(blocks.first?.kind, .heading)
        XCTAssertEqual(blocks.first?.text, "3.2.1 Kommunstyrelsen")
        XCTAssertEqual(blocks.first?.number, "3.2.1")
        let paragraphs = blocks.filter { $0.kind == .paragraph }.map(\.text)
        XCTAssertTrue(
            paragraphs.contains {
                $0.hasPrefix("Kommunstyrelsens ansvar") && $0.hasSuffix("centrala beslut.")
            })
        XCTAssertTrue(
            paragraphs.contains { $0.hasPrefix("Syftet med") && $0.hasSuffix("uppföljning.") })
        XCTAssertTrue(
            blocks.contains {
                $0.kind == .listItem
                    && $0.text.hasSuffix("Integration är en del av social hållbarhet")
            })
        XCTAssertTrue(blocks.contains { $0.kind == .heading && $0.text == "Socialnämnden" })
        XCTAssertTrue(paragraphs.contains { $0.hasPrefix("I socialnämndens detaljbudget") })
    }

    /// A `pdftotext` title page: short lines, each an item of its own, the title wrapped.
    func testTitlePageLinesAreTheirOwnBlocks() throws {
        let body = String(
            repeating:
                "Granskningen har genomförts genom intervjuer och dokumentstudier under våren.\n",
            count: 10)
        let text =
            "Granskning av kommunens arbete\nmed integration och\narbetsmarknadsinsatser\n"
            + "Rapport\nVänersborgs kommun\nKPMG AB\nDatum: 2022-09-15\n\u{0C}1 Sammanfattning\n\n"
            + body
        let blocks = try read(text).blocks.map(\.text)
        XCTAssertEqual(
            Array(blocks.prefix(5)),
            [
                "Granskning av kommunens arbete med integration och arbetsmarknadsinsatser",
                "Rapport", "Vänersborgs kommun", "KPMG AB", "Datum: 2022-09-15",
            ])
    }

    /// An OCR'd page foot leaves a lone number before junk ("3.3", "KPMG'"): not a heading.
    func testLoneNumberBeforeJunkStaysAlone() throws {
        let blocks = try read("Texten slutar här.\n\n3.3\n\nKPMG'\n").blocks
        XCTAssertFalse(blocks.contains { $0.text.contains("3.3 KPMG") })
    }

    func testParagraphsListsHeadingsAndHyphens() throws {
        let text = """
            2.1 Syfte och revisionsfrågor

            Granskningen avser arbetsmarknads-
            och integrationsfrågor samt uppfölj-
            ningen av dessa.

            — Säkerställa att samverkan är fungerande.
            • Tillse att rutiner finns och
            efterlevs.

            12

            Bedömning
            """
        let document = try read(text)
        XCTAssertEqual(
            document.blocks.map(\.kind), [.heading, .paragraph, .listItem, .listItem, .heading])
        XCTAssertEqual(document.blocks[0].number, "2.1")
        XCTAssertEqual(
            document.blocks[1].text,
            "Granskningen avser arbetsmarknads- och integrationsfrågor samt uppföljningen av dessa."
        )
        XCTAssertEqual(document.blocks[3].text, "• Tillse att rutiner finns och efterlevs.")
        XCTAssertEqual(document.pages[0].furniture.map(\.text), ["12"])
    }

    func testFormFeedsSeparatePagesAndRepeatedHeadersAreFurniture() throws {
        let pages = (1...4).map { n in
            let topic = ["mål", "uppföljning", "samverkan", "resultat"][n - 1]
            return
                "Alingsås kommun\nGranskning av integration\n\nDet här stycket handlar om \(topic).\n\n"
                + "Ett stycke till om \(topic) och nämnden.\n\nDet tredje om \(topic).\n\n\(n)"
        }
        let document = try read(pages.joined(separator: "\u{0C}"))
        XCTAssertEqual(document.pages.count, 4)
        XCTAssertFalse(document.text.contains("Alingsås kommun"))
        XCTAssertTrue(document.pages.allSatisfy { $0.furniture.contains { $0.isPageNumber } })
        XCTAssertEqual(document.blocks.map(\.page), [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4])
    }

    func testInvalidUTF8IsRefusedWithTheOffset() {
        var bytes = Data("Bedömning ".utf8)
        bytes.append(contentsOf: [0xC3, 0x28])
        XCTAssertThrowsError(try TextInputReader().read(data: bytes, path: "bad.txt")) { error in
            XCTAssertEqual(error as? GranskaError, .invalidUTF8(path: "bad.txt", byteOffset: 11))
        }
        XCTAssertThrowsError(try TextInputReader().read(data: Data(), path: "empty.txt")) { error in
            XCTAssertEqual((error as? GranskaError)?.code, "empty")
        }
    }

    func testRealOCRDumpLaysOut() throws {
        let document = try Pipeline(options: .layoutOnly).extract(
            path: FixturePaths.corpus("alingsas-2024.txt"))
        XCTAssertEqual(document.source.kind, .text)
        XCTAssertTrue(
            document.blocks.contains { $0.kind == .heading && $0.text == "Sammanfattning" })
        XCTAssertTrue(
            document.blocks.contains {
                $0.kind == .listItem && $0.text.hasPrefix("• Sakerstalla att samverkan")
            })
        XCTAssertTrue(document.text.contains("integrations- och arbetsmarknadsfragor"))
    }

    func testTheRepairLexiconDecidesHyphensAtLineEnds() throws {
        let dir = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("hyphens.txt").path
        try Data("Skicka ett e-\npost om uppfölj-\nningen av kort-\noch långsiktiga mål.\n".utf8)
            .write(to: URL(fileURLWithPath: path))
        let text = try Pipeline(options: .layoutOnly).extract(path: path).text
        XCTAssertEqual(text, "Skicka ett e-post om uppföljningen av kort- och långsiktiga mål.\n")
    }
}
