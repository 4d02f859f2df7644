import Foundation
import XCTest

@testable import Granska

/// Folded keys: the table-driven fast path agrees with the definition.
final class TextKeyTests: XCTestCase {
    /// Scalars report text is made of, and some the tables do not cover, mixed at random
    /// into texts of a few dozen scalars (a fixed seed: the same texts every run).
    func testFoldTablesAgreeWithTheDefinition() {
        var alphabet: [Unicode.Scalar] = []
        for value: UInt32 in 0..<0x100 { alphabet.append(Unicode.Scalar(value)!) }
        let extra: [UInt32] = [
            0x2013, 0x2014, 0x201C, 0x201D, 0x2019, 0x2022, 0x2026, 0x2000, 0x2028, 0x200B,
            0x200D, 0x20AC, 0x2192, 0x25AA, 0x25A0, 0x25E6, 0x2713, 0x2756, 0x27A2, 0x0101,
            0x0130, 0x0301, 0x0308, 0x212A, 0x017F, 0x1E9E, 0xFB01, 0x2074, 0x2122, 0x2126,
            0x212B, 0x207F, 0x2070, 0x2153,
        ]
        alphabet += extra.map { Unicode.Scalar($0)! }
        let common: [Unicode.Scalar] = Array("aeö6606 0Ø0é6É6åÄ\r\n".unicodeScalars)
        var generator = SplitMix64(seed: 42)
        var covered = 0
        for _ in 0..<20_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int(generator.next() % 40) {
                let pick = generator.next()
                let pool = pick % 3 == 0 ? alphabet : common
                text.append(pool[Int((pick >> 8) % UInt64(pool.count))])
            }
            let string = String(text)
            let expected = TextKey.foldScalarByScalar(string)
            if let fast = FoldTable.shared.fold(string) {
                covered += 1
                XCTAssertEqual(
                    Array(fast.unicodeScalars), Array(expected.unicodeScalars),
                    "fold of \(Array(string.unicodeScalars).map { String($0.value, radix: 16) })")
            }
            XCTAssertEqual(
                Array(TextKey.fold(string).unicodeScalars), Array(expected.unicodeScalars))
        }
        XCTAssertGreaterThan(covered, 10_000)
    }

    func testFoldExamples() {
        XCTAssertEqual(TextKey.fold("Bedömning"), "bedomning")
        XCTAssertEqual(TextKey.fold("bed6ma"), "bedoma")
        XCTAssertEqual(TextKey.fold("Målvärde 2024 – “Kvalitet”"), "malvarde 2024 – “kvalitet”")
        XCTAssertEqual(TextKey.fold("Område 60"), "omrade 60")
    }
}
