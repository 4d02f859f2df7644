import Foundation
import XCTest

@testable import Granska

/// The structure stage's byte-level shortcuts give the answers of the definitions they
/// stand in for, on the corpus texts and on texts made to trip them.
final class StructureFastPathTests: XCTestCase {
    /// Lines of the corpus texts, with texts whose scalars defeat the byte paths.
    static let texts: [String] = {
        var lines: [String] = []
        for name in ["lindesberg-2022.gold.txt", "vanersborg-2022.gold.txt", "alingsas-2024.txt"] {
            let text = (try? String(contentsOfFile: FixturePaths.corpus(name), encoding: .utf8))
            lines += (text ?? "").split(separator: "\n").map(String.init)
        }
        return lines + [
            "", " ", "  a  b ", "e\u{301} att", "a \u{301}b", "x\u{200D} y", "\u{212A}PMG",
            "Stra\u{DF}e kommun", "SOCIALNÄMNDEN och Kommunstyrelsen",
            "barn- och utbildningsnämnden.",
            "1. Säkerställa", "١. Test", "ſtyrelsen", "“Målet” är att öka – 2022–2024",
        ]
    }()

    func testWordCountAgreesWithSplit() {
        for t in Self.texts {
            XCTAssertEqual(t.wordCount, t.split(separator: " ").count, t)
            let sub = t.dropFirst()
            XCTAssertEqual(sub.wordCount, sub.split(separator: " ").count, t)
        }
    }

    /// The byte path takes the Kelvin, ohm and ångström signs (letterlike block) for
    /// themselves, where Foundation finds "K" in the Kelvin sign, its canonical equivalent:
    /// a difference `includes(_:)` has always had, left out here.
    func testIncludesAgreesWithFoundation() {
        let singletons: Set<Unicode.Scalar> = ["\u{212A}", "\u{212B}", "\u{2126}"]
        for t in Self.texts where !t.unicodeScalars.contains(where: singletons.contains) {
            for needle in ["att", " | ", "mal", "e", "K", "rekommend"] {
                XCTAssertEqual(t.includes(needle), t.contains(needle), "\(t) / \(needle)")
            }
        }
    }

    func testSearchesLikeBytesIsTheScalarRule() {
        func rule(_ v: UInt32) -> Bool {
            v < 0x300 || (0x2010..<0x2028).contains(v) || (0x2030..<0x20D0).contains(v)
                || (0x2100..<0x2800).contains(v)
        }
        for v in UInt32(0)..<0x3100 {
            guard let s = Unicode.Scalar(v) else { continue }
            var text = "a" + String(Character(s)) + "b"
            let fast = text.withUTF8 { UTF8Text.searchesLikeBytes($0) }
            XCTAssertEqual(fast, rule(v), String(v, radix: 16))
        }
    }

    /// The guarded patterns of the stage (tried below on texts and on their folded keys).
    static let guarded: [GuardedPattern] =
        [
            GoalExtractor.goalWord, GoalExtractor.tableHeader, GoalExtractor.gluedHeader,
            GoalExtractor.target, GoalExtractor.goalSentence, GoalExtractor.goalOpening,
            GoalExtractor.indicatorOutcome, GoalExtractor.quotedGoal, GoalExtractor.planYear,
            GoalExtractor.year, GoalExtractor.yearRange, GoalExtractor.enumeration,
            BodyNames.pattern, BodyNames.plural, SectionDetector.captionPrefix,
            SectionDetector.lawReference, SectionDetector.footnotePrefix,
            SectionDetector.strayPattern, AssessmentExtractor.questionLine,
            RecommendationExtractor.inline, MetadataExtractor.municipalityPattern,
            MetadataExtractor.regionPattern,
        ] + FirmLexicon.firms.map(\.pattern)

    func testGuardsNeverRejectAMatch() {
        var inputs: [String] = []
        for t in Self.texts {
            inputs.append(t)
            inputs.append(TextKey.fold(t))
            inputs += SentenceSplitter().split(t).map(\.text)
        }
        for p in Self.guarded {
            for t in inputs where Patterns.firstMatch(p.regex, in: t) != nil {
                XCTAssertTrue(p.mayMatch(t), "\(p.regex.pattern) / \(t)")
                XCTAssertTrue(p.mayMatch(GuardedPattern.Lowered(t)), "\(p.regex.pattern) / \(t)")
            }
        }
    }

    func testSearchedPartsHoldTheSameBodyNames() {
        let p = BodyNames.pattern
        func names(_ text: String) -> [String] {
            Patterns.matches(p.regex, in: text).compactMap { Patterns.group($0, 1, in: text) }
        }
        for t in Self.texts {
            let parts = p.searchedParts(of: t, wordsApart: { !$0.contains(UInt8(ascii: "-")) })
            XCTAssertEqual(parts.map(names) ?? [], names(t), t)
            XCTAssertEqual(p.searchedParts(of: t).map(names) ?? [], names(t), t)
        }
    }

    func testFirmCountsAreTheWholeTextCounts() {
        let whole = Self.texts.joined(separator: "\n")
        var expected: [String: Int] = [:]
        for f in FirmLexicon.firms {
            let n = Patterns.matches(f.pattern.regex, in: whole).count
            if n > 0 { expected[f.name] = n }
        }
        XCTAssertEqual(FirmLexicon.counts(in: whole), expected)
        for t in Self.texts + ["KPMG. Ernst & Young (EY) och Grant  Thornton: PwC"] {
            for f in FirmLexicon.firms where !f.pattern.regex.pattern.hasPrefix("^") {
                let n =
                    f.pattern.searchedParts(of: t).map {
                        Patterns.matches(f.pattern.regex, in: $0).count
                    } ?? 0
                XCTAssertEqual(n, Patterns.matches(f.pattern.regex, in: t).count, t)
            }
        }
    }

    /// Cells whose text is their own " | " join come back as they are, as the word-by-word
    /// rule gives them; a cell opening with a combining mark is left to the rule.
    func testAlignedCellsOfTheirOwnText() {
        let rows: [[String]] = [
            ["Mål", "Målvärde 2024"], ["a  b", " c", "d |"], ["x", "\u{301}abcd"], ["e"],
        ]
        for cells in rows {
            let text = cells.joined(separator: " | ")
            XCTAssertEqual(TextUnit.aligned(cells, to: text), Self.alignedByRule(cells, text))
        }
    }

    /// ``TextUnit/aligned(_:to:)`` as it was written before its shortcut.
    static func alignedByRule(_ cells: [String], _ text: String) -> [String] {
        let cellWords = cells.map { $0.split(separator: " ") }
        var words = text.split(separator: " ")
        if words.count != cellWords.reduce(0, { $0 + $1.count }) { words.removeAll { $0 == "|" } }
        guard words.count == cellWords.reduce(0, { $0 + $1.count }) else { return cells }
        var result: [String] = []
        var k = 0
        var changed = false
        for cw in cellWords {
            let mine = words[k..<(k + cw.count)]
            k += cw.count
            for (a, b) in zip(cw, mine) where a != b {
                guard a.count == b.count || abs(a.count - b.count) <= 1 && a.count >= 4,
                    a.first?.lowercased() == b.first?.lowercased() || !(a.first?.isLetter ?? true)
                else { return cells }
                changed = true
            }
            result.append(mine.joined(separator: " "))
        }
        return changed ? result : cells
    }

    func testItemNumberCheckNeverRejectsAMatch() {
        for t in Self.texts where Patterns.firstMatch(TextUnit.itemNumber, in: t) != nil {
            XCTAssertTrue(TextUnit.mayOpenWithItemNumber(t), t)
        }
        for t in Self.texts
        where Patterns.firstMatch(SectionDetector.strayPattern.regex, in: t) != nil
            || Patterns.firstMatch(SectionDetector.footnotePrefix.regex, in: t) != nil
        {
            XCTAssertTrue(UTF8Text.mayOpenWithDigit(t), t)
        }
    }

    func testIsTolerantlySimilarAgrees() {
        let sentences = Array(
            Self.texts.flatMap { SentenceSplitter().split($0).map(\.text) }
                .prefix(300))
        for (i, a) in sentences.enumerated() {
            for b in sentences[i...].prefix(40) {
                let s = TextKey.tolerantSimilarity(a, b)
                for threshold in [0.8, 0.92] {
                    XCTAssertEqual(
                        TextKey.isTolerantlySimilar(a, b, atLeast: threshold), s >= threshold,
                        "\(a) / \(b)")
                }
            }
        }
    }

    func testSentenceTextsAreTheirRanges() {
        for t in Self.texts {
            let scalars = Array(t.unicodeScalars)
            for s in SentenceSplitter().split(t) {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[s.range])
                XCTAssertEqual(Array(s.text.utf8), Array(String(view).utf8), t)
            }
        }
    }
}
