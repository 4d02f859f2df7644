import CICUShim

/// Swift face of the system ICU, through the opaque `CICUShim` C target.
///
/// All functions take and return Swift strings; the shim's malloc'd buffers are released
/// here, so callers never touch C memory.
public enum ICU {
    /// The ICU version in use, e.g. "72.1".
    public static var version: String { String(cString: granska_icu_version()) }

    /// Unicode normalisation forms.
    public enum NormalizationForm: Int32, Sendable {
        case nfc = 0
        case nfd = 1
        case nfkc = 2
    }

    /// Normalises `text` (NFC by default).
    public static func normalize(_ text: String, _ form: NormalizationForm = .nfc) -> String {
        if form == .nfc, text.utf8.allSatisfy({ $0 < 0x80 }) { return text }  // ASCII is NFC
        return call(text) { p, n, out in granska_icu_normalize(p, n, form.rawValue, out) }
    }

    /// Lower-cases with Swedish rules.
    public static func lowercased(_ text: String, locale: String = "sv") -> String {
        call(text) { p, n, out in granska_icu_case(p, n, Int32(GRANSKA_ICU_LOWER), locale, out) }
    }

    /// Upper-cases with Swedish rules.
    public static func uppercased(_ text: String, locale: String = "sv") -> String {
        call(text) { p, n, out in granska_icu_case(p, n, Int32(GRANSKA_ICU_UPPER), locale, out) }
    }

    /// Full Unicode case folding, for caseless comparison.
    public static func caseFolded(_ text: String) -> String {
        call(text) { p, n, out in granska_icu_case(p, n, Int32(GRANSKA_ICU_FOLD), "", out) }
    }

    /// Removes diacritics: "bedömning" → "bedomning", "Å" → "A".
    public static func strippingMarks(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        return call(text) { p, n, out in granska_icu_strip_marks(p, n, out) }
    }

    /// A segment of text between two word boundaries.
    public struct WordSegment: Sendable, Hashable {
        /// UTF-8 byte range in the input.
        public var utf8Range: Range<Int>
        /// ICU rule status: 0 none (space, punctuation), 100..<200 number, 200..<300 letter.
        public var status: Int32
        public var isWord: Bool { status >= 100 }
        public var isNumber: Bool { status >= 100 && status < 200 }
        public var isLetters: Bool { status >= 200 && status < 300 }
    }

    /// Splits `text` at ICU word boundaries (Swedish rules).
    public static func wordSegments(_ text: String, locale: String = "sv") -> [WordSegment] {
        var copy = text
        return copy.withUTF8 { buffer -> [WordSegment] in
            guard buffer.count > 0 else { return [] }
            var bounds: UnsafeMutablePointer<Int32>?
            var statuses: UnsafeMutablePointer<Int32>?
            let count = buffer.withMemoryRebound(to: CChar.self) { chars in
                granska_icu_word_boundaries(
                    chars.baseAddress, Int32(buffer.count), locale, &bounds, &statuses)
            }
            defer {
                granska_icu_free(bounds)
                granska_icu_free(statuses)
            }
            guard count > 1, let bounds, let statuses else { return [] }
            var segments: [WordSegment] = []
            segments.reserveCapacity(Int(count) - 1)
            for i in 0..<(Int(count) - 1) {
                segments.append(
                    WordSegment(
                        utf8Range: Int(bounds[i])..<Int(bounds[i + 1]), status: statuses[i]))
            }
            return segments
        }
    }

    private static func call(
        _ text: String,
        _ body: (UnsafePointer<CChar>?, Int32, UnsafeMutablePointer<Int32>) -> UnsafeMutablePointer<
            CChar
        >?
    ) -> String {
        var copy = text
        return copy.withUTF8 { buffer -> String in
            var outLength: Int32 = 0
            let result = buffer.withMemoryRebound(to: CChar.self) { chars in
                body(chars.baseAddress, Int32(buffer.count), &outLength)
            }
            guard let result else { return text }
            defer { granska_icu_free(result) }
            return String(
                decoding: UnsafeRawBufferPointer(start: result, count: Int(outLength)),
                as: UTF8.self)
        }
    }
}
