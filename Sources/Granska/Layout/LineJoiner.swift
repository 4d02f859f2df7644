import Foundation

/// Something that can tell whether a word form exists, e.g. the repair lexicon.
public protocol WordChecking: Sendable {
    /// Whether `word` (any case) is a known word form, compounds included.
    func isKnownWord(_ word: String) -> Bool
}

/// Joins the lines of one paragraph, deciding at each line end whether a hyphen is a
/// line-break hyphen (removed), a hyphen that belongs to the word (kept, "SFI-utbildning"),
/// or a Swedish coordination hyphen ("integrations- och arbetsmarknadsfrågor", kept with the
/// space).
public struct LineJoiner: Sendable {
    /// Optional lexicon: when present, a join is made only if the joined word is known or the
    /// parts are not.
    public var words: (any WordChecking)?

    public init(words: (any WordChecking)? = nil) {
        self.words = words
    }

    /// Words that follow a coordination hyphen: "kort- och långsiktiga", "för- eller".
    static let coordinators: Set<String> = [
        "och", "eller", "samt", "respektive", "resp", "som", "liksom", "men", "till", "än", "&",
        "/",
        "alternativt", "plus", "och/eller", "inklusive", "inkl",
    ]

    /// Appends `next` (a following line) to `text`.
    public func append(_ next: String, to text: inout String) {
        let line = next.trimmingSpaces()
        guard !line.isEmpty else { return }
        if text.isEmpty {
            text = line
            return
        }
        if text.hasSuffix("-") && !text.hasSuffix(" -") && !text.hasSuffix("--") {
            let firstWord = line.prefix { !$0.isWhitespace }
            let first = String(firstWord)
            let firstLower = first.lowercased()
            if LineJoiner.coordinators.contains(
                firstLower.trimmingCharacters(in: CharacterSet(charactersIn: ",.;:")))
            {
                text += " " + line  // "arbetsmarknads- och" stays
                return
            }
            let left = text.dropLast()
            let leftWord = String(left.reversed().prefix { $0.isLetter || $0.isNumber }.reversed())
            let startsLower = first.first.map { $0.isLowercase } ?? false
            let leftEndsUpperOrDigit = left.last.map { $0.isUppercase || $0.isNumber } ?? false
            let leftToken = left.reversed().prefix { !$0.isWhitespace }
            if !startsLower || leftEndsUpperOrDigit || leftToken.contains("-") {
                // "steg-för-" + "steglista": a hyphenated compound keeps its hyphens.
                // "SFI-" + "utbildning", "2020-" + "2022", "Barn-" + "Ungdom": the hyphen is real.
                text += line
                return
            }
            let rightWord = String(first.prefix { $0.isLetter })
            if let words {
                let joined = leftWord + rightWord
                let hyphenated = leftWord + "-" + rightWord
                if !words.isKnownWord(joined) && words.isKnownWord(hyphenated) {
                    text += line
                    return
                }
            }
            text.removeLast()
            text += line
            return
        }
        text += " " + line
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }

    /// Runs of white space folded to one space.
    func foldingSpaces() -> String {
        // Fast path: nothing to fold when there are no tabs, newlines, doubled, leading or
        // trailing spaces and no lead byte of a non-ASCII space.
        var previousSpace = true
        var clean = true
        for b in utf8 {
            if b == 0x20 {
                if previousSpace {
                    clean = false
                    break
                }
                previousSpace = true
            } else if b < 0x20 || b == 0xC2 || (b >= 0xE1 && b <= 0xE3) {
                // Controls, and lead bytes of NBSP, NEL, U+1680, U+2000–U+202F, U+3000.
                clean = false
                break
            } else {
                previousSpace = false
            }
        }
        if clean && !previousSpace { return String(self) }
        var out = ""
        out.reserveCapacity(utf8.count)
        var lastSpace = false
        for c in self {
            if c.isWhitespace {
                if !lastSpace && !out.isEmpty { out.append(" ") }
                lastSpace = true
            } else {
                out.append(c)
                lastSpace = false
            }
        }
        if out.last == " " { out.removeLast() }
        return out
    }
}
