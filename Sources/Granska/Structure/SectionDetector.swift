import Foundation

/// A heading found in the body, with the unit it stands in.
struct DetectedSection: Sendable {
    var unitIndex: Int
    var section: Section
    /// Folded key of the title.
    var key: String
    /// OCR misread the heading's number beyond reading: infer it from its neighbours.
    var lostNumber = false
}

/// Finds the heading tree of the report body.
///
/// Layout gives heading blocks (strong for PDFs, mere candidates for plain text); the detector
/// adds one-line paragraphs that the table of contents lists or that carry a numbered or
/// cue-word title, and headings that OCR glued to the end of a paragraph. It drops the title
/// page and cover letter (everything before the first heading the TOC lists, or before the
/// first opening heading), the TOC itself, captions, law references and page furniture.
struct SectionDetector: Sendable {
    /// Title words that open or structure an audit report (folded keys, matched as prefixes).
    static let cueTitles: [String] = [
        "sammanfattning", "inledning", "bakgrund", "syfte", "revisionsfragor", "revisionsfraga",
        "revisionskriterier", "avgransning", "metod", "granskningsresultat", "resultat",
        "iakttagelser", "bedomning", "kommentar", "slutsats", "rekommendation",
        "samlad bedomning", "sammanfattande bedomning", "organisation", "ansvarsfordelning",
        "uppfoljning", "mal", "samverkan", "styrning", "ekonomi", "analys",
    ]
    /// Titles that may open the report body when there is no table of contents.
    static let openingTitles: Set<String> = ["sammanfattning", "inledning", "bakgrund"]
    static let tocTitles: Set<String> = ["innehall", "innehallsforteckning", "innehall:"]

    // The guard literals spare the expressions most of the lines they are tried on.
    static let captionPrefix = Patterns.regex(
        #"^(tabell|figur|diagram|bild|kalla|kallor|graf)\b"#,
        requiring: [["tabell", "figur", "diagram", "bild", "kall", "graf"]])
    static let lawReference = Patterns.regex(#"\d{4}:\d+|§"#, requiring: [[":", "§"]])
    static let tocLine = Patterns.regex(
        #"^\s*(\d+(?:\.\d+)*\.?)?\s*(.+?)(?:\s*\.{2,}\s*|\s+)(\d{1,3})\s*$"#)
    /// A footnote or page number that OCR put in front of a heading on the next page.
    static let footnotePrefix = Patterns.regex(
        #"^\d{1,2}\s.{0,80}?(?:\d{4}-\d{2}-\d{2}|§\s?\d+|saknas)\s+(\p{Lu}[^.?!:;]{2,80})$"#,
        requiring: [["-", "§", "saknas"]])

    struct Result {
        var sections: [DetectedSection]
        /// Index of the first body unit.
        var bodyStart: Int
        /// Unit indices of the table of contents.
        var tocUnits: Set<Int>
    }

    func detect(units: [TextUnit], document: Document, furnitureKeys: Set<String>) -> Result {
        let (tocEntries, tocUnits) = tableOfContents(units: units, outline: document.outline)
        let tocKeys = Set(tocEntries.map { SectionDetector.titleKey($0) })
        let strongLayout = document.source.kind == .pdf && units.contains { $0.kind == .heading }
        // An OCR text layer has no fonts: short title-like lines are heading candidates there,
        // as in plain text.
        let ocrLayer = document.pages.contains { $0.flags.contains(.ocrTextLayer) }
        let bodyStart = self.bodyStart(units: units, tocUnits: tocUnits, first: tocEntries.first)
        var sections: [DetectedSection] = []
        // Heading numbers OCR set on lines of their own (at the foot of the page before):
        // they number the next unnumbered headings, in order.
        var stray: [String] = []
        var strayAt = 0
        func append(_ s: DetectedSection) {
            var s = s
            if s.section.number != nil {
                stray.removeAll()
            } else if !stray.isEmpty, s.unitIndex - strayAt <= 15 {
                let n = stray.removeFirst()
                s.section.number = n
                s.section.level = n.split(separator: ".").count
                s.lostNumber = false
            }
            sections.append(s)
        }
        var i = bodyStart
        while i < units.count {
            defer { i += 1 }
            if tocUnits.contains(i) { continue }
            let u = units[i]
            // Text input gathers footnote bodies under "Fotnoter" at the end.
            if u.text == Document.footnoteHeading,
                u.kind != .heading || document.source.kind == .text
            {
                break
            }
            if let cells = u.rowCells, cells.count == 2 {
                // "Shdl | Rapport integrationssamverkan": a heading whose misread number OCR
                // set apart as a cell; trusted only when the TOC lists the title.
                let first = cells[0].trimmedOfWhitespace()
                let title = cells[1].trimmedOfWhitespace()
                let key = SectionDetector.titleKey(title)
                if first.count <= 5, !first.contains(" "), HeadingCandidate.parse(title) != nil,
                    tocKeys.contains(where: { TextKey.isTolerantlySimilar($0, key, atLeast: 0.8) }),
                    accepts(
                        title: title, key: key, at: i, units: units, furnitureKeys: furnitureKeys)
                {
                    let section = Section(
                        number: nil, title: title, level: nil,
                        provenance: u.provenance(confidence: 0.5))
                    append(
                        DetectedSection(unitIndex: i, section: section, key: key, lostNumber: true))
                }
                continue
            }
            if u.kind == .tableRow || u.kind == .tocEntry || u.kind == .footnote { continue }
            if u.rowCells != nil { continue }
            if !strongLayout || ocrLayer, u.kind == .paragraph,
                let n = SectionDetector.strayNumber(u.text, sections: sections)
            {
                stray.append(n)
                strayAt = i
                continue
            }
            // Misread heading numbers are looked for where fonts do not mark headings.
            let numbered =
                (!strongLayout || ocrLayer) && sections.contains { $0.section.number != nil }
            if u.isListItem, !strongLayout || ocrLayer,
                let s = bulletedParent(
                    at: i, units: units, last: sections.last?.section.number,
                    furnitureKeys: furnitureKeys)
            {
                append(s)
            } else if let s = heading(
                at: i, units: units, tocKeys: tocKeys, strongLayout: strongLayout,
                numbered: numbered, furnitureKeys: furnitureKeys)
            {
                append(s)
            } else if ocrLayer,
                let s = shapeHeading(at: i, units: units, furnitureKeys: furnitureKeys)
            {
                append(s)
            }
        }
        inferLostNumbers(&sections, units: units)
        return Result(sections: sections, bodyStart: bodyStart, tocUnits: tocUnits)
    }

    static let strayPattern = Patterns.regex(
        #"^\d{1,2}(?:\.\d{1,2}){1,4}\.?$"#, requiring: [["."]])

    /// A line holding nothing but a heading number ("3.5.3.1"); OCR drops dots, so a
    /// two-digit part ("3.21") is read digit by digit unless the report's headings so far
    /// count to ten or beyond.
    static func strayNumber(_ text: String, sections: [DetectedSection]) -> String? {
        guard UTF8Text.mayOpenWithDigit(text), Patterns.firstMatch(strayPattern, in: text) != nil
        else { return nil }
        let trimmed = text.hasSuffix(".") ? String(text.dropLast()) : text
        let parts = trimmed.split(separator: ".").map(String.init)
        let counted = sections.contains {
            ($0.section.number ?? "").split(separator: ".").contains { $0.count >= 2 }
        }
        var result: [String] = []
        for (k, p) in parts.enumerated() {
            if k > 0, p.count == 2, !counted, p.last != "0" {
                result += p.map(String.init)
            } else {
                result.append(p)
            }
        }
        guard result.count <= 5 else { return nil }
        return result.joined(separator: ".")
    }

    /// Numbers for headings whose number OCR garbled to letters ("Shdl", "Sel"): the first
    /// child of the heading before when nothing stands between them, else its next sibling,
    /// so long as the next numbered heading can follow it.
    private func inferLostNumbers(_ sections: inout [DetectedSection], units: [TextUnit]) {
        func parts(_ n: String) -> [Int] { n.split(separator: ".").compactMap { Int($0) } }
        func joined(_ p: [Int]) -> String { p.map(String.init).joined(separator: ".") }
        /// Whether `next` can follow `c` in a numbering: a descendant, or the next sibling
        /// of `c` or of one of its ancestors.
        func canFollow(_ next: [Int], _ c: [Int]) -> Bool {
            if next.count > c.count, Array(next.prefix(c.count)) == c { return true }
            for depth in stride(from: c.count, through: 1, by: -1) {
                var s = Array(c.prefix(depth))
                s[depth - 1] += 1
                if Array(next.prefix(depth)) == s { return true }
            }
            return false
        }
        for k in sections.indices where sections[k].lostNumber {
            guard let p = sections[..<k].last(where: { $0.section.number != nil }),
                let pn = p.section.number
            else { continue }
            let prev = parts(pn)
            guard !prev.isEmpty, prev.count == pn.split(separator: ".").count else { continue }
            let child = prev + [1]
            var sibling = prev
            sibling[sibling.count - 1] += 1
            var candidates =
                p.unitIndex + 1 == sections[k].unitIndex
                ? [child, sibling] : [sibling, child]
            if let next = sections[(k + 1)...].first(where: {
                $0.section.number != nil && !$0.lostNumber
            })?.section.number {
                let n = parts(next)
                candidates = candidates.filter { canFollow(n, $0) }
            }
            guard let c = candidates.first, c.count <= 4 else { continue }
            sections[k].section.number = joined(c)
            sections[k].section.level = c.count
            sections[k].lostNumber = false
        }
    }

    /// A heading's folded title without numbering or trailing page number.
    static func titleKey(_ title: String) -> String {
        let words = TextKey.foldedWords(title).drop { $0.allSatisfy(\.isNumber) }
        return words.joined(separator: " ")
    }

    private func heading(
        at i: Int, units: [TextUnit], tocKeys: Set<String>, strongLayout: Bool,
        numbered: Bool, furnitureKeys: Set<String>
    ) -> DetectedSection? {
        let u = units[i]
        var number = u.number
        var title = u.text
        var fromLayout = u.kind == .heading
        let bodyFollows = self.bodyFollows(i, units)
        if u.kind == .heading {
            // Layout keeps the printed number in the text ("1.1. Bakgrund").
            if let c = HeadingCandidate.parse(u.text), c.number != nil {
                number = number ?? c.number
                title = c.title
            } else if let n = number, u.text.hasPrefix(n) {
                title = String(u.text.dropFirst(n.count)).trimmingCharacters(
                    in: CharacterSet(charactersIn: ". "))
            }
        } else if u.kind == .paragraph || u.kind == .listItem {
            guard u.kind == .paragraph else { return nil }
            if UTF8Text.mayOpenWithDigit(u.text),
                let m = Patterns.firstMatch(SectionDetector.footnotePrefix, in: u.text),
                let t = Patterns.group(m, 1, in: u.text), HeadingCandidate.parse(t) != nil
            {
                title = t
                number = nil
            } else if let c = HeadingCandidate.parse(u.text) {
                number = c.number
                title = c.title
            } else if let m = SectionDetector.misreadNumber(
                u.text, tocKeys: tocKeys, numbered: numbered, bodyFollows: bodyFollows),
                m.number != nil
            {
                // "3:12 Strategisk inriktning": the misread number hides the title from
                // the parser.
                number = m.number
                title = m.title
            } else {
                return nil
            }
            fromLayout = false
        } else {
            return nil
        }
        title = title.trimmedOfWhitespace()
        var misread = false
        if number == nil,
            let m = SectionDetector.misreadNumber(
                title, tocKeys: tocKeys, numbered: numbered, bodyFollows: bodyFollows)
        {
            number = m.number
            title = m.title
            misread = true
        }
        let key = SectionDetector.titleKey(title)
        guard accepts(title: title, key: key, at: i, units: units, furnitureKeys: furnitureKeys)
        else { return nil }
        // A misread number (digits, or a digit-shaped token in a numbered report) marks a
        // heading as fonts would.
        if misread { fromLayout = true }
        // An unnumbered line with a year right above a table is the table's caption
        // ("Inriktningsmål 2019–2024 som är relevanta för granskningen").
        if number == nil, i + 1 < units.count, units[i + 1].rowCells != nil,
            Patterns.firstMatch(GoalExtractor.year, in: title) != nil
                || Patterns.firstMatch(GoalExtractor.yearRange, in: title) != nil
        {
            return nil
        }
        // OCR garbles TOC lines and headings differently: match them tolerantly.
        let listed =
            tocKeys.contains(key)
            || tocKeys.contains { TextKey.isTolerantlySimilar($0, key, atLeast: 0.8) }
        let cue = SectionDetector.isCue(key)
        // Without fonts, a title after a footnote line OCR put before it reads like one.
        let afterFootnote =
            !fromLayout && !strongLayout && title != u.text && number == nil
            && looksLikeTitle(title, at: i, units: units)
        if !(fromLayout || listed || cue || number != nil || afterFootnote) { return nil }
        // Plain-text layout calls every short line a heading: demand more than shape there.
        if fromLayout && !strongLayout && !(listed || cue || number != nil) {
            if !looksLikeTitle(title, at: i, units: units) { return nil }
        }
        if !fromLayout && number != nil && !(listed || cue) {
            // A numbered one-line paragraph: a heading only if it reads like a title.
            if title.hasSuffix(".") || !looksLikeTitle(title, at: i, units: units) { return nil }
        }
        if let n = number, !n.contains("."), (Int(n) ?? 0) > 20 { number = nil }
        if let n = number, !strongLayout, !n.contains("."), (Int(n) ?? 0) >= 10 { number = nil }
        let level = number.map { $0.split(separator: ".").count } ?? u.level
        let section = Section(
            number: number, title: title, level: level,
            provenance: u.provenance(confidence: fromLayout ? 0.9 : (listed ? 0.85 : 0.7)))
        return DetectedSection(
            unitIndex: i, section: section, key: key, lostNumber: misread && number == nil)
    }

    /// A heading number that OCR misread, ahead of the title: "3:12 Strategisk inriktning"
    /// (digits with the dots misread) or "Sel Plattform för …" (letters, trusted only when
    /// the TOC lists the rest or it is a cue title such as "Kommentarer och bedömningar").
    ///
    /// In a report whose headings are numbered, a letter token shaped like a misread digit
    /// ("Sel", "Shdl", "SZ": OCR reads 3 and 2 as S and Z) ahead of a title-like line that
    /// body text follows is taken for a lost number too.
    static func misreadNumber(
        _ text: String, tocKeys: Set<String>, numbered: Bool = false, bodyFollows: Bool = false
    ) -> (number: String?, title: String)? {
        guard let space = text.firstIndex(of: " ") else { return nil }
        let token = text[..<space]
        // The token is checked before the rest of a long paragraph is copied.
        guard token.count <= 5 else { return nil }
        let rest = text[text.index(after: space)...].trimmedOfWhitespace()
        guard rest.wordCount >= 1,
            HeadingCandidate.parse(rest) != nil
        else { return nil }
        let mapped = String(token.map { lookalikes[$0] ?? $0 })
        if token.contains(where: \.isNumber),
            mapped.allSatisfy({ $0.isNumber || ":;,.".contains($0) }),
            token.contains(where: { ":;,".contains($0) })
                || mapped != token && token.contains(".")
        {
            // Dots kept: the parts between them; a colon or comma also swallows dots, so
            // each digit is a part ("3:12" → 3.1.2).
            let kept = !mapped.contains(where: { ":;,".contains($0) })
            let parts =
                kept
                ? mapped.split(separator: ".").map(String.init)
                : mapped.filter(\.isNumber).map(String.init)
            return (parts.joined(separator: "."), rest)
        }
        if token.allSatisfy(\.isLetter), token.count <= 4, token.first?.isUppercase == true {
            let key = titleKey(rest)
            let listed = tocKeys.contains(where: {
                TextKey.isTolerantlySimilar($0, key, atLeast: 0.8)
            })
            if (listed || isStrongCue(key)) && !tocKeys.contains(titleKey(text)) {
                return (nil, rest)
            }
            if numbered, bodyFollows, isDigitShaped(token), !tocKeys.contains(titleKey(text)),
                rest.wordCount <= 8
            {
                return (nil, rest)
            }
        }
        return nil
    }

    /// Letters OCR reads for digits next to real digits and dots: "l.2", "2.I", "3.O".
    static let lookalikes: [Character: Character] = [
        "l": "1", "I": "1", "|": "1", "O": "0", "o": "0",
    ]

    /// Short Swedish words that open a line with a capital S or Z and are no misread number.
    static let sWords: Set<String> = [
        "se", "så", "som", "sex", "sju", "sin", "sig", "sen", "ser", "sett", "sist", "sina",
        "sitt", "sker", "ska", "skall", "stor", "små", "sätt", "samt", "sagt", "sade", "sak",
        "syn", "sol", "sal", "slut", "steg", "stad", "sida", "snart", "själv", "zon",
    ]

    /// "Sel", "Shdl", "Sl", "SZ": a token OCR may have made of "3.1.1", "3.1", "3.2".
    static func isDigitShaped(_ token: Substring) -> Bool {
        guard (1...4).contains(token.count), let first = token.first, "SZ".contains(first),
            token.allSatisfy({ $0.isASCII && $0.isLetter })
        else { return false }
        // Acronyms ("SKR", "SCB", "SFI", "SoL") are words too.
        if token.count >= 3, token.allSatisfy(\.isUppercase) { return false }
        if token.count >= 3, token.dropFirst().first?.isLowercase == true,
            token.dropFirst(2).contains(where: \.isUppercase)
        {
            return false
        }
        return !sWords.contains(token.lowercased())
    }

    /// Whether prose follows unit `i`: a paragraph of some length opening a sentence.
    private func bodyFollows(_ i: Int, _ units: [TextUnit]) -> Bool {
        guard i + 1 < units.count else { return false }
        let next = units[i + 1]
        guard next.kind == .paragraph, next.text.wordCount >= 6,
            let f = next.text.first
        else { return false }
        return f.isUppercase || f.isNumber
    }

    /// A lone bullet line right before a numbered heading that opens a level ("3.2.1 …"),
    /// where the parent heading ("3.2") is missing: OCR read the parent's number as a bullet.
    private func bulletedParent(
        at i: Int, units: [TextUnit], last: String?, furnitureKeys: Set<String>
    ) -> DetectedSection? {
        guard i > 0, i + 1 < units.count, !units[i - 1].isListItem else { return nil }
        let next = units[i + 1]
        guard !next.isListItem, let c = HeadingCandidate.parse(next.text),
            let n = c.number, n.hasSuffix(".1")
        else { return nil }
        let parent = String(n.dropLast(2))
        guard let last, last != parent, !last.hasPrefix(parent + ".") else { return nil }
        // The parent's predecessor should come just before it: "3.1.3" or "3.1" before "3.2".
        let parts = parent.split(separator: ".")
        guard let tail = Int(parts.last!), tail >= 2 else { return nil }
        let sibling = (parts.dropLast().map(String.init) + [String(tail - 1)])
            .joined(separator: ".")
        guard last == sibling || last.hasPrefix(sibling + ".") else { return nil }
        let title = units[i].text.drop { !$0.isLetter && !$0.isNumber }
            .trimmedOfWhitespace()
        guard let t = HeadingCandidate.parse(title), t.number == nil,
            title.wordCount <= 8, looksLikeTitle(title, at: i, units: units)
        else { return nil }
        let key = SectionDetector.titleKey(title)
        guard accepts(title: title, key: key, at: i, units: units, furnitureKeys: furnitureKeys)
        else { return nil }
        let section = Section(
            number: parent, title: title, level: parts.count,
            provenance: units[i].provenance(confidence: 0.5))
        return DetectedSection(unitIndex: i, section: section, key: key)
    }

    /// A short stand-alone line between prose paragraphs, for layouts without fonts.
    private func shapeHeading(at i: Int, units: [TextUnit], furnitureKeys: Set<String>)
        -> DetectedSection?
    {
        let u = units[i]
        guard u.kind == .paragraph, i > 0, i + 1 < units.count else { return nil }
        let words = u.text.wordCount
        guard words <= 10, let first = u.text.first, first.isUppercase,
            let last = u.text.last, !".,;:!?)-".contains(last), !u.text.contains(where: \.isNumber)
        else { return nil }
        let prev = units[i - 1], next = units[i + 1]
        // A name of one to three words ("Kommunstyrelsen") may also follow a table or an
        // item closed by a parenthesis ("… (Kommundirektör)").
        let short = words <= 3
        guard prev.kind != .tableRow || short, next.kind == .paragraph,
            next.text.wordCount >= 6, next.text.first?.isUppercase == true,
            let prevLast = prev.text.last,
            ".:!?".contains(prevLast) || prev.kind == .heading || prev.isListItem
                || HeadingCandidate.parse(prev.text)?.number != nil
                || short && (prev.kind == .tableRow || prevLast == ")")
        else { return nil }
        // Longer lines must still read as a title, not a clause cut off at a line break.
        if words > 6, !looksLikeTitle(u.text, at: i, units: units) { return nil }
        let key = SectionDetector.titleKey(u.text)
        guard accepts(title: u.text, key: key, at: i, units: units, furnitureKeys: furnitureKeys)
        else { return nil }
        let section = Section(
            number: nil, title: u.text, level: nil, provenance: u.provenance(confidence: 0.5))
        return DetectedSection(unitIndex: i, section: section, key: key)
    }

    private func accepts(
        title: String, key: String, at i: Int, units: [TextUnit], furnitureKeys: Set<String>
    ) -> Bool {
        if key.isEmpty || SectionDetector.tocTitles.contains(key) { return false }
        if title.contains(":") || title.includes(" | ") || title.hasSuffix("?") { return false }
        let letters = title.filter(\.isLetter).count
        if letters < 2 { return false }
        // OCR garbage: run-on tokens.
        if key.split(separator: " ").contains(where: { $0.count > 30 }) { return false }
        let tokens = key.split(separator: " ")
        if tokens.count >= 3 && tokens.filter({ $0.count == 1 }).count * 2 >= tokens.count {
            return false
        }
        if Patterns.firstMatch(SectionDetector.captionPrefix, in: key) != nil { return false }
        if Patterns.firstMatch(SectionDetector.lawReference, in: title) != nil { return false }
        if furnitureKeys.contains(key) { return false }
        if FirmLexicon.firm(in: title) != nil && tokens.count <= 2 { return false }
        if key.hasSuffix(" kommun") && tokens.count <= 2 { return false }
        // Signature lines: "Datum som ovan".
        if key.hasPrefix("datum") { return false }
        if key.includes("revisionsfrag") && key.includes("bedomning") && tokens.count <= 3 {
            return false
        }
        // A title followed by a source line is a chart or table caption.
        for k in (i + 1)..<min(units.count, i + 3) where units[k].key.hasPrefix("kalla") {
            return false
        }
        return true
    }

    private func looksLikeTitle(_ title: String, at i: Int, units: [TextUnit]) -> Bool {
        let words = title.split(separator: " ")
        guard words.count <= 12 else { return false }
        // A line that breaks off mid-clause ("Att kommunstyrelsen … ska") is not a title.
        if let first = words.first, first.lowercased() == "att" { return false }
        if let last = words.last, SectionDetector.danglingWords.contains(last.lowercased()) {
            return false
        }
        // The next unit should be body text, not the continuation of a sentence.
        if i + 1 < units.count, let f = units[i + 1].text.first, f.isLowercase { return false }
        return true
    }

    static let danglingWords: Set<String> = [
        "ska", "att", "och", "som", "i", "med", "för", "av", "till", "om", "på", "är", "har",
        "kan", "samt", "eller", "de", "den", "det", "en", "ett",
    ]

    static func isCue(_ key: String) -> Bool {
        cueTitles.contains {
            key == $0 || key.hasPrefix($0 + " ") || key.hasPrefix($0) && $0.count >= 6
        }
    }

    /// Cues strong enough to split a heading off a paragraph.
    static func isStrongCue(_ key: String) -> Bool {
        let strong = [
            "sammanfattning", "inledning", "bakgrund", "syfte", "revisionsfragor",
            "revisionskriterier", "avgransning", "metod", "granskningsresultat",
            "resultat av granskningen", "iakttagelser", "bedomning", "kommentar", "slutsats",
            "rekommendationer", "samlad bedomning", "sammanfattande bedomning",
        ]
        // One-word cues also in their plural or definite forms ("bedömningar", "kommentarer").
        let first = key.split(separator: " ").first.map(String.init) ?? ""
        return strong.contains {
            key == $0 || key.hasPrefix($0 + " ")
                || !$0.contains(" ") && $0.count >= 6 && first.hasPrefix($0)
                    && first.count <= $0.count + 3
        } && key.wordCount <= 8
    }

    /// TOC titles and the units that make up the TOC.
    private func tableOfContents(units: [TextUnit], outline: [OutlineEntry]) -> ([String], Set<Int>)
    {
        var titles: [String] = []
        var tocUnits = Set<Int>()
        var inTOC = false
        for (i, u) in units.enumerated() {
            if u.kind == .tocEntry {
                tocUnits.insert(i)
                if let t = SectionDetector.tocEntryTitle(u.text) { titles.append(t) }
                continue
            }
            // `count <= 30`, counting no further than that.
            if u.text.prefix(31).count <= 30,
                SectionDetector.tocTitles.contains(SectionDetector.titleKey(u.text))
            {
                inTOC = true
                tocUnits.insert(i)
                continue
            }
            if inTOC {
                if let t = SectionDetector.tocEntryTitle(u.text), u.rowCells == nil {
                    titles.append(t)
                    tocUnits.insert(i)
                } else {
                    inTOC = false
                }
            }
        }
        if titles.isEmpty { titles = outline.map(\.title) }
        return (titles, tocUnits)
    }

    /// "2.1 Syfte ... 4" or "2.1Syfte.....4" → "Syfte ..."; nil if the line has no page number.
    static func tocEntryTitle(_ line: String) -> String? {
        guard let m = Patterns.firstMatch(tocLine, in: line), let t = Patterns.group(m, 2, in: line)
        else { return nil }
        // The title ends at the dot leader; OCR reads leaders as dots mixed with letters.
        let leader = t.range(of: "..").map { t[..<$0.lowerBound] } ?? Substring(t)
        let title = leader.trimmingCharacters(in: CharacterSet(charactersIn: " .\t"))
        guard title.contains(where: \.isLetter) else { return nil }
        return title
    }

    private func bodyStart(units: [TextUnit], tocUnits: Set<Int>, first: String?) -> Int {
        if let first {
            let key = SectionDetector.titleKey(first)
            for (i, u) in units.enumerated() where !tocUnits.contains(i) {
                let title = HeadingCandidate.parse(u.text)?.title ?? u.text
                if SectionDetector.titleKey(title) == key { return i }
            }
        }
        for (i, u) in units.enumerated() where !tocUnits.contains(i) {
            guard let c = HeadingCandidate.parse(u.text) else { continue }
            let key = SectionDetector.titleKey(c.title)
            if SectionDetector.openingTitles.contains(key) { return i }
        }
        return 0
    }
}
