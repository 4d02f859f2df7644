import Foundation

/// Names of municipal bodies (nämnder, styrelser) in running text.
public struct BodyNames: Sendable {
    /// "socialnämnden", "kultur- och utbildningsnämnden", "kommunstyrelsen",
    /// "barn- och utbildningsnämnden"; OCR forms without diacritics too.
    static let pattern = Patterns.regex(
        #"\b((?:[\p{L}]+-(?:,\s*[\p{L}]+-)*\s+(?:och|samt)\s+)?[\p{L}]*(?:n[äaeé]a?mnden|"#
            + #"styrelsen|fullm[äa]ktige|direktionen))(?![\p{L}])"#,
        requiring: [["mnden", "styrelsen", "ktige", "direktionen"]])
    /// Generic plural references to the audited bodies.
    static let plural = Patterns.regex(
        #"\b(n[äa]mnderna|styrelserna|styrelsen och n[äa]mnderna)\b"#,
        requiring: [["mnderna", "styrelserna"]])

    public init() {}

    /// Bodies named in `text`, lower case, in order of first mention, without repeats.
    /// A bare "nämnden" or "styrelsen" names no particular body and is left out.
    public func bodies(in text: String) -> [String] {
        BodyNames.recentBodies.value(for: text, BodyNames.findBodies)
    }

    /// Bodies of recent texts: the analyser and its extractors look for them in the same
    /// units.
    private static let recentBodies = TextMemo<[String]>(capacity: 4096)

    private static func findBodies(in text: String) -> [String] {
        var result: [String] = []
        // Only the "barn- och …" form of a name spans words: a part without a hyphen is
        // searched word by word.
        guard
            let searched = pattern.searchedParts(
                of: text, wordsApart: { !$0.contains(UInt8(ascii: "-")) })
        else { return [] }
        for m in Patterns.matches(BodyNames.pattern.regex, in: searched) {
            guard let name = Patterns.group(m, 1, in: searched) else { continue }
            let lower = ICU.lowercased(name)
            let key = TextKey.fold(lower)
            if ["namnden", "styrelsen", "fullmaktige", "direktionen"].contains(key) { continue }
            if !result.contains(lower) { result.append(lower) }
        }
        return result
    }

    /// Common bodies in their running-text spelling (`scripts/models/data/bodies.txt`).
    static let lexicon: [String] = [
        "kommunfullmäktige", "kommunstyrelsen", "kommunledningsförvaltningen", "socialnämnden",
        "socialförvaltningen", "tillväxtnämnden", "arbetsmarknadsnämnden", "utbildningsnämnden",
        "barn- och utbildningsnämnden", "gymnasie- och vuxenutbildningsnämnden",
        "vuxenutbildningsnämnden", "kultur- och fritidsnämnden", "miljö- och byggnadsnämnden",
        "samhällsbyggnadsnämnden", "tekniska nämnden", "valnämnden", "överförmyndarnämnden",
        "kultur- och utbildningsnämnden", "vård- och omsorgsnämnden", "äldrenämnden",
        "byggnadsnämnden", "fritidsnämnden", "kulturnämnden", "omsorgsnämnden",
    ]
    static let lexiconByKey: [String: String] = Dictionary(
        lexicon.map { (TextKey.fold($0), $0) }, uniquingKeysWith: { a, _ in a })

    /// Endings every body name spells the same way, by their folded form.
    static let endings: [(key: String, spelling: String)] = [
        ("namnden", "nämnden"), ("fullmaktige", "fullmäktige"),
        ("forvaltningen", "förvaltningen"), ("styrelsen", "styrelsen"),
    ]

    /// The spelling of the bodies a document names, by folded key: the lexicon's, else the
    /// document's own form with the most diacritics (repair may have missed some mentions).
    func spellings(in texts: [String]) -> [String: String] {
        var best: [String: String] = [:]
        func marks(_ s: String) -> Int { s.unicodeScalars.filter { !$0.isASCII }.count }
        for text in texts {
            for name in bodies(in: text) {
                let key = TextKey.fold(name)
                if let known = best[key], marks(known) >= marks(name) { continue }
                best[key] = name
            }
        }
        return best
    }

    /// A body name in correct Swedish: the lexicon's form, the document's best-spelled
    /// mention of it, or the name with its ending respelled ("socialnamnden" → "socialnämnden").
    func canonical(_ name: String, spellings: [String: String] = [:]) -> String {
        let key = TextKey.fold(name)
        if let known = BodyNames.lexiconByKey[key] { return known }
        var result = spellings[key] ?? name
        for (ending, spelling) in BodyNames.endings where key.hasSuffix(ending) {
            if !result.hasSuffix(spelling), result.count >= ending.count {
                result = String(result.dropLast(ending.count)) + spelling
            }
            break
        }
        return result
    }

    /// Whether `text` refers to the audited bodies as a group ("nämnderna").
    public func mentionsPlural(_ text: String) -> Bool {
        Patterns.firstMatch(BodyNames.plural, in: text) != nil
    }

    /// Whether a word names a body (used to tell "Att socialnämnden genomför …" from
    /// "Att se över …").
    public func isBody(_ word: String) -> Bool {
        !bodies(in: word).isEmpty || TextKey.fold(word).hasSuffix("namnden")
    }
}
