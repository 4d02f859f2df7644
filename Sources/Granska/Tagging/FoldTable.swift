import Foundation

/// ``TextKey/fold(_:)`` from per-scalar tables, for text made only of scalars in a covered
/// set: Latin-1 and the punctuation, superscripts, currency and letterlike signs, arrows,
/// shapes and dingbats of report text (dashes, quotes, bullets, footnote marks, ™). The structure stage folds every block, sentence and
/// candidate it looks at, and the definition's lower-casing, Character walks and ICU calls
/// cost more than the rest of the rule matching.
///
/// The tables are built from the definition itself — `String.lowercased()`, the Latin mark
/// table and ``ICU/strippingMarks(_:)`` applied to each covered scalar — so the result is
/// the definition's: in the covered set every scalar is a grapheme of its own (CR LF aside,
/// which is neither a letter nor a digit either way), lower-cases and strips independently
/// of its neighbours, and the text takes the definition's ICU path exactly when one of its
/// scalars would send it there.
struct FoldTable: Sendable {
    static let shared = FoldTable()

    /// What one covered scalar folds to.
    struct Entry: Sendable {
        /// Whether the tables hold this scalar (else texts with it take the definition).
        var isCovered = false
        /// Folded scalar when no scalar of the text needs ICU.
        var plain: UInt32 = 0
        /// Folded scalar when some scalar does (ICU strips marks from the whole text).
        var marked: UInt32 = 0
        /// Whether this scalar sends the whole text through ICU.
        var needsICU = false
        /// `Character.isLetter` and `Character.isNumber` of this scalar, for the digit rule.
        var isLetter = false
        var isNumber = false
    }

    private let entries: [Entry]

    /// Table position of a covered scalar's range, nil outside the ranges. Zero-width
    /// (non-)joiners are left out: they join the grapheme before them. So are the en and em
    /// quads: Foundation's search for "é" (in the definition's ICU path) also finds an "e"
    /// before one of them.
    @inline(__always)
    static func position(_ value: UInt32) -> Int? {
        switch value {
        case 0..<0x100: return Int(value)
        case 0x2000, 0x2001, 0x200C, 0x200D: return nil
        case 0x2000..<0x2070: return 0x100 + Int(value - 0x2000)
        case 0x20A0..<0x20D0: return 0x170 + Int(value - 0x20A0)
        case 0x2190..<0x2200: return 0x1A0 + Int(value - 0x2190)
        case 0x2500..<0x27C0: return 0x210 + Int(value - 0x2500)
        case 0x2070..<0x20A0: return 0x4D0 + Int(value - 0x2070)
        // The ohm, kelvin and ångström signs are left out for the same reason as the quads.
        case 0x2126, 0x212A, 0x212B: return nil
        case 0x2100..<0x2150: return 0x500 + Int(value - 0x2100)
        default: return nil
        }
    }

    private static let ranges: [Range<UInt32>] = [
        0..<0x100, 0x2000..<0x2070, 0x20A0..<0x20D0, 0x2190..<0x2200, 0x2500..<0x27C0,
        0x2070..<0x20A0, 0x2100..<0x2150,
    ]

    private init() {
        var entries = [Entry](repeating: Entry(), count: 0x550)
        var lowered: [(position: Int, scalar: Unicode.Scalar)] = []
        for range in FoldTable.ranges {
            for value in range {
                guard let position = FoldTable.position(value),
                    let scalar = Unicode.Scalar(value)
                else { continue }
                entries[position].isLetter = Character(scalar).isLetter
                entries[position].isNumber = Character(scalar).isNumber
                let lower = String(Character(scalar)).lowercased().unicodeScalars
                guard lower.count == 1, let l = lower.first else { continue }
                lowered.append((position, l))
            }
        }
        // The ICU path strips marks from the lower-cased text with "é" read as "ö": one ICU
        // call for every non-ASCII scalar, one per line.
        let icuInput = lowered.filter { !$0.scalar.isASCII }
            .map { $0.scalar == "é" ? "ö" : String(Character($0.scalar)) }
            .joined(separator: "\n")
        let icuOutput = ICU.strippingMarks(icuInput).split(
            separator: "\n", omittingEmptySubsequences: false)
        let icuCount = lowered.filter { !$0.scalar.isASCII }.count
        guard icuOutput.count == icuCount else {
            self.entries = entries
            return
        }
        var next = 0
        for (position, l) in lowered {
            var entry = entries[position]
            if l.isASCII {
                entry.plain = l.value
                entry.marked = l.value
            } else {
                let stripped = icuOutput[next].unicodeScalars
                next += 1
                guard stripped.count == 1, let marked = stripped.first,
                    FoldTable.position(marked.value) != nil
                else { continue }
                entry.marked = marked.value
                if let base = TextKey.latinBase[l.value] {
                    entry.plain = base.value
                } else if l.properties.generalCategory == .nonspacingMark || l.value >= 0x250 {
                    entry.needsICU = true
                } else {
                    entry.plain = l.value
                }
            }
            guard FoldTable.position(entry.plain) != nil else { continue }
            entry.isCovered = true
            entries[position] = entry
        }
        self.entries = entries
    }

    /// The folded key of `text`, or nil when a scalar of it is not covered.
    func fold(_ text: String) -> String? {
        var needsICU = false
        var count = 0
        for scalar in text.unicodeScalars {
            guard let p = FoldTable.position(scalar.value), entries[p].isCovered else {
                return nil
            }
            needsICU = needsICU || entries[p].needsICU
            count += 1
        }
        var folded: [UInt32] = []
        folded.reserveCapacity(count)
        var hasDigitO = false
        for scalar in text.unicodeScalars {
            let entry = entries[FoldTable.position(scalar.value)!]
            let value = needsICU ? entry.marked : entry.plain
            hasDigitO = hasDigitO || value == 0x36 || value == 0x30
            folded.append(value)
        }
        if hasDigitO {
            let o: UInt32 = 0x6F
            var result = folded
            for (i, value) in folded.enumerated() where value == 0x36 || value == 0x30 {
                let previous = i > 0 ? entries[FoldTable.position(folded[i - 1])!] : nil
                let next = i + 1 < folded.count ? entries[FoldTable.position(folded[i + 1])!] : nil
                if TextKey.digitReadsAsO(
                    value == 0x36, before: previous?.isLetter ?? false,
                    after: next?.isLetter ?? false, afterDigit: previous?.isNumber ?? false)
                {
                    result[i] = o
                }
            }
            folded = result
        }
        // Covered scalars are all in the Basic Multilingual Plane: at most three UTF-8 bytes.
        var utf8: [UInt8] = []
        utf8.reserveCapacity(folded.count * 2)
        for value in folded {
            if value < 0x80 {
                utf8.append(UInt8(value))
            } else if value < 0x800 {
                utf8.append(UInt8(0xC0 | (value >> 6)))
                utf8.append(UInt8(0x80 | (value & 0x3F)))
            } else {
                utf8.append(UInt8(0xE0 | (value >> 12)))
                utf8.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
                utf8.append(UInt8(0x80 | (value & 0x3F)))
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }
}
