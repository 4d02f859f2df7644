import Foundation

/// Normalises the report's own verdict wording to a ``Verdict``.
///
/// Two readings: a short answer cell or line ("Ja", "Delvis", "Ja, i allt väsentligt",
/// "Nej") and graded assessment prose ("Vår bedömning är att nämnden delvis säkerställt …",
/// "… som inte helt tydlig", "fungerar väl"). Cues are matched on folded keys, so OCR text
/// without diacritics grades the same.
public struct VerdictClassifier: Sendable {
    public init() {}

    /// A verdict with the cue that decided it.
    public struct Reading: Sendable, Equatable {
        public var verdict: Verdict
        public var cue: String
    }

    /// Short answers, longest first so "ja, i allt vasentligt" wins over "ja".
    static let answers: [(String, Verdict)] = [
        ("ja, i allt vasentligt", .largely), ("ja i allt vasentligt", .largely),
        ("i allt vasentligt", .largely), ("i huvudsak", .largely), ("till stor del", .largely),
        ("nej, inte helt", .partly), ("delvis", .partly), ("till viss del", .partly),
        ("ej bedomd", .notAssessed), ("ej bedomt", .notAssessed), ("ej aktuell", .notAssessed),
        ("ingen bedomning", .notAssessed), ("ja, delvis", .partly), ("ja delvis", .partly),
        ("i huvudsak uppfyllt", .largely), ("i huvudsak uppfylld", .largely),
        ("delvis uppfyllt", .partly), ("delvis uppfylld", .partly), ("ej uppfyllt", .no),
        ("ej uppfylld", .no), ("inte uppfyllt", .no), ("inte uppfylld", .no),
        ("uppfyllt", .yes), ("uppfylld", .yes), ("ja", .yes), ("nej", .no),
    ]

    /// Graded phrases in prose, in order of precedence: hedges before negations before
    /// plain affirmations, so "inte helt tydlig" reads as partly, not no.
    static let largelyCues = [
        "i allt vasentligt", "i huvudsak", "till stora delar", "till stor del", "i stort sett",
        "overvagande", "i mangt och mycket", "i hog grad",
    ]
    static let partlyCues = [
        "delvis", "till viss del", "inte helt", "inte fullt ut", "inte alltid", "inte lika",
        "inte fullt", "relativt", "kan utvecklas", "behover utvecklas", "bor utvecklas",
        "kan forbattras", "behover forbattras", "behover forstarkas", "kan forstarkas",
        "vissa brister", "brister i", "otydlig", "i varierande grad", "i begransad",
        "inte tillrackligt tydlig", "kan tydliggoras", "behover tydliggoras",
    ]
    static let noCues = [
        "inte i tillracklig", "inte tillrackligt", "inte har", "inte", "ej", "saknas", "saknar",
        "otillracklig", "bristande", "brister", "nej",
    ]
    static let yesCues = [
        "fungerar val", "fungera val", "valfungerande", "ar tydlig", "finns en tydlig",
        "finns tydliga", "sakerstaller", "sakerstallt", "har tillsett", "finns", "har",
        "tillfredsstallande", "andamalsenlig", "god", "goda", "tydlig", "fungerar",
        "tillracklig", "ja",
    ]

    /// Reads a short answer ("Delvis", "Ja, i allt väsentligt."), nil if the text is not one.
    public func answer(_ text: String) -> Reading? {
        var key = TextKey.fold(text).trimmingCharacters(in: CharacterSet(charactersIn: " .!:;"))
        // "Svar: Delvis", "Bedömning – Ja": a label before the answer.
        for label in ["svar", "bedomning", "var bedomning", "svar pa revisionsfragan"] {
            for separator in [":", " –", " -", " —"] where key.hasPrefix(label + separator) {
                key = String(key.dropFirst(label.count + separator.count))
                    .trimmingCharacters(in: CharacterSet(charactersIn: " .!:;–-—"))
            }
        }
        for (cue, verdict) in VerdictClassifier.answers {
            if key == cue || key.hasPrefix(cue + " ") || key.hasPrefix(cue + ",")
                || key.hasPrefix(cue + ".")
            {
                // "Ja" must stand as a word: "Jag" or "Januari" are not answers. The raw
                // wording is the report's own, found past any label.
                let raw =
                    text.range(of: cue, options: [.caseInsensitive, .diacriticInsensitive])
                    .map { String(text[$0]) } ?? String(text.prefix(cue.count))
                return Reading(verdict: verdict, cue: raw)
            }
        }
        return nil
    }

    /// Cues with the spaces they are searched with, padded once: prose is graded sentence
    /// by sentence.
    static let paddedLargelyCues = largelyCues.map { (cue: $0, padded: " " + $0 + " ") }
    static let paddedPartlyCues = partlyCues.map { (cue: $0, padded: " " + $0 + " ") }
    static let paddedNoCues = noCues.map { (cue: $0, padded: " " + $0 + " ") }
    static let paddedYesCues = yesCues.map { (cue: $0, padded: " " + $0) }

    /// Grades assessment prose; nil when no cue is found.
    public func grade(_ text: String) -> Reading? {
        let key = " " + TextKey.words(TextKey.fold(text)).joined(separator: " ") + " "
        func find(_ cues: [(cue: String, padded: String)]) -> String? {
            cues.first { key.includes($0.padded) }?.cue
        }
        if let c = find(VerdictClassifier.paddedLargelyCues) {
            // "inte i allt väsentligt" is a denial.
            if key.contains(" inte " + c + " ") { return Reading(verdict: .partly, cue: c) }
            return Reading(verdict: .largely, cue: c)
        }
        if let c = find(VerdictClassifier.paddedPartlyCues) {
            return Reading(verdict: .partly, cue: c)
        }
        if let c = find(VerdictClassifier.paddedNoCues) { return Reading(verdict: .no, cue: c) }
        // Affirmations inflect ("ändamålsenliga", "tydliga"): match them as word prefixes.
        if let c = find(VerdictClassifier.paddedYesCues) { return Reading(verdict: .yes, cue: c) }
        return nil
    }

    /// Interrogatives that open descriptive questions, which the report describes, not grades.
    static let descriptiveOpeners: Set<String> = [
        "vilka", "vilken", "vilket", "hur", "vad", "nar", "var", "varfor", "pa", "i",
    ]

    /// Whether a question asks for a description ("Vilka insatser genomförs?", "Hur och i
    /// vilken utsträckning sker uppföljning?") rather than a yes/no judgement.
    public func isDescriptive(_ question: String) -> Bool {
        guard let first = TextKey.foldedWords(question).first else { return false }
        if first == "pa" || first == "i" {
            return TextKey.fold(question).hasPrefix("pa vilket")
                || TextKey.fold(question).hasPrefix("i vilken")
        }
        return VerdictClassifier.descriptiveOpeners.contains(first)
    }
}
