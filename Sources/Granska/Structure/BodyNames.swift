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
        guard let searched = candidateText(text) else { return [] }
        for m in Patterns.matches(BodyNames.pattern.regex, in: searched) {
            guard let name = Patterns.group(m, 1, in: searched) else { continue }
            let lower = ICU.lowercased(name)
            let key = TextKey.fold(lower)
            if ["namnden", "styrelsen", "fullmaktige", "direktionen"].contains(key) { continue }
            if !result.contains(lower) { result.append(lower) }
        }
        return result
    }

    /// ASCII punctuation that no match of ``pattern`` holds and that is no word character
    /// for its `\b`: a match lies wholly between two of them, and cutting the text there
    /// changes neither the `\b` before a match nor the look-ahead after it.
    private static func isCut(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "?"), UInt8(ascii: "!"), UInt8(ascii: "\""),
            UInt8(ascii: "|"):
            return true
        default: return false
        }
    }

    /// The parts of `text` between cuts (see ``isCut(_:)``) that may hold a body name,
    /// joined by full stops, so that the expression has the same matches in it as in the
    /// whole text but runs over a fraction of it; nil when no part may hold one. Most
    /// sentences of a report name no body.
    ///
    /// A part without a hyphen is cut at spaces too: only the "barn- och …" form of a name
    /// spans words, and a space, like a full stop, is neither a letter nor a word character.
    private static func candidateText(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { utf8 -> String? in
            var kept: [UInt8] = []
            func keep(_ piece: UnsafeBufferPointer<UInt8>) {
                if !kept.isEmpty { kept.append(UInt8(ascii: ".")) }
                kept.append(contentsOf: piece)
            }
            var start = 0
            for end in 0...utf8.count where end == utf8.count || isCut(utf8[end]) {
                let part = UnsafeBufferPointer(rebasing: utf8[start..<end])
                start = end + 1
                guard pattern.mayMatch(utf8: part) else { continue }
                if part.contains(UInt8(ascii: "-")) {
                    keep(part)
                    continue
                }
                var wordStart = 0
                for wordEnd in 0...part.count
                where wordEnd == part.count || part[wordEnd] == UInt8(ascii: " ") {
                    let word = UnsafeBufferPointer(rebasing: part[wordStart..<wordEnd])
                    wordStart = wordEnd + 1
                    if pattern.mayMatch(utf8: word) { keep(word) }
                }
            }
            return kept.isEmpty ? nil : String(decoding: kept, as: UTF8.self)
        }
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
