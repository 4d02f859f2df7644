import Foundation

/// Names of municipal bodies (nämnder, styrelser) in running text.
public struct BodyNames: Sendable {
    /// "socialnämnden", "kultur- och utbildningsnämnden", "kommunstyrelsen",
    /// "barn- och utbildningsnämnden"; OCR forms without diacritics too.
    static let pattern = Patterns.regex(
        #"\b((?:[\p{L}]+-(?:,\s*[\p{L}]+-)*\s+(?:och|samt)\s+)?[\p{L}]*(?:n[äaeé]a?mnden|"#
            + #"styrelsen|fullm[äa]ktige|direktionen))(?![\p{L}])"#)
    /// Generic plural references to the audited bodies.
    static let plural = Patterns.regex(
        #"\b(n[äa]mnderna|styrelserna|styrelsen och n[äa]mnderna)\b"#)

    public init() {}

    /// Bodies named in `text`, lower case, in order of first mention, without repeats.
    /// A bare "nämnden" or "styrelsen" names no particular body and is left out.
    public func bodies(in text: String) -> [String] {
        var result: [String] = []
        for m in Patterns.matches(BodyNames.pattern, in: text) {
            guard let name = Patterns.group(m, 1, in: text) else { continue }
            let lower = ICU.lowercased(name)
            let key = TextKey.fold(lower)
            if ["namnden", "styrelsen", "fullmaktige", "direktionen"].contains(key) { continue }
            if !result.contains(lower) { result.append(lower) }
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
