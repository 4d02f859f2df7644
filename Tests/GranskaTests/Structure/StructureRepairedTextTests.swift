import Foundation
import XCTest

@testable import Granska

/// OCR text after repair: misread heading numbers, words repair missed, cells still in
/// OCR's spelling. Hand-made documents, fast.
final class StructureRepairedTextTests: XCTestCase {
    /// As ``StructureAnalyzerTests/document(_:pdfMetadata:)``, with the page marked as an OCR
    /// text layer (no fonts to tell headings).
    static func ocrDocument(_ lines: [String]) -> Document {
        var d = StructureAnalyzerTests.document(lines)
        d.pages[0].flags.append(.ocrTextLayer)
        return d
    }

    static let body =
        "Kommunen har under året arbetat vidare med frågan och beslutat om en ny plan."

    func testMisreadHeadingNumbers() {
        var d = Self.ocrDocument([
            "# 3 Resultat av granskningen",
            "Sel Plattform för kommunens integrationsarbete",
            Self.body,
            "3:12 Strategisk inriktning och samverkan",
            Self.body,
            "3.1.3 Kommentarer och bedömningar",
            Self.body,
            "• Organisation och ansvarsfördelning",
            "3.2.1 Kommunstyrelsen",
            Self.body,
            // A lone bullet without a missing parent stays a list item.
            "• Ett enskilt uppdrag",
            "3.2.2 Socialnämnden",
            Self.body,
            "3.2.l Arbetssätt i förvaltningen",
            Self.body,
            // Acronyms and Swedish words are no misread numbers.
            "SKR Rapport om kommunernas arbete",
            Self.body,
            "Se bilagan för detaljer",
            Self.body,
        ])
        StructureAnalyzer().analyze(&d)
        let sections = d.analysis?.sections ?? []
        let titles = sections.map(\.title)
        XCTAssertTrue(titles.contains("Plattform för kommunens integrationsarbete"), "\(titles)")
        // The lost number follows from the neighbours: first child of "3", before "3:12".
        XCTAssertEqual(
            sections.first { $0.title.hasPrefix("Plattform") }?.number, "3.1", "\(sections)")
        let strategic = sections.first { $0.title == "Strategisk inriktning och samverkan" }
        XCTAssertEqual(strategic?.number, "3.1.2")
        let parent = sections.first { $0.title == "Organisation och ansvarsfördelning" }
        XCTAssertEqual(parent?.number, "3.2")
        XCTAssertEqual(parent?.level, 2)
        XCTAssertFalse(titles.contains { $0.contains("Ett enskilt uppdrag") })
        XCTAssertFalse(titles.contains("bilagan för detaljer"), "\(titles)")
        XCTAssertFalse(titles.contains("Rapport om kommunernas arbete"), "\(titles)")
        XCTAssertTrue(SectionDetector.isDigitShaped("Shdl"))
        XCTAssertFalse(SectionDetector.isDigitShaped("SoL"))
        XCTAssertEqual(sections.first { $0.title == "Socialnämnden" }?.number, "3.2.2")
        XCTAssertEqual(
            sections.first { $0.title == "Arbetssätt i förvaltningen" }?.number, "3.2.1")
    }

    func testStrayNumbersNumberTheNextHeadings() {
        var d = StructureAnalyzerTests.document([
            "# 3.1 Roll- och ansvarsfördelning",
            Self.body,
            "3.21",
            "3.3",
            "Rapport | 2024-09-26",
            "# Bedömning av ansvarsfördelningen",
            Self.body,
            "# Mål",
            Self.body,
            "# Samverkan",
            Self.body,
        ])
        StructureAnalyzer().analyze(&d)
        let numbers = d.analysis?.sections.map { $0.number ?? "-" } ?? []
        XCTAssertEqual(numbers, ["3.1", "3.2.1", "3.3", "-"])
        XCTAssertEqual(d.analysis?.sections.map(\.level)[1], 3)
    }

    func testShortNamesAfterATableAreHeadings() {
        var d = Self.ocrDocument([
            "# 3.3 Mål och resultat",
            Self.body,
            "Mål | Aktivitet",
            "Fler ska arbeta | Arbeta fram en plan (Kommundirektör)",
            "Kommunstyrelsen",
            "I kommunstyrelsens plan framkommer det att arbetet ska stärkas under året.",
            "Insatser i kommunens olika områden. (Kommundirektör)",
            "Socialnämnden",
            "I socialnämndens budget framgår det att samarbetet ska öka under året.",
        ])
        StructureAnalyzer().analyze(&d)
        let titles = d.analysis?.sections.map(\.title) ?? []
        XCTAssertEqual(titles, ["Mål och resultat", "Kommunstyrelsen", "Socialnämnden"])
    }

    func testMunicipalityInItsOwnSpelling() {
        var d = Self.ocrDocument([
            "Granskning av integrationsarbetet",
            "Vanersborgs kommun",
            "# 1 Sammanfattning",
            "Vi har granskat Vanersborgs kommun och dess arbete under året.",
            "Hofors kommun och Boras Stad deltar inte.",
        ])
        StructureAnalyzer().analyze(&d)
        XCTAssertEqual(d.analysis?.metadata.municipality, "Vänersborgs kommun")
        XCTAssertEqual(MunicipalityNames.canonical("Boras"), "Borås")
        XCTAssertEqual(MunicipalityNames.canonical("Hofors"), "Hofors")
        XCTAssertEqual(MunicipalityNames.canonical("Goteborgs"), "Göteborgs")
        XCTAssertNil(MunicipalityNames.canonical("Varje"))
    }

    func testRecipientsInCorrectSwedish() {
        var d = StructureAnalyzerTests.document([
            "Granskningens syfte är att bedöma om socialnämnden har en god styrning.",
            "# Rekommendationer",
            "Vi rekommenderar socialnamnden och fritidsnamnden att:",
            "• Se över rutinerna för uppföljning.",
            "• Byggnadsnamnden bör ta fram en plan.",
        ])
        StructureAnalyzer().analyze(&d)
        let recipients = d.analysis?.recommendations.map(\.recipients) ?? []
        XCTAssertEqual(
            recipients, [["socialnämnden", "fritidsnämnden"], ["byggnadsnämnden"]])
        let names = BodyNames()
        let spellings = names.spellings(in: ["Barn- och utbildningsnämnden beslutar."])
        XCTAssertEqual(
            names.canonical("barn- och utbildningsnamnden", spellings: spellings),
            "barn- och utbildningsnämnden")
        XCTAssertEqual(names.canonical("kommunfullmaktige"), "kommunfullmäktige")
    }

    func testCellsFollowTheRepairedRowText() {
        let cells = ["Genomfora en plan", "Kommundirekt6r"]
        XCTAssertEqual(
            TextUnit.aligned(cells, to: "Genomföra en plan | Kommundirektör"),
            ["Genomföra en plan", "Kommundirektör"])
        XCTAssertEqual(
            TextUnit.aligned(["", "Genomfora en plan"], to: "Genomföra en plan"),
            ["", "Genomföra en plan"])
        // Other words, or another word count: the cells stay.
        XCTAssertEqual(TextUnit.aligned(cells, to: "Helt annan text här | Här"), cells)
        XCTAssertEqual(TextUnit.aligned(cells, to: "Genomföra en ny plan | Kommundirektör"), cells)
    }

    func testQuotedGoalWithADroppedVowel() {
        var d = StructureAnalyzerTests.document([
            "# Mål",
            "Nämnden har haft utvecklingsmlet \"Rusta individer att bli självförsörjande\".",
        ])
        StructureAnalyzer().analyze(&d)
        XCTAssertEqual(
            d.analysis?.goals.map(\.text), ["Rusta individer att bli självförsörjande"])
    }

    func testSeveralBodiesAnsweredInOneLine() {
        var d = StructureAnalyzerTests.document([
            "# Bedömning",
            "Har nämnderna säkerställt en tillräcklig intern kontroll?",
            "Socialnämnden: Delvis. Tillväxtnämnden: Ja, i allt väsentligt.",
            "Har nämnderna en ändamålsenlig uppföljning?",
            "Svar: nej för socialnämnden och ja för tillväxtnämnden.",
            "Finns det en tydlig styrning av arbetet?",
            "För socialnämndens del är svaret ja, för kommunstyrelsens del delvis.",
            // Prose that names two bodies is no per-body answer.
            "Finns det rutiner för samverkan?",
            "Socialnämnden och tillväxtnämnden samverkar i flera forum.",
        ])
        StructureAnalyzer().analyze(&d)
        let a = d.analysis?.assessments ?? []
        let perBody = a.filter { $0.body != nil }
        XCTAssertEqual(
            perBody.map(\.body),
            [
                "socialnämnden", "tillväxtnämnden", "socialnämnden", "tillväxtnämnden",
                "socialnämnden", "kommunstyrelsen",
            ])
        XCTAssertEqual(perBody.map(\.verdict), [.partly, .largely, .no, .yes, .yes, .partly])
        XCTAssertFalse(a.contains { $0.question.contains("samverkan") && $0.body != nil })
    }

    func testGoalYearsFromTheirContext() {
        var d = StructureAnalyzerTests.document([
            "# Mål",
            "I nämndens årsredovisning för år 2021 framgår att nämnden haft utvecklingsmålet"
                + " \"Fler ska bli självförsörjande\". I samband med redovisningen av"
                + " kvalitetsfaktorn \"Egenförsörjning\" anges en ökning. Samma faktor finns i"
                + " planen för år 2022.",
            "Det handlar om Andel hushåll med bistånd efter ett år, där utfallet för år 2021"
                + " var 71 % (72 % år 2020).",
            "I kommunstyrelsens verksamhetsplan för 2022 framkommer målen.",
            "Inriktningsmål 2019–2024 som är relevanta för granskningen",
            "Inriktningsmål | Förväntade resultat",
            "Fler barn och unga fullföljer sina studier"
                + " | Andelen elever som testat droger ska minska",
        ])
        StructureAnalyzer().analyze(&d)
        let years = Dictionary(
            (d.analysis?.goals ?? []).map { ($0.text, $0.year) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(years["Fler ska bli självförsörjande"], .some(2021))
        XCTAssertEqual(years["Egenförsörjning"], .some(2021))
        XCTAssertEqual(years["Andel hushåll med bistånd efter ett år"], .some(2021))
        // The caption's range is the named column's; the other column is the plan's year.
        XCTAssertEqual(years["Fler barn och unga fullföljer sina studier"], .some(nil))
        XCTAssertEqual(years["Andelen elever som testat droger ska minska"], .some(2022))
    }

    func testGoalSentencesTakeTheYearOfThePlanTheirSectionCites() {
        var d = StructureAnalyzerTests.document([
            "# 3.1 Arbetsmarknadsenheten",
            "Enligt socialförvaltningens verksamhetsplan för 2022 har enheten flera uppdrag.",
            "# Etablering",
            "Uppdraget gäller nyanlända. Målet är att ge alla en god etablering i kommunen.",
            "# 3.2 Uppföljning",
            "Målet är att följa upp alla insatser systematiskt och regelbundet.",
        ])
        StructureAnalyzer().analyze(&d)
        let goals = d.analysis?.goals ?? []
        XCTAssertEqual(goals.map(\.year), [2022, nil], "\(goals)")
    }

    func testGoalsEnumeratedInProseGiveWayToTheirFullStatement() {
        var d = StructureAnalyzerTests.document([
            "# Plan",
            "Planen syftar till att uppnå kommunfullmäktiges inriktningsmål att det ska finnas"
                + " jämlika förutsättningar att påverka sina liv, fler barn och unga uppnår"
                + " bättre skolresultat och fullföljda studier och Kommunen har en god service"
                + " och hög effektivitet.",
            "Inriktningsmål | Förväntade resultat",
            "I kommunen ska det finnas jämlika förutsättningar att påverka sina liv"
                + " | Andelen som arbetar ska öka",
            "Fler barn och unga uppnår bättre skolresultat och fullföljer sina studier"
                + " | Andelen som studerar ska öka",
        ])
        StructureAnalyzer().analyze(&d)
        let texts = d.analysis?.goals.map(\.text) ?? []
        XCTAssertEqual(
            texts,
            [
                "Kommunen har en god service och hög effektivitet",
                "I kommunen ska det finnas jämlika förutsättningar att påverka sina liv",
                "Andelen som arbetar ska öka",
                "Fler barn och unga uppnår bättre skolresultat och fullföljer sina studier",
                "Andelen som studerar ska öka",
            ])
    }
}
