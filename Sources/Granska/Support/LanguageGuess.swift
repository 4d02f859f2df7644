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
        var sv = 0
        var en = 0
        var word = ""
        func count() {
            guard !word.isEmpty else { return }
            let key = ICU.strippingMarks(word)
            if swedish.contains(key) { sv += 1 } else if english.contains(key) { en += 1 }
            word = ""
        }
        for c in text.lowercased() {
            if c.isLetter { word.append(c) } else { count() }
        }
        count()
        guard sv + en >= 20 else { return true }
        return Double(en) <= 1.5 * Double(sv)
    }
}
