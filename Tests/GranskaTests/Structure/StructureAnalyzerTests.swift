import Foundation
import XCTest

@testable import Granska

/// Structure stage on real corpus files and on hand-made documents.
final class StructureAnalyzerTests: XCTestCase {
    /// A plain-text document of one block per line ("# " marks a heading, "• " a list item,
    /// " | " separates table cells).
    static func document(_ lines: [String], pdfMetadata: PDFMetadata = PDFMetadata()) -> Document {
        let blocks = lines.map { line -> Block in
            if line.hasPrefix("# ") {
                return Block(kind: .heading, text: String(line.dropFirst(2)), page: 1, level: 1)
            }
            if line.hasPrefix("• ") { return Block(kind: .listItem, text: line, page: 1) }
            if line.contains(" | ") {
                let cells = line.components(separatedBy: " | ")
                return Block(kind: .tableRow, text: line, page: 1, cells: cells, table: 1)
            }
            return Block(kind: .paragraph, text: line, page: 1)
        }
        var d = Document(
            source: SourceInfo(path: "test.txt", kind: .text, byteCount: 0),
            pdfMetadata: pdfMetadata,
            pages: [Page(number: 1, width: 0, height: 0)], blocks: blocks)
        d.assemble()
        return d
    }

    static func analysis(_ name: String) throws -> (Document, Analysis) {
        let d = try StructureCorpusScoreTests.analyzed(name)
        return (d, try XCTUnwrap(d.analysis))
    }

    // MARK: Corpus

    func testVanersborgSectionsFollowTheNumberedHeadings() throws {
        let (document, a) = try Self.analysis("vanersborg-2022.pdf")
        let strategic = try XCTUnwrap(a.sections.first { $0.number == "3.1.2" })
        XCTAssertEqual(strategic.title, "Strategisk inriktning – Integrationssamverkan")
        XCTAssertEqual(strategic.level, 3)
        XCTAssertEqual(a.sections.first?.title, "Sammanfattning")
        XCTAssertEqual(a.sections.first?.number, "1")
        XCTAssertEqual(a.sections.last?.title, "Slutsats och rekommendationer")
        // The TOC heading and the title page are not sections.
        XCTAssertFalse(a.sections.contains { $0.title == "Innehåll" || $0.title == "Rapport" })
        XCTAssertEqual(a.sections.filter { $0.title == "Kommentarer och bedömningar" }.count, 6)
        // Unnumbered sub-headings are kept.
        XCTAssertTrue(a.sections.contains { $0.title == "Boende" && $0.number == nil })
        // Provenance points at the heading in the document's text.
        let span = try XCTUnwrap(strategic.provenance?.span)
        XCTAssertTrue(document.substring(span).contains("Strategisk inriktning"))
    }

    func testVanersborgMetadataAndRecommendations() throws {
        let (_, a) = try Self.analysis("vanersborg-2022.pdf")
        XCTAssertEqual(a.metadata.firm, "KPMG")
        XCTAssertEqual(a.metadata.municipality, "Vänersborgs kommun")
        XCTAssertEqual(a.metadata.date, "2022-09-15")
        XCTAssertEqual(a.overallAssessment?.verdict, Verdict.no)
        // Summary and conclusion repeat the same seven recommendations.
        XCTAssertEqual(a.recommendations.count, 7)
        XCTAssertTrue(a.recommendations.allSatisfy { $0.recipients == ["kommunstyrelsen"] })
        XCTAssertEqual(a.recommendations.first?.text.hasPrefix("Tydliggöra skillnaderna"), true)
    }

    func testVanersborgVerdictsComeFromTheAssessmentProse() throws {
        let (_, a) = try Self.analysis("vanersborg-2022.pdf")
        XCTAssertEqual(a.assessments.count, 8)
        func verdict(_ prefix: String) -> Verdict? {
            a.assessments.first { $0.question.hasPrefix(prefix) }?.verdict
        }
        XCTAssertEqual(verdict("Finns det en tydlig organisation"), .partly)  // "inte helt tydlig"
        // "till stora delar"
        XCTAssertEqual(verdict("Finns det en fungerande samverkan"), .largely)
        XCTAssertEqual(verdict("Vilka insatser erbjuds"), .notAssessed)
    }

    func testLindesbergSummaryTableVerdictsAndDeduplication() throws {
        let (_, a) = try Self.analysis("lindesberg-2022.pdf")
        // The table in the summary, the question list, the body and the closing table ask
        // the same four questions.
        XCTAssertEqual(a.assessments.map(\.verdict), [.partly, .yes, .yes, .yes])
        XCTAssertEqual(a.assessments.first?.rawVerdict, "Delvis")
        XCTAssertEqual(a.overallAssessment?.verdict, .largely)
        XCTAssertEqual(a.metadata.firm, "PwC")
        XCTAssertEqual(a.metadata.date, "2022-05-31")
        // "till nämnderna" resolves to the bodies the audit's purpose names.
        XCTAssertEqual(a.recommendations.count, 4)
        XCTAssertEqual(a.recommendations.first?.recipients, ["socialnämnden", "tillväxtnämnden"])
        XCTAssertEqual(
            a.recommendations.first?.text,
            "Så småningom utvärdera effekterna av FIA som instrument för förändringsarbete.")
        // "Att socialnämnden genomför …" keeps its "Att" and goes to that body alone.
        XCTAssertEqual(a.recommendations.last?.recipients, ["socialnämnden"])
        XCTAssertEqual(a.recommendations.last?.text.hasPrefix("Att socialnämnden genomför"), true)
    }

    func testAlingsasPlainTextFlattenedTable() throws {
        let (_, a) = try Self.analysis("alingsas-2024.repaired.txt")
        XCTAssertEqual(a.assessments.count, 11)
        let routines = try XCTUnwrap(
            a.assessments.first { $0.question.hasPrefix("Har socialnämnden tillsett") })
        XCTAssertEqual(routines.verdict, .largely)
        XCTAssertEqual(
            routines.question,
            "Har socialnämnden tillsett att det finns rutiner för arbetet med att motverka"
                + " beroende av försörjningsstöd?"
        )
        XCTAssertEqual(
            a.assessments.first { $0.question == "Vilka arbetsmarknadsinsatser genomförs?" }?
                .verdict, .notAssessed)
        XCTAssertEqual(a.overallAssessment?.verdict, .partly)
        XCTAssertEqual(
            a.metadata.title, "Granskning av kommunens arbete med integration och försörjningsstöd")
        XCTAssertEqual(a.metadata.date, "2024-09-26")
        XCTAssertTrue(a.sections.contains { $0.title == "Bakgrund" })  // glued to the page before
        let goal = try XCTUnwrap(a.goals.first { $0.target == "75 %" })
        XCTAssertEqual(goal.year, 2024)
        XCTAssertTrue(goal.text.hasPrefix("Andel ej återaktualiserade"))
    }

    // MARK: Hand-made documents

    func testRecipientsFromTheIntroduction() {
        var d = Self.document([
            "# Rekommendationer",
            "Vi rekommenderar socialnämnden och kultur- och utbildningsnämnden att:",
            "• Säkerställa att samverkan är fungerande.",
            "Vi rekommenderar kommunstyrelsen att:",
            "• Att se över rutinerna för uppföljning.",
            "• Att socialnämnden genomför en behovsanalys.",
        ])
        StructureAnalyzer().analyze(&d)
        let recs = d.analysis?.recommendations ?? []
        XCTAssertEqual(
            recs.map(\.recipients),
            [
                ["socialnämnden", "kultur- och utbildningsnämnden"], ["kommunstyrelsen"],
                ["socialnämnden"],
            ])
        XCTAssertEqual(
            recs.map(\.text),
            [
                "Säkerställa att samverkan är fungerande.", "Se över rutinerna för uppföljning.",
                "Att socialnämnden genomför en behovsanalys.",
            ])
        XCTAssertEqual(
            d.substring(recs[0].provenance!.span), "Säkerställa att samverkan är fungerande.")
    }

    func testPluralRecipientsResolveToThePurpose() {
        var d = Self.document([
            "# Syfte",
            "Granskningens syfte är att bedöma om byggnadsnämnden och miljönämnden har en"
                + " ändamålsenlig tillsyn.",
            "# Rekommendationer",
            "Mot bakgrund av granskningen lämnar vi följande rekommendationer till nämnderna:",
            "• Att upprätta en tillsynsplan.",
            "• Tillse att planen följs upp.",
        ])
        StructureAnalyzer().analyze(&d)
        let recs = d.analysis?.recommendations ?? []
        XCTAssertEqual(recs.count, 2)
        XCTAssertEqual(recs.first?.recipients, ["byggnadsnämnden", "miljönämnden"])
        XCTAssertEqual(recs.first?.text, "Upprätta en tillsynsplan.")
    }

    func testBodyNames() {
        let names = BodyNames()
        XCTAssertEqual(
            names.bodies(in: "Vi rekommenderar barn- och utbildningsnämnden samt kommunstyrelsen"),
            ["barn- och utbildningsnämnden", "kommunstyrelsen"])
        XCTAssertEqual(names.bodies(in: "Nämnden har beslutat"), [])
        XCTAssertEqual(
            names.bodies(in: "socialnamnden och tillvaxtnamnden"),
            ["socialnamnden", "tillvaxtnamnden"])
        XCTAssertTrue(names.mentionsPlural("till nämnderna:"))
    }

    func testVerdictClassification() {
        let c = VerdictClassifier()
        XCTAssertEqual(c.answer("Ja, i allt väsentligt")?.verdict, .largely)
        XCTAssertEqual(c.answer("I allt väsentligt")?.verdict, .largely)
        XCTAssertEqual(c.answer("Delvis.")?.verdict, .partly)
        XCTAssertEqual(c.answer("Nej")?.verdict, .no)
        XCTAssertEqual(c.answer("Ja.")?.verdict, .yes)
        XCTAssertNil(c.answer("Januari"))
        XCTAssertEqual(c.answer("Svar: Delvis.")?.verdict, .partly)
        XCTAssertEqual(c.answer("Svar: Delvis.")?.cue, "Delvis")
        XCTAssertEqual(c.answer("Bedömning – Ja, i allt väsentligt")?.verdict, .largely)
        XCTAssertEqual(
            c.grade("Vår bedömning är att nämnden i allt väsentligt säkerställt detta.")?.verdict,
            .largely)
        XCTAssertEqual(
            c.grade("Vår bedömning är att nämnden delvis säkerställt en god uppföljning.")?.verdict,
            .partly)
        XCTAssertEqual(
            c.grade("Ansvarsfördelningen upplevs som inte helt tydlig.")?.verdict, .partly)
        XCTAssertEqual(
            c.grade("Kommunstyrelsen har inte i tillräcklig omfattning säkerställt detta.")?
                .verdict, .no)
        XCTAssertEqual(c.grade("Samverkan fungerar väl.")?.verdict, .yes)
        XCTAssertEqual(c.grade("Vår bedömning är att rutinerna är ändamålsenliga.")?.verdict, .yes)
        XCTAssertEqual(c.grade("Revisionsfrågan besvaras med nej.")?.verdict, .no)
        XCTAssertEqual(c.grade("Det finns brister i uppföljningen.")?.verdict, .partly)
        // OCR without diacritics grades the same.
        XCTAssertEqual(
            c.grade("Var bedomning ar att namnden i allt vasentligt sakerstallt detta.")?.verdict,
            .largely)
        XCTAssertTrue(c.isDescriptive("Vilka insatser genomförs?"))
        XCTAssertTrue(c.isDescriptive("Hur och i vilken utsträckning sker uppföljning?"))
        XCTAssertFalse(c.isDescriptive("Finns det en tydlig ansvarsfördelning?"))
    }

    func testMonthOnlyDateReadsAsTheLastDayOfTheMonth() {
        var d = Self.document([
            "Granskning av kommunens arbete med bostadsförsörjning",
            "Exempelby kommun",
            "Februari 2024",
            "# Sammanfattning",
            "Grant Thornton har på uppdrag av revisorerna i Exempelby kommun granskat arbetet.",
        ])
        StructureAnalyzer().analyze(&d)
        XCTAssertEqual(d.analysis?.metadata.date, "2024-02-29")
        XCTAssertEqual(d.analysis?.metadata.firm, "Grant Thornton")
        XCTAssertEqual(d.analysis?.metadata.municipality, "Exempelby kommun")
        XCTAssertEqual(
            d.analysis?.metadata.title, "Granskning av kommunens arbete med bostadsförsörjning")
        XCTAssertEqual(d.analysis?.sections.map(\.title), ["Sammanfattning"])
    }

    func testSentenceSplitterKeepsAbbreviations() {
        let s = SentenceSplitter().split(
            "Det gäller t.ex. AME. Se avsnitt 2.1. Nästa mening år 2022. Klart?")
        XCTAssertEqual(
            s.map(\.text),
            ["Det gäller t.ex. AME.", "Se avsnitt 2.1. Nästa mening år 2022.", "Klart?"])
    }
}

/// Shapes other firms use: numbered recommendations, recommendations in running text,
/// answers per body, "uppfyllt" scales, "Sammantaget bedömer vi".
final class StructureVariantsTests: XCTestCase {
    func testNumberedAndInlineRecommendations() {
        var d = StructureAnalyzerTests.document([
            "# Rekommendationer",
            "Vi rekommenderar att kommunstyrelsen:",
            "1. Säkerställer att riktlinjerna revideras.",
            "2. Tillser att uppföljningen dokumenteras.",
            "Vi rekommenderar vidare miljönämnden att upprätta en plan för tillsynen.",
            "Byggnadsnämnden rekommenderas att se över delegationsordningen.",
        ])
        StructureAnalyzer().analyze(&d)
        let recs = d.analysis?.recommendations ?? []
        XCTAssertEqual(
            recs.map(\.text),
            [
                "Säkerställer att riktlinjerna revideras.",
                "Tillser att uppföljningen dokumenteras.",
                "Upprätta en plan för tillsynen.", "Se över delegationsordningen.",
            ])
        XCTAssertEqual(
            recs.map(\.recipients),
            [
                ["kommunstyrelsen"], ["kommunstyrelsen"], ["miljönämnden"], ["byggnadsnämnden"],
            ])
    }

    func testItemsNamingTheirOwnRecipient() {
        var d = StructureAnalyzerTests.document([
            "Granskningens syfte är att bedöma om kommunstyrelsen och socialnämnden har en god"
                + " styrning.",
            "# Rekommendationer",
            "• Kommunstyrelsen bör säkerställa att riktlinjerna hålls aktuella.",
            "• Socialnämnden bör följa upp avvikelserna systematiskt.",
            "• Tydliggöra ansvarsfördelningen.",
        ])
        StructureAnalyzer().analyze(&d)
        XCTAssertEqual(
            d.analysis?.recommendations.map(\.recipients),
            [
                ["kommunstyrelsen"], ["socialnämnden"], ["kommunstyrelsen", "socialnämnden"],
            ])
    }

    func testAnswersPerBody() {
        var d = StructureAnalyzerTests.document([
            "# Bedömning",
            "Har nämnderna säkerställt en tillräcklig intern kontroll?",
            "Socialnämnden: Delvis.",
            "Barn- och utbildningsnämnden: Ja, i allt väsentligt.",
        ])
        StructureAnalyzer().analyze(&d)
        let a = d.analysis?.assessments ?? []
        XCTAssertEqual(a.map(\.body), ["socialnämnden", "barn- och utbildningsnämnden"])
        XCTAssertEqual(a.map(\.verdict), [.partly, .largely])
    }

    func testFulfilmentScaleAndOverallPhrasing() {
        let c = VerdictClassifier()
        XCTAssertEqual(c.answer("Delvis uppfyllt")?.verdict, .partly)
        XCTAssertEqual(c.answer("Ej uppfyllt")?.verdict, .no)
        XCTAssertEqual(c.answer("Uppfyllt")?.verdict, .yes)
        var d = StructureAnalyzerTests.document([
            "# Sammanfattning",
            "Sammantaget bedömer vi att regionstyrelsen delvis har en ändamålsenlig styrning"
                + " av arbetet.",
            "Granskningen har genomförts av EY på uppdrag av revisorerna i Region Skåne.",
        ])
        StructureAnalyzer().analyze(&d)
        XCTAssertEqual(d.analysis?.overallAssessment?.verdict, .partly)
        XCTAssertEqual(d.analysis?.metadata.firm, "EY")
        XCTAssertEqual(d.analysis?.metadata.municipality, "Region Skåne")
    }
}

/// Every answer's provenance points at text in the document that says it.
final class StructureProvenanceTests: XCTestCase {
    func assertCovers(
        _ document: Document, _ provenance: Provenance?, _ text: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        guard let p = provenance else {
            return XCTFail("no provenance for \(text)", file: file, line: line)
        }
        let source = Set(TextKey.foldedWords(document.substring(p.span)))
        let words = TextKey.foldedWords(text)
        let covered = words.filter { source.contains($0) }.count
        XCTAssertGreaterThanOrEqual(
            Double(covered), Double(words.count) * 0.9,
            "span \(p.span) reads \"\(document.substring(p.span).prefix(120))\" for \"\(text)\"",
            file: file, line: line)
        XCTAssertTrue((0...1).contains(p.confidence), file: file, line: line)
    }

    func testProvenanceSpansReadTheirAnswers() throws {
        for (input, _) in StructureCorpusScoreTests.inputs {
            let document = try StructureCorpusScoreTests.analyzed(input)
            let a = try XCTUnwrap(document.analysis)
            for s in a.sections { assertCovers(document, s.provenance, s.title) }
            for r in a.recommendations {
                // A dropped "Att" is not in the text; everything else is.
                assertCovers(document, r.provenance, r.text)
            }
            for g in a.goals { assertCovers(document, g.provenance, g.text) }
            for q in a.assessments { assertCovers(document, q.provenance, q.question) }
            if let o = a.overallAssessment { assertCovers(document, o.provenance, o.text) }
        }
    }

    func testEmptyAndTinyDocuments() {
        var empty = StructureAnalyzerTests.document([])
        StructureAnalyzer().analyze(&empty)
        XCTAssertEqual(empty.analysis?.sections.count, 0)
        XCTAssertNil(empty.analysis?.overallAssessment)
        var tiny = StructureAnalyzerTests.document(["?", "• ", "1.", "Rekommendationer:", "• Att"])
        StructureAnalyzer().analyze(&tiny)
        XCTAssertNotNil(tiny.analysis)
    }
}

/// Summary tables in other layouts.
final class StructureTableTests: XCTestCase {
    func testNumberedTableWithAnswerColumnPerBody() {
        var d = StructureAnalyzerTests.document([
            "# Sammanfattning",
            "Nr | Revisionsfråga | Socialnämnden | Barn- och utbildningsnämnden",
            "1 | Finns det rutiner för placeringar? | Ja | Delvis",
            "2 | Följs rutinerna upp? | Nej | Ja, i allt väsentligt",
        ])
        StructureAnalyzer().analyze(&d)
        let a = d.analysis?.assessments ?? []
        XCTAssertEqual(a.count, 4)
        XCTAssertEqual(
            a.map(\.body),
            [
                "socialnämnden", "barn- och utbildningsnämnden", "socialnämnden",
                "barn- och utbildningsnämnden",
            ])
        XCTAssertEqual(a.map(\.verdict), [.yes, .partly, .no, .largely])
        XCTAssertEqual(a.first?.question, "Finns det rutiner för placeringar?")
    }

    func testCommentColumnIsGradedWhenThereIsNoAnswerWord() {
        var d = StructureAnalyzerTests.document([
            "# Sammanfattning",
            "Revisionsfråga | Kommentar",
            "Finns det en ändamålsenlig styrning av arbetet? | Styrningen är delvis ändamålsenlig.",
            "Vilka insatser genomförs? | Ett flertal insatser genomförs.",
        ])
        StructureAnalyzer().analyze(&d)
        XCTAssertEqual(d.analysis?.assessments.map(\.verdict), [.partly, .notAssessed])
    }
}

/// Title pages without a table of contents.
final class StructureTitlePageTests: XCTestCase {
    func testTitlePageHeadingsAreNotSections() {
        var d = StructureAnalyzerTests.document(
            [
                "# Granskning av kommunens arbete med bostadsförsörjning",
                "# Exempelby kommun",
                "# Uppdraget",
                "Revisorerna har granskat arbetet.",
                "# Iakttagelser",
                "Arbetet bedrivs i flera nämnder.",
            ],
            pdfMetadata: PDFMetadata(
                title: "Granskning av kommunens arbete med bostadsförsörjning", author: "BDO"))
        StructureAnalyzer().analyze(&d)
        XCTAssertEqual(d.analysis?.sections.map(\.title), ["Uppdraget", "Iakttagelser"])
        XCTAssertEqual(d.analysis?.metadata.firm, "BDO")
    }
}

/// Question lists introduced in other words.
final class StructureQuestionListTests: XCTestCase {
    func testQuestionsUnderAHeadingOrPlainIntroduction() {
        var d = StructureAnalyzerTests.document([
            "# Revisionsfrågor",
            "• Har nämnden en ändamålsenlig styrning?",
            "• Vilka kontroller genomförs?",
            "Granskningen ska även besvara följande frågor:",
            "1. Följer nämnden upp avvikelser?",
            "Dessutom ställdes följande kartläggande frågor:",
            "• Hur många ärenden handläggs per år?",
            "# Bedömning",
            "Vår bedömning är att nämnden delvis har en ändamålsenlig styrning.",
        ])
        StructureAnalyzer().analyze(&d)
        let a = d.analysis?.assessments ?? []
        XCTAssertEqual(
            a.map(\.question),
            [
                "Har nämnden en ändamålsenlig styrning?", "Vilka kontroller genomförs?",
                "Följer nämnden upp avvikelser?",
            ])
        // The third question has no assessment sentence of its own.
        XCTAssertEqual(a.map(\.verdict), [.partly, .notAssessed, .notAssessed])
    }
}

/// Goals in tables and lists.
final class StructureGoalTests: XCTestCase {
    func testGoalTableWithTargetColumn() {
        var d = StructureAnalyzerTests.document([
            "# Mål",
            "Nämndens mål för verksamhetsåret framgår av tabellen.",
            "Nämndmål | Målvärde 2023 | Utfall",
            "Andelen nöjda brukare ska öka | 85 % | 82 %",
            "Väntetiden till särskilt boende ska minska | 60 dagar | 75 dagar",
        ])
        StructureAnalyzer().analyze(&d)
        let goals = d.analysis?.goals ?? []
        XCTAssertEqual(
            goals.map(\.text),
            [
                "Andelen nöjda brukare ska öka", "Väntetiden till särskilt boende ska minska",
            ])
        XCTAssertEqual(goals.map(\.target), ["85 %", "60 dagar"])
        XCTAssertEqual(goals.map(\.year), [2023, 2023])
    }

    func testGoalListAndGoalSentence() {
        var d = StructureAnalyzerTests.document([
            "# Mål",
            "Fullmäktige har för 2024 beslutat om följande inriktningsmål:",
            "• Alla barn ska ges en god start i livet.",
            "• Kommunen ska vara en attraktiv arbetsgivare.",
            "Ett av nämndens mål är att andelen elever med godkända betyg ska vara minst 90 %.",
            "Budgeten för 2024–2026 anger också riktningen.",
        ])
        StructureAnalyzer().analyze(&d)
        let goals = d.analysis?.goals ?? []
        XCTAssertEqual(goals.count, 3)
        XCTAssertEqual(goals.first?.year, 2024)
        XCTAssertEqual(goals.last?.text, "Andelen elever med godkända betyg ska vara minst 90 %.")
        XCTAssertEqual(goals.last?.target, "minst 90 %")
    }
}

/// Damaged documents: reordered, truncated and mis-celled blocks must not break the stage,
/// and every span must stay inside the text.
final class StructureRobustnessTests: XCTestCase {
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state
        }
    }

    func testShuffledAndTruncatedBlocks() throws {
        var rng = SeededGenerator(state: 2024)
        for name in ["lindesberg-2022.scan.pdf", "alingsas-2024.txt"] {
            let base = try Pipeline().extract(path: FixturePaths.corpus(name))
            for _ in 0..<8 {
                let count = Int.random(in: 0...base.blocks.count, using: &rng)
                let blocks = base.blocks.shuffled(using: &rng).prefix(count).map { b -> Block in
                    var b = b
                    if !b.text.isEmpty, Bool.random(using: &rng) {
                        b.text = String(
                            b.text.prefix(Int.random(in: 0...b.text.count, using: &rng)))
                    }
                    if Bool.random(using: &rng) {
                        b.cells = b.text.split(separator: " ").map(String.init)
                    }
                    return b
                }
                var d = Document(source: base.source, pages: base.pages, blocks: Array(blocks))
                d.assemble()
                StructureAnalyzer().analyze(&d)
                let a = try XCTUnwrap(d.analysis)
                let length = d.text.unicodeScalars.count
                let spans =
                    a.sections.compactMap(\.provenance?.span)
                    + a.assessments.compactMap(\.provenance?.span)
                    + a.recommendations.compactMap(\.provenance?.span)
                    + a.goals.compactMap(\.provenance?.span)
                for span in spans {
                    XCTAssertTrue(0 <= span.start && span.start <= span.end && span.end <= length)
                }
            }
        }
    }
}
