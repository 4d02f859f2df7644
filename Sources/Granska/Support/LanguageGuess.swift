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
        guard sv + en >= 20 else { return true }
        return Double(en) <= 1.5 * Double(sv)
    }
}
