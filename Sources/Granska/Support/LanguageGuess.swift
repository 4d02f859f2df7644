/// A quick guess at whether a text is Swedish, from its function words.
///
/// The repair stage restores Swedish spelling; run on an English appendix or an English
/// report in an archive it would "repair" "of" into "öf". Function words survive English
/// OCR well enough (their stripped forms are counted too: "pa", "ar"), so their shares tell
/// the languages apart without a model.
public enum LanguageGuess {
    static let swedish: Set<String> = [
        "och", "att", "som", "det", "den", "ett", "en", "av", "med", "till", "har", "om",
        "inte", "de", "vi", "kan", "ska", "pa", "ar", "fran", "eller", "samt", "vid", "sig",
        "under", "efter", "hur", "vilka", "detta", "dessa", "ocksa", "aven", "nar", "mot",
    ]
    static let english: Set<String> = [
        "the", "of", "and", "to", "is", "that", "with", "as", "by", "this", "are", "be", "or",
        "on", "which", "from", "it", "was", "were", "have", "has", "not", "can", "an", "these",
    ]

    /// Whether `text` reads as Swedish rather than English. Texts with too few function
    /// words to tell count as Swedish (the tool's default language).
    public static func isSwedish(_ text: String) -> Bool {
        let (sv, en) = quickFunctionWordCounts(text) ?? functionWordCounts(text)
        guard sv + en >= 20 else { return true }
        return Double(en) <= 1.5 * Double(sv)
    }

    /// Swedish and English function words among the first 50,000 characters, by definition.
    static func functionWordCounts(_ text: String) -> (sv: Int, en: Int) {
        var sv = 0
        var en = 0
        var word = ""
        func count() {
            guard !word.isEmpty else { return }
            if swedish.contains(word) { sv += 1 } else if english.contains(word) { en += 1 }
            word = ""
        }
        // The first 50,000 letters decide; function words are short, so the Swedish letters
        // are folded by hand ("på" → "pa") instead of through ICU.
        for c in text.prefix(50_000).lowercased() {
            switch c {
            case "å", "ä": word.append("a")
            case "ö": word.append("o")
            case "é": word.append("e")
            default:
                if c.isLetter { word.append(c) } else { count() }
            }
        }
        count()
        return (sv, en)
    }

    /// The longest function word: a longer word is none.
    private static let longestWord = swedish.union(english).map(\.utf8.count).max() ?? 0

    /// What one scalar below U+0250 lower-cases to, and whether that is a letter.
    /// Nil where it lower-cases to more than one scalar ("İ" to "i̇").
    private static let lowerBelow0250: [(value: UInt32, isLetter: Bool)?] = (0..<0x250).map {
        value in
        let lower = String(Character(Unicode.Scalar(UInt32(value))!)).lowercased()
        guard lower.unicodeScalars.count == 1, let scalar = lower.unicodeScalars.first else {
            return nil
        }
        return (scalar.value, Character(scalar).isLetter)
    }

    /// ``functionWordCounts(_:)`` over scalars instead of Characters (the page text is long
    /// and walking Characters dominated the guess), or nil when the text has a scalar for
    /// which the two could differ. Below U+0250 (but for "İ", which lower-cases to two
    /// scalars) and in the blocks of ``isSimpleBlock(_:)``, every
    /// scalar is a Character of its own (CR LF aside, neither a letter either way) and
    /// lower-cases to one scalar; a word matches a function word only when it is ASCII.
    static func quickFunctionWordCounts(_ text: String) -> (sv: Int, en: Int)? {
        var sv = 0
        var en = 0
        var word: [UInt8] = []
        var wordIsASCII = true
        func count() {
            defer {
                word.removeAll(keepingCapacity: true)
                wordIsASCII = true
            }
            guard !word.isEmpty, wordIsASCII, word.count <= longestWord else { return }
            let w = String(decoding: word, as: UTF8.self)
            if swedish.contains(w) { sv += 1 } else if english.contains(w) { en += 1 }
        }
        var characters = 0
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let isCRLFTail = previousWasCR && value == 0x0A
            previousWasCR = value == 0x0D
            if !isCRLFTail {
                if characters == 50_000 { break }
                characters += 1
            }
            let lower: UInt32
            let isLetter: Bool
            if value < 0x250 {
                guard let entry = lowerBelow0250[Int(value)] else { return nil }
                (lower, isLetter) = entry
            } else if LanguageGuess.isSimpleBlock(value) {
                let mapped = scalar.properties.lowercaseMapping.unicodeScalars
                guard mapped.count == 1, let l = mapped.first else { return nil }
                (lower, isLetter) = (l.value, Character(l).isLetter)
            } else {
                return nil
            }
            switch lower {
            case 0xE5, 0xE4: word.append(0x61)  // å, ä
            case 0xF6: word.append(0x6F)  // ö
            case 0xE9: word.append(0x65)  // é
            default:
                if isLetter {
                    if lower < 0x80 {
                        word.append(UInt8(lower))
                    } else {
                        word.append(0)  // stands for a non-ASCII letter: no function word
                        wordIsASCII = false
                    }
                } else {
                    count()
                }
            }
        }
        count()
        return (sv, en)
    }

    /// Punctuation, superscripts, currency and letterlike signs, arrows, shapes and dingbats:
    /// blocks without combining or joining scalars.
    private static func isSimpleBlock(_ value: UInt32) -> Bool {
        switch value {
        case 0x2010..<0x2028, 0x2030..<0x2060, 0x2070..<0x20C0, 0x2100..<0x2150, 0x2190..<0x2200,
            0x2500..<0x2800:
            return true
        default:
            return false
        }
    }
}
