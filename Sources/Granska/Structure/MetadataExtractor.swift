import Foundation

/// Audit firms and how reports name them.
enum FirmLexicon {
    /// (short name, pattern on the original text). The literals guard the expressions: the
    /// whole document text is searched for each firm, and most titles name none.
    static let firms: [(name: String, pattern: GuardedPattern)] = [
        ("KPMG", Patterns.regex(#"\bKPMG\b"#, requiring: [["kpmg"]])),
        (
            "PwC",
            Patterns.regex(
                #"\bPwC\b|PricewaterhouseCoopers"#, requiring: [["pwc", "pricewaterhousecoopers"]])
        ),
        ("EY", caseSensitive(#"\bEY\b|Ernst\s*&\s*Young"#, requiring: [["ey", "ernst"]])),
        ("Deloitte", Patterns.regex(#"\bDeloitte\b"#, requiring: [["deloitte"]])),
        ("BDO", caseSensitive(#"\bBDO\b"#, requiring: [["bdo"]])),
        (
            "Grant Thornton",
            Patterns.regex(#"\bGrant\s+Thornton\b"#, requiring: [["grant"], ["thornton"]])
        ),
        ("Mazars", Patterns.regex(#"\bMazars\b"#, requiring: [["mazars"]])),
        ("Öhrlings", Patterns.regex(#"^\bÖhrlings\b$"#, requiring: [["öhrlings"]])),
    ]

    /// A case-sensitive pattern with its literals; the case-blind check still holds, as
    /// every case-sensitive match is a case-insensitive one.
    static func caseSensitive(_ p: String, requiring required: [[String]]) -> GuardedPattern {
        GuardedPattern(try! NSRegularExpression(pattern: p), requiring: required)
    }

    /// The first firm named in `text`.
    static func firm(in text: String) -> String? {
        firms.first { Patterns.firstMatch($0.pattern, in: text) != nil }?.name
    }

    /// Occurrence counts of each firm in `text`.
    ///
    /// The text is the whole document among others: it is lowered once for the eight guards,
    /// and a firm it may name is counted in the sentences that may name it (see
    /// ``GuardedPattern/searchedParts(of:wordsApart:)``), but for Öhrlings, whose expression
    /// is anchored to the whole text.
    static func counts(in text: String) -> [String: Int] {
        var c: [String: Int] = [:]
        let lowered = GuardedPattern.Lowered(text)
        for f in firms where f.pattern.mayMatch(lowered) {
            let n =
                f.pattern.regex.pattern.hasPrefix("^")
                ? Patterns.matches(f.pattern.regex, in: text).count
                : f.pattern.searchedParts(of: text).map {
                    Patterns.matches(f.pattern.regex, in: $0).count
                } ?? 0
            if n > 0 { c[f.name] = n }
        }
        return c
    }
}

/// Municipality, firm, date and title of a report.
///
/// Sources in order of trust: the PDF information dictionary, the title page (units before
/// the body), running headers, signature blocks near the end, then the whole text.
struct MetadataExtractor: Sendable {
    /// Guarded by its literals: every unit of the document is searched for names.
    static let municipalityPattern = FirmLexicon.caseSensitive(
        #"\b(\p{Lu}[\p{L}]+(?:-\p{Lu}[\p{L}]+)?)\s+"#
            + #"([Kk]ommun|[Ss]tad|[Kk]ommunalförbund)(s?)\b"#, requiring: [["kommun", "stad"]])
    /// "Region Skåne", "Region Västra Götaland".
    static let regionPattern = FirmLexicon.caseSensitive(
        #"\bRegion\s+(\p{Lu}[\p{L}]+(?:\s+\p{Lu}[\p{L}]+)?)\b"#, requiring: [["region"]])
    static let notNames: Set<String> = [
        "varje", "vår", "var", "denna", "den", "en", "samma", "annan", "hela", "aktuell", "egen",
        "respektive", "vilken", "ny", "nya", "liknande", "sin", "din", "er", "en", "i", "per",
    ]
    static let isoDate = Patterns.regex(#"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b"#)
    static let monthDate = Patterns.regex(
        #"\b(?:(\d{1,2})\s+)?(januari|februari|mars|april|maj|"#
            + #"juni|juli|augusti|september|oktober|november|december)\s+((?:19|"#
            + #"20)\d{2})\b"#)
    static let months = [
        "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
        "oktober", "november", "december",
    ]
    /// Words that lead a commissioned audit's subject: "i uppdrag att (översiktligt) granska
    /// X"; the adverb is any word in -t, since OCR misreads it.
    static let commission = Patterns.regex(
        #"i uppdrag att (?:\p{L}+t )?granska ([^.]{10,160}?)\.(?:\s|$)"#)

    func extract(
        document: Document, units: [TextUnit], bodyStart: Int, furniture: [String]
    ) -> ReportMetadata {
        var meta = ReportMetadata()
        var provenance: [String: Provenance] = [:]
        let titlePage = Array(units[0..<min(max(bodyStart, 0), units.count)])
        let front = titlePage.isEmpty ? Array(units.prefix(15)) : titlePage

        // Firm.
        let pdfFirm = [
            document.pdfMetadata.author, document.pdfMetadata.creator,
            document.pdfMetadata.subject,
        ].compactMap { $0 }.compactMap(FirmLexicon.firm(in:)).first
        if let f = pdfFirm {
            meta.firm = f
        } else {
            var counts: [String: Int] = [:]
            for line in furniture {
                for (k, v) in FirmLexicon.counts(in: line) { counts[k, default: 0] += v * 3 }
            }
            for (k, v) in FirmLexicon.counts(in: document.text) { counts[k, default: 0] += v }
            if let best = counts.max(by: {
                $0.value < $1.value || $0.value == $1.value && $0.key > $1.key
            }) {
                meta.firm = best.key
            }
        }
        if let f = meta.firm,
            let u = units.first(where: { FirmLexicon.firm(in: $0.text) == f })
        {
            provenance["firm"] = u.provenance(confidence: pdfFirm != nil ? 0.95 : 0.8)
        }

        // Municipality: the most named "X kommun", weighted towards the title page.
        var counts: [String: Int] = [:]
        var firstUnit: [String: TextUnit] = [:]
        func countNames(_ text: String, weight: Int, unit: TextUnit?) {
            for m in Patterns.matches(MetadataExtractor.regionPattern, in: text) {
                guard let name = Patterns.group(m, 1, in: text) else { continue }
                let full = "Region " + name
                counts[full, default: 0] += weight
                if firstUnit[full] == nil, let unit { firstUnit[full] = unit }
            }
            for m in Patterns.matches(MetadataExtractor.municipalityPattern, in: text) {
                guard let name = Patterns.group(m, 1, in: text),
                    let kind = Patterns.group(m, 2, in: text)
                else { continue }
                if MetadataExtractor.notNames.contains(name.lowercased()) { continue }
                // Known municipalities in their own spelling, whatever OCR left of it.
                let spelled = MunicipalityNames.canonical(name) ?? name
                let full = spelled + " " + (kind == "Stad" ? kind : kind.lowercased())
                counts[full, default: 0] += weight
                if firstUnit[full] == nil, let unit { firstUnit[full] = unit }
            }
        }
        if let s = document.pdfMetadata.subject { countNames(s, weight: 5, unit: nil) }
        for line in furniture { countNames(line, weight: 1, unit: nil) }
        for u in front { countNames(u.text, weight: 3, unit: u) }
        for u in units { countNames(u.text, weight: 1, unit: u) }
        if let best = counts.max(by: {
            $0.value < $1.value || $0.value == $1.value && $0.key > $1.key
        }) {
            meta.municipality = best.key
            if let u = firstUnit[best.key] {
                provenance["municipality"] = u.provenance(confidence: 0.8)
            }
        }

        // Date.
        if let (date, unit) = reportDate(units: units, front: front, furniture: furniture) {
            meta.date = date
            if let unit { provenance["date"] = unit.provenance(confidence: 0.75) }
        }

        // Title.
        if let (title, unit, confidence) = reportTitle(
            document: document, front: front, units: units, furniture: furniture,
            municipality: meta.municipality, firm: meta.firm, hasTitlePage: !titlePage.isEmpty)
        {
            meta.title = title
            if let unit { provenance["title"] = unit.provenance(confidence: confidence) }
        }
        meta.provenance = provenance.isEmpty ? nil : provenance
        return meta
    }

    /// The report date: a full date on the title page or in a "Datum" line; else the
    /// signature date (a date standing alone near the end); else the running header's date;
    /// a bare "maj 2022" is read as the last day of that month, when a report of that month
    /// is signed at the latest.
    private func reportDate(units: [TextUnit], front: [TextUnit], furniture: [String])
        -> (String, TextUnit?)?
    {
        func iso(in text: String) -> String? {
            guard let m = Patterns.firstMatch(MetadataExtractor.isoDate, in: text),
                let y = Patterns.group(m, 1, in: text), let mo = Patterns.group(m, 2, in: text),
                let d = Patterns.group(m, 3, in: text), let moN = Int(mo), let dN = Int(d),
                (1...12).contains(moN), (1...31).contains(dN)
            else { return nil }
            return "\(y)-\(mo)-\(d)"
        }
        func isDateLine(_ u: TextUnit) -> Bool {
            let words = u.text.split(separator: " ")
            return words.count <= 4 && iso(in: u.text) != nil
                || u.key.hasPrefix("datum") && iso(in: u.text) != nil
        }
        // Title page: a date line.
        if let u = front.first(where: isDateLine), let d = iso(in: u.text) { return (d, u) }
        // Running header date, repeated on many pages.
        var headerDates: [String: Int] = [:]
        for line in furniture {
            if let d = iso(in: line), line.wordCount <= 3 {
                headerDates[d, default: 0] += 1
            }
        }
        if let best = headerDates.max(by: { $0.value < $1.value }), best.value >= 2 {
            return (best.key, nil)
        }
        // Signature: a date line in the last fifth of the document.
        let tailStart = units.count * 4 / 5
        if let u = units[tailStart...].last(where: isDateLine), let d = iso(in: u.text) {
            return (d, u)
        }
        // A running header that OCR kept in the body: the same date line seen twice.
        var lineDates: [String: (Int, TextUnit)] = [:]
        for u in units where u.text.wordCount == 1 {
            if let d = iso(in: u.text) {
                lineDates[d] = ((lineDates[d]?.0 ?? 0) + 1, lineDates[d]?.1 ?? u)
            }
        }
        if let best = lineDates.max(by: { $0.value.0 < $1.value.0 }), best.value.0 >= 2 {
            return (best.key, best.value.1)
        }
        // Month and year on the title page.
        for u in front {
            if let m = Patterns.firstMatch(MetadataExtractor.monthDate, in: u.text),
                u.text.wordCount <= 4,
                let monthName = Patterns.group(m, 2, in: u.text),
                let y = Patterns.group(m, 3, in: u.text), let year = Int(y),
                let month = MetadataExtractor.months.firstIndex(of: monthName.lowercased())
            {
                let day =
                    Patterns.group(m, 1, in: u.text).flatMap(Int.init)
                    ?? MetadataExtractor.daysIn(month: month + 1, year: year)
                return (String(format: "%04d-%02d-%02d", year, month + 1, day), u)
            }
        }
        return nil
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private func reportTitle(
        document: Document, front: [TextUnit], units: [TextUnit], furniture: [String],
        municipality: String?, firm: String?, hasTitlePage: Bool
    ) -> (String, TextUnit?, Double)? {
        func clean(_ t: String) -> String {
            var s = t.trimmedOfWhitespace()
            for prefix in ["Granskning:", "Revisionsrapport:", "Rapport:"] where s.hasPrefix(prefix)
            {
                s = String(s.dropFirst(prefix.count)).trimmedOfWhitespace()
            }
            return s
        }
        if let t = document.pdfMetadata.title.map(clean), t.wordCount >= 3,
            !t.lowercased().hasPrefix("microsoft"), !t.lowercased().hasSuffix(".docx")
        {
            return (t, front.first { TextKey.similarity($0.text, t) >= 0.8 }, 0.95)
        }
        // Title page: the longest line that reads as a title.
        let candidates = front.filter { u in
            let words = u.text.wordCount
            guard words >= 3, words <= 30, let last = u.text.last, !".:?!".contains(last) else {
                return false
            }
            if let m = municipality, u.text == m { return false }
            if FirmLexicon.firm(in: u.text) != nil && words <= 3 { return false }
            return true
        }
        let preferred =
            candidates.first { $0.key.hasPrefix("granskning") }
            ?? candidates.max { $0.text.count < $1.text.count }
        if let u = preferred, hasTitlePage {
            // A cover letter repeats the title after "Granskning:"; the title page's own
            // line is the title as printed.
            if u.text != clean(u.text),
                let own = candidates.last(where: {
                    $0.text == clean($0.text) && TextKey.similarity(clean(u.text), $0.text) >= 0.8
                })
            {
                return (own.text, own, 0.75)
            }
            return (clean(u.text), u, 0.7)
        }
        // Running header that reads as a title.
        var headerCounts: [String: Int] = [:]
        for line in furniture where line.wordCount >= 4 {
            headerCounts[line, default: 0] += 1
        }
        if let best = headerCounts.max(by: { $0.value < $1.value }), best.value >= 2 {
            return (clean(best.key), nil, 0.7)
        }
        // The commission sentence: "… fått i uppdrag att granska kommunens arbete med X."
        for u in units.prefix(40) {
            if let m = Patterns.firstMatch(MetadataExtractor.commission, in: u.text),
                let subject = Patterns.group(m, 1, in: u.text)
            {
                return ("Granskning av " + subject, u, 0.5)
            }
        }
        return nil
    }
}
