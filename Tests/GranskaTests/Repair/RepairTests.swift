import Foundation
import XCTest

@testable import Granska

/// Loads the repair model once: `$GRANSKA_MODELS`, else the checkout's `models/`.
private let sharedModel: Result<RepairModel, Error> = Result {
    if let dir = ProcessInfo.processInfo.environment["GRANSKA_MODELS"], !dir.isEmpty {
        return try RepairModel(directory: URL(fileURLWithPath: dir))
    }
    return try RepairModel(directory: RepairTestSupport.repoRoot.appendingPathComponent("models"))
}

enum RepairTestSupport {
    /// The checkout root, found from this file's path (Tests/GranskaTests/Repair/…).
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func corpus(_ name: String) throws -> String {
        let url = repoRoot.appendingPathComponent("corpus").appendingPathComponent(name)
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// Word accuracy per line against gold, and the share of words correct in the input
    /// that the output made wrong (whitespace-separated words, lines paired in order).
    static func score(output: String, gold: String, input: String) -> (
        accuracy: Double, madeWrong: Double
    ) {
        let o = output.components(separatedBy: "\n")
        let g = gold.components(separatedBy: "\n")
        let i = input.components(separatedBy: "\n")
        var total = 0
        var right = 0
        var wasRight = 0
        var madeWrong = 0
        for (k, goldLine) in g.enumerated() {
            let gw = goldLine.split(whereSeparator: \.isWhitespace)
            let ow = k < o.count ? o[k].split(whereSeparator: \.isWhitespace) : []
            let iw = k < i.count ? i[k].split(whereSeparator: \.isWhitespace) : []
            for (j, word) in gw.enumerated() {
                total += 1
                let out = j < ow.count ? ow[j] : nil
                if out == word { right += 1 }
                if j < iw.count, iw[j] == word {
                    wasRight += 1
                    if out != word { madeWrong += 1 }
                }
            }
        }
        return (Double(right) / Double(max(total, 1)), Double(madeWrong) / Double(max(wasRight, 1)))
    }
}

final class RepairTests: XCTestCase {
    private func repairer() throws -> Repairer {
        Repairer(model: try sharedModel.get())
    }

    private func bestReading(_ word: String) throws -> String? {
        let r = try repairer()
        return r.generator.candidates(for: Array(word.unicodeScalars)).first?.word
    }

    func testCandidatesRestoreStrippedDiacritics() throws {
        XCTAssertEqual(try bestReading("namnden"), "nämnden")
        XCTAssertEqual(try bestReading("bedomning"), "bedömning")
        XCTAssertEqual(try bestReading("atgarder"), "åtgärder")
    }

    func testCandidatesReadOCRGlyphs() throws {
        XCTAssertEqual(try bestReading("fors6rjning"), "försörjning")
        XCTAssertEqual(try bestReading("bedémning"), "bedömning")
        XCTAssertEqual(try bestReading("dversiktligt"), "översiktligt")
        // Two glyphs for one letter.
        XCTAssertEqual(try bestReading("behoéver"), "behöver")
        XCTAssertEqual(try bestReading("tillfredsstadllande"), "tillfredsställande")
        XCTAssertEqual(try bestReading("giiller"), "gäller")
        // A letter the OCR dropped, put back.
        let r = try repairer()
        var cache = CandidateGenerator.PrefixCache()
        for (ocr, word) in [("flja", "följa"), ("bedma", "bedöma")] {
            XCTAssertEqual(try bestReading(ocr), nil, "nothing without restoring")
            XCTAssertEqual(
                r.generator.candidates(
                    for: Array(ocr.unicodeScalars), cache: &cache, restoringDropped: true
                ).first?.word, word)
        }
        // The mark read as a glyph learned for another marked letter ("a" for ä, here ö).
        XCTAssertEqual(try bestReading("bedaomning"), "bedömning")
        XCTAssertEqual(try bestReading("staorre"), "större")
    }

    func testCandidatesIncludeCompoundsNoListContains() throws {
        let r = try repairer()
        let word = "socialnämndsordförandens"
        XCTAssertNil(r.model.lexicon.entry(word), "pick a compound the lexicon lacks")
        let c = r.generator.candidates(for: Array("socialnamndsordforandens".unicodeScalars))
        XCTAssertEqual(c.first?.word, word)
        XCTAssertGreaterThan(c.first?.parts ?? 0, 1)
    }

    func testWordClassesComeFromSwedishMorphology() throws {
        let lexicon = try sharedModel.get().lexicon
        func wordClass(_ w: String) -> UInt16 { lexicon.entry(w)?.wordClass ?? 0 }
        for w in ["att", "fortsätta", "fortsatta", "vår", "var", "låg", "lag", "nämnden"] {
            XCTAssertNotEqual(wordClass(w), 0, w)
        }
        // Twins that strip to the same letters but behave differently get classes of
        // their own: an infinitive against a participle, a determiner against a verb.
        XCTAssertNotEqual(wordClass("fortsätta"), wordClass("fortsatta"))
        XCTAssertNotEqual(wordClass("vår"), wordClass("var"))
        XCTAssertNotEqual(wordClass("låg"), wordClass("lag"))
        // Words that behave alike share one.
        XCTAssertEqual(wordClass("bedöma"), wordClass("säkerställa"))
        XCTAssertEqual(wordClass("nämnden"), wordClass("styrelsen"))
    }

    /// Word classes decide twins the word pairs leave open ("redovisas våra samlade
    /// bedömningar": a determiner before an adjective and a noun): on the real OCR text,
    /// which no model was built from, they make the repair better, and nothing worse
    /// than a word in a thousand.
    func testWordClassesImproveTheRealOCRRepair() throws {
        let input = try RepairTestSupport.corpus("alingsas-2024.txt")
        let gold = try RepairTestSupport.corpus("alingsas-2024.repaired.txt")
        var wordsOnly = try repairer()
        wordsOnly.wordClassWeight = 0
        let plain = RepairTestSupport.score(
            output: wordsOnly.repair(input).text, gold: gold, input: input)
        let classes = RepairTestSupport.score(
            output: try repairer().repair(input).text, gold: gold, input: input)
        XCTAssertGreaterThan(classes.accuracy, plain.accuracy, "\(classes) vs \(plain)")
        XCTAssertLessThanOrEqual(classes.madeWrong, plain.madeWrong + 0.001)
    }

    func testACompoundTakesItsHeadsWordClass() throws {
        let r = try repairer()
        let session = RepairSession(repairer: r)
        let compound = "socialnämndsordförandens"
        XCTAssertNil(r.model.lexicon.entry(compound), "pick a compound the lexicon lacks")
        XCTAssertNil(r.model.lexicon.entry("nämndsordförandens"), "a longer head would win")
        let head = try XCTUnwrap(r.model.lexicon.entry("ordförandens")?.wordClass)
        XCTAssertNotEqual(head, 0)
        XCTAssertEqual(session.wordClass(session.id(compound)), head)
        XCTAssertEqual(session.wordClass(session.id("<num>")), 0)
    }

    /// OCR text: a short rare listed word is read as the frequent word it misreads ("dr"
    /// for "är"), and a dropped letter is put back in words it leaves valid but rare
    /// ("ven" for "även") or unknown ("flja" for "följa").
    func testOCRMisreadingsIntoRareShortWordsAndDroppedLetters() throws {
        let input =
            "Revisorerna bedémer att det dr svart att flja upp insatserna.\n"
            + "Vi har ven noterat att nédmnden inte sdkerstdller uppfdljningen.\n"
            + "Ansvaret fr uppfdljningen ligger hos nédmnden.\n"
            + "Det dr ocks& viktigt. Likas& lyfts att nédmnden ska f& stdd.\n"
        let out = try repairer().repair(input).text
        XCTAssertTrue(out.contains("Ansvaret för uppföljningen"), out)
        // A glyph read as å ends the word it follows.
        XCTAssertTrue(out.contains("Det är också viktigt. Likaså lyfts"), out)
        XCTAssertTrue(out.contains("det är svårt att följa upp"), out)
        XCTAssertTrue(out.contains("Vi har även noterat att nämnden inte säkerställer"), out)
    }

    /// A glyph learned for ö only ("d") also reads ä: a channel learned from one scan
    /// must serve another that misreads its letters a little differently.
    func testAGlyphLearnedForÖAlsoReadsÄ() throws {
        let channel = OCRChannel(
            tsv: "a\tä\t-0.1\t500\no\tö\t-0.8\t300\nd\tö\t-3.0\t30\n")
        XCTAssertNil(channel.logProbability(glyphs: "d", letters: "ä"))
        let generator = CandidateGenerator(lexicon: try sharedModel.get().lexicon, channel: channel)
        XCTAssertEqual(
            generator.candidates(for: Array("socialndmnden".unicodeScalars)).first?.word,
            "socialnämnden")
    }

    func testCaseIsPreserved() throws {
        let r = try repairer()
        let text =
            "Namnden och BEDOMNINGEN samt atgarder for namnden.\nAtgarder kravs.\n"
            + "lakttagelser fran namnden ar att namnden bor fa stod.\n"
            + "| grunden ar granskningen genomford.\n"
        let out = r.repair(text).text
        let expected =
            "Nämnden och BEDÖMNINGEN samt åtgärder för nämnden.\nÅtgärder krävs.\n"
        XCTAssertTrue(out.hasPrefix(expected), out)
        XCTAssertTrue(out.contains("Iakttagelser från nämnden"), out)
        XCTAssertTrue(out.contains("I grunden är granskningen genomförd."), out)
    }

    func testOCRCapitalsStandingForLowerCaseLettersAreLowered() throws {
        let r = try repairer()
        let text =
            "Arbetet bedrivs pa ett AndamAlsenligt satt och pa ett Andamalsenligt vis."
            + "\n"
            + "FOlja upp arbetet. Vi ser behov fOr fler Atgarder.\n"
            + "AndamAlsenligt arbete kravs.\n"
        let out = r.repair(text).text
        XCTAssertTrue(out.contains("på ett ändamålsenligt sätt och på ett ändamålsenligt"), out)
        XCTAssertTrue(out.contains("Följa upp arbetet. Vi ser behov för fler åtgärder."), out)
        XCTAssertTrue(out.contains("\nÄndamålsenligt arbete krävs."), out)
        let hyphen = r.repair("Enligt DUA-Gverenskommelserna ska arbetet fOlja planen.\n").text
        XCTAssertTrue(hyphen.contains("DUA-överenskommelserna ska arbetet följa"), hyphen)
        XCTAssertTrue(
            RepairSession.capitalsAreGlyphs("AndamAlsenligt", reading: "ändamålsenligt"))
        XCTAssertFalse(RepairSession.capitalsAreGlyphs("Namnden", reading: "nämnden"))
        XCTAssertFalse(RepairSession.capitalsAreGlyphs("AtgArdsKlass", reading: "åtgärdsklass"))
    }

    func testADigitBesideOneLetterIsReadOnlyAsAMarkedLetter() throws {
        let r = try repairer()
        let out = r.repair("Det 4r viktigt att namnden 4ven foljer upp.\n").text
        XCTAssertEqual(out, "Det är viktigt att nämnden även följer upp.\n")
        // Ordinals and units keep their digit: the channel reads no "2" or "1" as å, ä, ö.
        let kept = "Under 2a kvartalet och 1a halvaret, 4h per vecka, ar namnden aktiv.\n"
        let repaired = r.repair(kept).text
        XCTAssertTrue(repaired.hasPrefix("Under 2a kvartalet och 1a "), repaired)
        XCTAssertTrue(repaired.contains(" 4h per vecka, "), repaired)
    }

    func testLeavesAcronymsNumbersURLsAndAddressesAlone() throws {
        let r = try repairer()
        let text =
            "Namnden GVN, IFO och AME den 2022-05-31, se https://www.kommun.se/fora/pa "
            + "eller skriv till bedomning.namnden@kommun.se for svar.\n"
        let out = r.repair(text).text
        XCTAssertEqual(
            out,
            "Nämnden GVN, IFO och AME den 2022-05-31, se https://www.kommun.se/fora/pa "
                + "eller skriv till bedomning.namnden@kommun.se för svar.\n")
    }

    func testCleanGoldTextIsUnchanged() throws {
        let r = try repairer()
        for name in [
            "lindesberg-2022.gold.txt", "vanersborg-2022.gold.txt",
            "seeds/001_05f23312f8a1c1c3.txt", "seeds/002_878ed62ddebe725b.txt",
        ] {
            let text = try RepairTestSupport.corpus(name)
            let result = r.repair(text)
            XCTAssertEqual(result.edits.count, 0, name)
            XCTAssertTrue(result.text == text, name)
        }
    }

    func testCleanLinesInsideDamagedTextAreKept() throws {
        let ocr = try RepairTestSupport.corpus("alingsas-2024.txt")
        let clean = try RepairTestSupport.corpus("lindesberg-2022.gold.txt")
            .components(separatedBy: "\n")[6...7].joined(separator: "\n")
        let out = try repairer().repair(ocr + "\n" + clean + "\n").text
        XCTAssertTrue(out.hasSuffix("\n" + clean + "\n"))
        XCTAssertTrue(out.contains("fått i uppdrag att översiktligt granska"))
    }

    func testAlingsasRealOCRReachesAccuracy() throws {
        let input = try RepairTestSupport.corpus("alingsas-2024.txt")
        let gold = try RepairTestSupport.corpus("alingsas-2024.repaired.txt")
        let output = try repairer().repair(input).text
        let before = RepairTestSupport.score(output: input, gold: gold, input: input)
        let after = RepairTestSupport.score(output: output, gold: gold, input: input)
        XCTAssertLessThan(before.accuracy, 0.75)
        // Measured 99.58 % and 0.045 %; the thresholds are the goals (99.5 %, 0.1 %).
        XCTAssertGreaterThanOrEqual(after.accuracy, 0.995, "accuracy \(after.accuracy)")
        XCTAssertLessThanOrEqual(after.madeWrong, 0.0010, "made wrong \(after.madeWrong)")
    }

    func testFilterChangesOnlyWordTokens() throws {
        let input = try RepairTestSupport.corpus("alingsas-2024.txt")
        let result = try repairer().repair(input)
        XCTAssertFalse(result.edits.isEmpty)
        XCTAssertEqual(
            result.text.components(separatedBy: "\n").count,
            input.components(separatedBy: "\n").count)
        // Undo every edit by its span: the input must come back byte for byte.
        var scalars = Array(result.text.unicodeScalars)
        for edit in result.edits.reversed() {
            XCTAssertEqual(
                String(String.UnicodeScalarView(scalars[edit.span.start..<edit.span.end])),
                edit.replacement)
            XCTAssertFalse(edit.original.contains(where: \.isWhitespace))
            XCTAssertTrue(edit.original.contains(where: { $0.isLetter || $0 == "|" }))
            XCTAssertGreaterThan(edit.confidence, 0.5)
            XCTAssertFalse(edit.evidence.isEmpty)
            scalars.replaceSubrange(
                edit.span.start..<edit.span.end, with: Array(edit.original.unicodeScalars))
        }
        XCTAssertTrue(String(String.UnicodeScalarView(scalars)) == input)
    }

    func testMinConfidenceOneAppliesNothing() throws {
        var r = try repairer()
        r.minConfidence = 1.0 + 1e-9
        let input = "Var samlade bedomning ar att namnden bor sakerstalla detta.\n"
        let result = r.repair(input)
        XCTAssertEqual(result.text, input)
        XCTAssertFalse(result.rejected.isEmpty)
    }

    func testRepairStageRecordsEditsIntoAssembledText() throws {
        let stage = RepairStage(repairer: try repairer())
        var document = Document(
            source: SourceInfo(path: "x.pdf", kind: .pdf, byteCount: 1),
            blocks: [
                Block(kind: .heading, text: "Bedomning", page: 1, level: 1),
                Block(
                    kind: .paragraph,
                    text: "Var samlade bedomning ar att namnden i allt vasentligt har en "
                        + "andamalsenlig styrning av arbetet med forsorjningsstod.",
                    page: 2),
            ])
        stage.apply(to: &document)
        XCTAssertTrue(document.text.hasPrefix("# Bedömning\nVår samlade bedömning är att"))
        XCTAssertFalse(document.repairEdits.isEmpty)
        for edit in document.repairEdits {
            XCTAssertEqual(document.substring(edit.span), edit.replacement)
            XCTAssertNotNil(edit.page)
        }
        XCTAssertEqual(document.repairEdits.first?.page, 1)
    }

    func testRepairStageKeepsUnsureCorrectionsAsDiagnostics() throws {
        var r = try repairer()
        r.minConfidence = 0.999
        let stage = RepairStage(repairer: r)
        var document = Document(
            source: SourceInfo(path: "x.pdf", kind: .pdf, byteCount: 1),
            blocks: [
                Block(
                    kind: .paragraph,
                    text: "Var samlade bedomning ar att namnden har en andamalsenlig styrning "
                        + "och att det ar tydligt vem som bor gora vad i arendet.",
                    page: 3)
            ])
        stage.apply(to: &document)
        let unsure = document.diagnostics.filter { $0.code == "repair-unsure" }
        XCTAssertFalse(unsure.isEmpty)
        XCTAssertTrue(unsure.allSatisfy { $0.stage == "repair" && $0.page == 3 })
        for edit in document.repairEdits {
            XCTAssertGreaterThanOrEqual(edit.confidence, 0.999)
        }
    }

    func testRepairStageLeavesCleanDocumentUnchanged() throws {
        let stage = RepairStage(repairer: try repairer())
        let lines = try RepairTestSupport.corpus("vanersborg-2022.gold.txt")
            .components(separatedBy: "\n").filter { !$0.isEmpty }
        var document = Document(
            source: SourceInfo(path: "v.pdf", kind: .pdf, byteCount: 1),
            blocks: lines.map { Block(kind: .paragraph, text: $0, page: 1) })
        stage.apply(to: &document)
        XCTAssertEqual(document.blocks.map(\.text), lines)
        XCTAssertTrue(document.repairEdits.isEmpty)
    }

    func testModelDigestFollowsTheFiles() throws {
        let model = try sharedModel.get()
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent(
            "granska-models-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(at: model.directory, to: copy)
        XCTAssertEqual(try RepairModel(directory: copy).filesDigest(), try model.filesDigest())
        // A rebuilt channel (one more comment line will do) is another model.
        let channel = copy.appendingPathComponent(RepairModel.channelFile)
        let text = try String(contentsOf: channel, encoding: .utf8)
        try (text + "# rebuilt\n").write(to: channel, atomically: true, encoding: .utf8)
        XCTAssertNotEqual(try RepairModel(directory: copy).filesDigest(), try model.filesDigest())
    }

    func testMissingModelIsATypedError() {
        XCTAssertThrowsError(
            try RepairModel(directory: URL(fileURLWithPath: "/nonexistent/granska-models"))
        ) { error in
            guard case GranskaError.modelUnavailable = error else {
                return XCTFail("unexpected \(error)")
            }
        }
    }
}
