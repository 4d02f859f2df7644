import Foundation

/// Recommended actions with their recipients.
///
/// A recommendation list is introduced by a sentence with "rekommender…" ("Vi rekommenderar
/// socialnämnden att:", "lämnar följande rekommendationer till nämnderna:") or a
/// "Rekommendationer" heading, and continues over the list items that follow. Recipients are
/// the bodies the introduction names; "nämnderna" resolves to the bodies the audit's purpose
/// names. An item whose subject is a body ("Att socialnämnden genomför …") goes to that body.
struct RecommendationExtractor: Sendable {
    let bodyNames = BodyNames()
    static let pronouns: Set<String> = [
        "de", "det", "den", "man", "vi", "kommunen", "nämnden", "namnden", "styrelsen", "en", "ett",
    ]

    func extract(
        units: [TextUnit], sections: [DetectedSection], defaultBodies: [String]
    ) -> [Recommendation] {
        var result: [Recommendation] = []
        let sectionStarts = Set(sections.map(\.unitIndex))
        var i = 0
        while i < units.count {
            let u = units[i]
            let isHeading = sectionStarts.contains(i)
            // An introduction ends in a colon or an open "… att", or is a heading; a sentence
            // that merely mentions recommendations does not own the list after it.
            let introduces =
                !u.isListItem && u.key.includes("rekommend")
                && (u.text.hasSuffix(":") || isHeading || u.key.hasSuffix(" att"))
            guard introduces, nextIsList(units, i) else {
                if !u.isListItem, u.key.includes("rekommender") {
                    for r in inlineRecommendations(u, defaultBodies: defaultBodies)
                    where !result.contains(where: {
                        TextKey.isTolerantlySimilar($0.text, r.text, atLeast: 0.8)
                    }) {
                        result.append(r)
                    }
                }
                i += 1
                continue
            }
            var recipients = bodyNames.bodies(in: introText(u))
            if recipients.isEmpty, u.text.hasSuffix(":") {
                // "Vi rekommenderar att kommunstyrelsen:" names the body after "att".
                recipients = bodyNames.bodies(in: lastSentence(u.text))
            }
            // "… till nämnderna:" and introductions naming no body go to the audited bodies.
            if recipients.isEmpty || bodyNames.mentionsPlural(u.text) && recipients.count < 2,
                !defaultBodies.isEmpty
            {
                recipients = defaultBodies
            }
            var j = i + 1
            while j < units.count, units[j].isListItem {
                if let r = recommendation(from: units[j], recipients: recipients) {
                    if !result.contains(where: {
                        TextKey.isTolerantlySimilar($0.text, r.text, atLeast: 0.8)
                    }) {
                        result.append(r)
                    }
                }
                j += 1
            }
            i = j
        }
        return result
    }

    /// "Vi rekommenderar kommunstyrelsen att säkerställa …" and "Kommunstyrelsen
    /// rekommenderas att …": a recommendation in running text, with no list after it.
    static let inline = Patterns.regex(
        #"^(.*?\b(?:vi|revisorerna|revisionen)\s+rekommenderar\b(.*?)|"#
            + #"(.*?)\brekommenderas)\s+att\s+(.{12,})$"#,
        requiring: [["rekommender"], ["att"]])

    private func inlineRecommendations(_ u: TextUnit, defaultBodies: [String]) -> [Recommendation] {
        var result: [Recommendation] = []
        for s in SentenceSplitter().split(u.text) where !s.text.hasSuffix(":") {
            guard let m = Patterns.firstMatch(RecommendationExtractor.inline, in: s.text),
                var action = Patterns.group(m, 4, in: s.text)
            else { continue }
            let addressed =
                (Patterns.group(m, 2, in: s.text) ?? "") + " "
                + (Patterns.group(m, 3, in: s.text) ?? "")
            var recipients = bodyNames.bodies(in: addressed)
            let firstWord = action.split(separator: " ").first.map(String.init) ?? ""
            if recipients.isEmpty, bodyNames.isBody(firstWord) {
                // "Vi rekommenderar att socialnämnden genomför …": the action names its body.
                recipients = bodyNames.bodies(in: firstWord)
                action = "Att " + action
            }
            if recipients.isEmpty { recipients = defaultBodies }
            action = TextKey.capitalizingFirst(action.trimmedOfWhitespace())
            guard action.wordCount >= 3 else { continue }
            let offset = s.text.unicodeScalars.count - action.unicodeScalars.count
            let range = (s.range.lowerBound + max(0, offset))..<s.range.upperBound
            result.append(
                Recommendation(
                    recipients: recipients, text: action,
                    provenance: u.provenance(range: range, sentence: s.text, confidence: 0.6)))
        }
        return result
    }

    /// The part of an introduction that addresses bodies: up to "att" when the sentence has
    /// one after the verb, so bodies named in the action are not taken as recipients.
    private func introText(_ u: TextUnit) -> String {
        let sentences = SentenceSplitter().split(u.text)
        let s = sentences.last { TextKey.fold($0.text).includes("rekommend") }?.text ?? u.text
        if let r = s.range(of: " att", options: .backwards) { return String(s[..<r.lowerBound]) }
        return s
    }

    private func lastSentence(_ text: String) -> String {
        SentenceSplitter().split(text).last?.text ?? text
    }

    private func nextIsList(_ units: [TextUnit], _ i: Int) -> Bool {
        i + 1 < units.count && units[i + 1].isListItem
    }

    /// Modal verbs that follow a body named as the subject of a recommended action.
    static let subjectVerbs: Set<String> = ["bor", "ska", "behover", "rekommenderas", "uppmanas"]

    /// The bodies an item names as its subject ("Socialnämnden och kommunstyrelsen bör …").
    static func itemSubject(_ text: String, names: BodyNames) -> [String]? {
        let words = text.split(separator: " ").map(String.init)
        guard
            let verb = words.prefix(8).firstIndex(where: { subjectVerbs.contains(TextKey.fold($0)) }
            ),
            verb > 0
        else { return nil }
        let subject = words[..<verb].joined(separator: " ")
        let bodies = names.bodies(in: subject)
        return bodies.isEmpty ? nil : bodies
    }

    private func recommendation(from u: TextUnit, recipients: [String]) -> Recommendation? {
        var text = u.bulletStripped.text.trimmedOfWhitespace()
        let startOffset = u.text.unicodeScalars.count - text.unicodeScalars.count
        guard text.wordCount >= 2 else { return nil }
        var recipients = recipients
        let words = text.split(separator: " ", maxSplits: 2).map(String.init)
        if words.count >= 2, TextKey.fold(words[0]) == "att" {
            let next = words[1]
            if bodyNames.isBody(next) {
                recipients = bodyNames.bodies(in: next)
            } else if !RecommendationExtractor.pronouns.contains(next.lowercased()) {
                text = TextKey.capitalizingFirst(String(text.dropFirst(words[0].count + 1)))
            }
        } else if let subject = RecommendationExtractor.itemSubject(text, names: bodyNames) {
            // "Kommunstyrelsen bör säkerställa …": the item names its own recipient.
            recipients = subject
        }
        let provenance = u.provenance(
            range: startOffset..<u.text.unicodeScalars.count, sentence: u.text, confidence: 0.8)
        return Recommendation(recipients: recipients, text: text, provenance: provenance)
    }
}
