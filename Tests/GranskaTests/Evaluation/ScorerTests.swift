import XCTest

@testable import Granska

/// The scorer on small hand-made cases, one rule of `docs/labelled-samples.md` each.
final class ScorerTests: XCTestCase {
    private let gold = Analysis(
        metadata: ReportMetadata(
            municipality: "Alingsås kommun", firm: "KPMG", date: "2024-09-26",
            title: "Granskning av kommunens arbete med integration"),
        sections: [
            Section(number: "1", title: "Sammanfattning"),
            Section(number: "3.2", title: "Roll- och ansvarsfördelning"),
            Section(number: nil, title: "Bedömning"),
        ],
        overallAssessment: OverallAssessment(
            verdict: .partly,
            text: "Vår samlade bedömning är att nämnderna delvis har ett effektivt arbete."),
        assessments: [
            Assessment(
                question: "Finns det en tydlig organisation och ansvarsfördelning?",
                verdict: .yes, body: nil),
            Assessment(
                question: "Sker en uppföljning av insatserna?", verdict: .partly,
                body: "Socialnämnden"),
            Assessment(
                question: "Sker en uppföljning av insatserna?", verdict: .no,
                body: "Tillväxtnämnden"),
        ],
        recommendations: [
            Recommendation(
                recipients: ["socialnämnden"],
                text: "Säkerställa att det finns en strategi för arbetsmarknadsinsatser."),
            Recommendation(
                recipients: ["kommunstyrelsen", "socialnämnden"],
                text: "Tillse att uppföljningen av insatsernas effekter utvecklas."),
        ],
        goals: [
            Goal(
                text: "Andel ej återaktualiserade vuxna personer med försörjningsstöd.",
                target: "75 %", year: 2024),
            Goal(text: "Fler personer i egen försörjning.", target: nil, year: nil),
        ])

    private func score(_ predicted: Analysis) -> AnalysisScore {
        AnalysisScorer().score(predicted: predicted, gold: gold)
    }

    func testPerfectPredictionScoresOne() {
        let s = score(gold)
        for list in [s.sections, s.assessments, s.recommendations, s.goals] {
            XCTAssertEqual(list.precision, 1)
            XCTAssertEqual(list.recall, 1)
            XCTAssertEqual(list.f1, 1)
        }
        XCTAssertEqual(s.sectionNumbers, Accuracy(correct: 2, total: 2))
        XCTAssertEqual(s.verdicts.value, 1)
        XCTAssertEqual(s.recipients.value, 1)
        XCTAssertEqual(s.goalTargets.value, 1)
        XCTAssertEqual(s.goalYears.value, 1)
        XCTAssertEqual(s.overallVerdict.value, 1)
        XCTAssertEqual(s.overallText.value, 1)
        XCTAssertEqual(s.metadata.all, Accuracy(correct: 4, total: 4))
    }

    func testEmptyPredictionScoresZeroRecallAndNoPrecision() {
        let s = score(Analysis())
        XCTAssertEqual(s.sections.recall, 0)
        XCTAssertNil(s.sections.precision)
        XCTAssertEqual(s.sections.f1, 0)
        XCTAssertEqual(s.goals.f1, 0)
        XCTAssertEqual(s.verdicts.total, 0)
        XCTAssertEqual(s.overallVerdict, Accuracy(correct: 0, total: 1))
        XCTAssertEqual(s.overallText, Accuracy(correct: 0, total: 1))
        XCTAssertEqual(s.metadata.all, Accuracy(correct: 0, total: 4))
    }

    func testMissingItemLowersRecallOnly() {
        var predicted = gold
        predicted.sections.removeLast()
        let s = score(predicted)
        XCTAssertEqual(s.sections.precision, 1)
        XCTAssertEqual(s.sections.recall!, 2.0 / 3.0, accuracy: 1e-9)
        XCTAssertEqual(s.sections.f1!, 0.8, accuracy: 1e-9)
    }

    func testExtraItemLowersPrecisionOnly() {
        var predicted = gold
        predicted.recommendations.append(
            Recommendation(recipients: ["socialnämnden"], text: "Ta fram en ny plan för boende."))
        let s = score(predicted)
        XCTAssertEqual(s.recommendations.recall, 1)
        XCTAssertEqual(s.recommendations.precision!, 2.0 / 3.0, accuracy: 1e-9)
    }

    func testEachGoldItemMatchesAtMostOnce() {
        var predicted = gold
        predicted.sections.append(Section(number: "1", title: "Sammanfattning"))
        let s = score(predicted)
        XCTAssertEqual(s.sections.matched, 3)
        XCTAssertEqual(s.sections.predicted, 4)
    }

    func testRepeatedTitlesPairByPosition() {
        let repeated = [
            "Bakgrund", "Kommentarer", "Metod", "Kommentarer", "Resultat", "Kommentarer",
        ]
        let gold = repeated.enumerated().map {
            Section(number: "\($0.offset + 1)", title: $0.element)
        }
        // The first "Kommentarer" is missing from the prediction.
        var predicted = gold
        predicted.remove(at: 1)
        var result = AnalysisComparison()
        AnalysisScorer().scoreSections(predicted, gold, into: &result)
        XCTAssertEqual(result.score.sections.matched, 5)
        // Pairing in list order instead would give 3 of 5.
        XCTAssertEqual(result.score.sectionNumbers, Accuracy(correct: 5, total: 5))
    }

    func testWrongVerdictLowersVerdictAccuracyButStillMatches() {
        var predicted = gold
        predicted.assessments[0].verdict = .no
        let s = score(predicted)
        XCTAssertEqual(s.assessments.f1, 1)
        XCTAssertEqual(s.verdicts, Accuracy(correct: 2, total: 3))
    }

    func testMismatchesNameWhatWentWrong() {
        var predicted = gold
        predicted.sections.removeLast()
        predicted.assessments[0].verdict = .no
        predicted.goals.append(Goal(text: "Ett helt annat mål.", target: nil, year: nil))
        predicted.metadata.firm = nil
        let mismatches = AnalysisScorer().compare(predicted: predicted, gold: gold).mismatches
        XCTAssertEqual(
            mismatches.map { "\($0.kind.rawValue) \($0.field)" },
            [
                "wrong metadata.firm", "missing sections", "wrong assessments.verdict",
                "spurious goals",
            ])
        XCTAssertEqual(mismatches[1].gold, "Bedömning")
        XCTAssertEqual(mismatches[3].predicted, "Ett helt annat mål.")
        XCTAssertTrue(AnalysisScorer().compare(predicted: gold, gold: gold).mismatches.isEmpty)
    }

    func testAssessmentsForAnotherBodyDoNotMatch() {
        var predicted = gold
        predicted.assessments[1].body = "Kommunstyrelsen"
        predicted.assessments[2].body = nil
        let s = score(predicted)
        XCTAssertEqual(s.assessments.matched, 1)
    }

    func testSectionNumberScoredOnlyWhereGoldHasOne() {
        var predicted = gold
        predicted.sections[1].number = "3.3"
        predicted.sections[2].number = "4"  // gold has none: not scored
        let s = score(predicted)
        XCTAssertEqual(s.sectionNumbers, Accuracy(correct: 1, total: 2))
    }

    func testRecipientsCompareAsLowerCasedSets() {
        var predicted = gold
        predicted.recommendations[1].recipients = ["Socialnämnden", "kommunstyrelsen"]
        predicted.recommendations[0].recipients = ["socialnämnden", "kommunstyrelsen"]
        let s = score(predicted)
        XCTAssertEqual(s.recipients, Accuracy(correct: 1, total: 2))
    }

    func testGoalTargetsIgnoreSpacingAndNullMustStayNull() {
        var predicted = gold
        predicted.goals[0].target = "75%"
        predicted.goals[1].target = "50 %"
        predicted.goals[1].year = 2023
        let s = score(predicted)
        XCTAssertEqual(s.goalTargets, Accuracy(correct: 1, total: 2))
        XCTAssertEqual(s.goalYears, Accuracy(correct: 1, total: 2))
    }

    func testOverallVerdictAndTextScoreSeparately() {
        var predicted = gold
        predicted.overallAssessment?.verdict = .no
        var s = score(predicted)
        XCTAssertEqual(s.overallVerdict.value, 0)
        XCTAssertEqual(s.overallText.value, 1)
        predicted.overallAssessment?.text = "Kommunen saknar en strategi."
        s = score(predicted)
        XCTAssertEqual(s.overallText.value, 0)
    }

    func testMetadataCountsOnlyStatedFieldsAndFoldsTitleSpacing() {
        var goldWithoutDate = gold
        goldWithoutDate.metadata.date = nil
        var predicted = gold
        predicted.metadata.title = "  Granskning av kommunens\n arbete med integration "
        predicted.metadata.firm = "KPMG AB"
        predicted.metadata.date = "2024-01-01"
        let s = AnalysisScorer().score(predicted: predicted, gold: goldWithoutDate)
        XCTAssertEqual(s.metadata.title.value, 1)
        XCTAssertEqual(s.metadata.firm.value, 0)
        XCTAssertEqual(s.metadata.date.total, 0)
        XCTAssertEqual(s.metadata.all, Accuracy(correct: 2, total: 3))
    }

    func testMicroAveragePoolsCountsNotRatios() {
        // 1 of 1 matched, then 0 of 3: the pooled recall is 1/4, not the mean 1/2.
        let a = ListScore(gold: 1, predicted: 1, matched: 1)
        let b = ListScore(gold: 3, predicted: 0, matched: 0)
        XCTAssertEqual((a + b).recall, 0.25)
        XCTAssertEqual((a + b).f1!, 2.0 / 5.0, accuracy: 1e-9)
    }
}

/// Similarity, WER and diacritic accuracy on tiny strings.
final class TextComparisonTests: XCTestCase {
    func testSimilarityIgnoresPunctuationCaseDashesAndSpacing() {
        XCTAssertEqual(
            TextComparison.similarity(
                "Strategisk inriktning – Integrationssamverkan",
                "STRATEGISK  inriktning: integrationssamverkan."), 1)
        XCTAssertEqual(
            TextComparison.similarity(
                "Roll- och ansvarsfördelning", "roll och ansvarsfördelning"), 1)
        XCTAssertEqual(TextComparison.similarity("• Boende", "Boende"), 1)
    }

    func testWordsAreRunsOfWordCharacters() {
        XCTAssertEqual(
            TextComparison.words("## 3.2 Mål, t.ex. e-post – 75 % | • Ja!"),
            ["3", "2", "Mål", "t", "ex", "e", "post", "75", "Ja"])
        XCTAssertEqual(TextComparison.words("avgränsning¹"), ["avgränsning¹"])
        XCTAssertEqual(TextComparison.matchTokens("Å ÖVER"), ["å", "över"])
    }

    func testSimilarityNormalisesUnicode() {
        let decomposed = "Bedo\u{0308}mning"  // o + combining diaeresis
        XCTAssertEqual(TextComparison.similarity(decomposed, "bedömning"), 1)
    }

    func testSimilarityCountsWordsAndKeepsDiacritics() {
        // 2·LCS/(|a|+|b|): 4 common words of 6 and 4 → 8/10, just a match.
        let s = TextComparison.similarity(
            "Mål och förväntade resultat i år", "Mål och förväntade resultat")
        XCTAssertEqual(s, 8.0 / 10.0, accuracy: 1e-9)
        XCTAssertLessThan(TextComparison.similarity("bedömning", "bedomning"), 0.8)
        XCTAssertEqual(TextComparison.similarity("", ""), 1)
        XCTAssertEqual(TextComparison.similarity("", "ord"), 0)
    }

    func testEditDistanceOnTinySequences() {
        func d(_ a: String, _ b: String) -> Int {
            TextComparison.editDistance(TextComparison.words(a), TextComparison.words(b))
        }
        XCTAssertEqual(d("a b c", "a b c"), 0)
        XCTAssertEqual(d("a b c", "a x c"), 1)  // substitution
        XCTAssertEqual(d("a b c", "a c"), 1)  // deletion
        XCTAssertEqual(d("a c", "a b c"), 1)  // insertion
        XCTAssertEqual(d("", "a b"), 2)
        XCTAssertEqual(d("kitten sat on mat", "sitting sat mat on"), 3)
    }

    func testBandedEditDistanceAgreesWithFullTable() {
        // Long random sequences force the band to widen; compare with the textbook table.
        var generator = SplitMix64(seed: 42)
        for _ in 0..<20 {
            let n = Int(generator.next() % 300)
            let m = Int(generator.next() % 300)
            let alphabet = Int32(1 + generator.next() % 6)
            let a = (0..<n).map { _ in Int32(generator.next() % UInt64(alphabet)) }
            let b = (0..<m).map { _ in Int32(generator.next() % UInt64(alphabet)) }
            XCTAssertEqual(TextComparison.editDistance(ids: a, b), fullTable(a, b))
        }
    }

    func testWordAccuracyFromWER() {
        let s = TextScorer.score(
            output: "Vår bedömning är att det finns brister",
            gold: "Vår bedömning är att det finns tydliga brister")
        XCTAssertEqual(s.goldWords, 8)
        XCTAssertEqual(s.wordErrors, 1)
        XCTAssertEqual(s.wordAccuracy!, 7.0 / 8.0, accuracy: 1e-9)
        XCTAssertEqual(TextScorer.score(output: "", gold: "två ord").wordAccuracy, 0)
    }

    func testDiacriticAccuracyCountsGoldWordsWithDiacritics() {
        // Gold diacritic words: Vår, bedömning, är, nämnderna, försörjningsstöd, är (6).
        let s = TextScorer.score(
            output: "var bedömning ar att nämnderna har forsorjningsstod och är",
            gold: "Vår bedömning är att nämnderna har försörjningsstöd och är")
        XCTAssertEqual(s.diacriticWords, 6)
        // bedömning, nämnderna and one "är": the output has a single "är" to give.
        XCTAssertEqual(s.diacriticWordsFound, 3)
        XCTAssertEqual(s.diacriticAccuracy, 0.5)
    }

    func testConfusionsCountMisreadWordsMostFrequentFirst() {
        let confusions = TextScorer.confusions(
            output: "Var bedomning ar att det ar klart och 1 grund",
            gold: "Vår bedömning är att det är klart och i grund")
        XCTAssertEqual(
            confusions,
            [
                Confusion(gold: "är", output: "ar", count: 2),
                Confusion(gold: "Vår", output: "Var", count: 1),
                Confusion(gold: "bedömning", output: "bedomning", count: 1),
                Confusion(gold: "i", output: "1", count: 1),
            ])
        XCTAssertEqual(TextScorer.confusions(output: "samma ord", gold: "samma ord"), [])
    }

    func testRepairScoreLineByLine() throws {
        let input = "Var bedomning ar\nklar och tydlig\nsida 3\n"
        let repaired = "Vår bedömning är\nklar och tydlig\nsida 3\n"
        // Layout joined the lines, dropped the page line and repair broke "tydlig".
        let output = "Vår bedömning ar klar och tydlíg\n"
        let s = try RepairScorer.score(input: input, output: output, repaired: repaired)
        XCTAssertEqual(s.words, 8)
        XCTAssertEqual(s.correctInInput, 5)
        XCTAssertEqual(s.correct, 6)  // Vår bedömning klar och sida 3
        XCTAssertEqual(s.fixed, 2)
        XCTAssertEqual(s.broken, 1)
        XCTAssertThrowsError(try RepairScorer.score(input: "a\nb", output: "a b", repaired: "a"))
    }

    private func project(_ lines: [String], _ output: String) -> [[String]] {
        RepairScorer.projectOntoLines(
            inputLines: lines, inputWords: lines.map(TextComparison.words),
            outputWords: TextComparison.words(output))
    }

    func testRepairProjectionKeepsLinesAcrossMendedHyphens() {
        // Layout mended the hyphen: the same letters, so the input words stand.
        XCTAssertEqual(
            project(
                ["integrations- och arbets-", "marknadsfrågor"],
                "integrations- och arbetsmarknadsfrågor"),
            [["integrations", "och", "arbets"], ["marknadsfrågor"]])
        // Mended and repaired: the letters are cut at the input words' lengths.
        XCTAssertEqual(
            project(["arbets-", "marknadsfragor"], "arbetsmarknadsfrågor"),
            [["arbets"], ["marknadsfrågor"]])
        // Different lengths: paired in order, the rest of the input stands.
        XCTAssertEqual(
            project(["arbets-", "marknad fragor och"], "arbetsmarknadsfrågor och"),
            [["arbetsmarknadsfrågor"], ["marknad", "fragor", "och"]])
    }

    func testRepairProjectionPlacesWordsReadFromPunctuation() {
        XCTAssertEqual(project(["att | allt"], "att I allt"), [["att", "I", "allt"]])
        XCTAssertEqual(
            project(
                ["som tidigare. |", "personakt och.", "| det foljande"],
                "som tidigare. I personakt och. I det följande"),
            [["som", "tidigare", "I"], ["personakt", "och"], ["I", "det", "följande"]])
    }

    private func fullTable(_ a: [Int32], _ b: [Int32]) -> Int {
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                d[i][j] = min(
                    d[i - 1][j] + 1, d[i][j - 1] + 1,
                    d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
        }
        return d[a.count][b.count]
    }
}

/// A small deterministic generator, so the randomised test always checks the same cases.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
