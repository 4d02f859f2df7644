import Foundation

/// Goals, sub-goals, indicators and expected results of the audited organisation.
///
/// Three shapes: list items after an introduction that names goals ("prioriterar följande
/// mål:", "De mål som preciserades … var:") or that carry a target value ("… Målvärde för
/// 2024: 75 %."); table columns headed by a goal word ("Inriktningsmål", "Förväntade
/// resultat", "Mål"); and goal sentences ("Ett av nämndens mål är att …", "har som eget mål
/// att …", quoted goal names after "utvecklingsmålet", "kvalitetsfaktorn"). Year is the single
/// year the goal or its introduction states (a range such as "2024–2026" gives none).
struct GoalExtractor: Sendable {
    static let goalWord = Patterns.regex(
        #"\b(mål|målen|målet|delmål|nämndmål|effektmål|inriktningsmål|"#
            + #"verksamhetsmål|utvecklingsmål|målsättningar|förväntade resultat|"#
            + #"indikatorer|mal|malen|delmal|inriktningsmal|forvantade resultat)\b"#,
        requiring: [["mål", "mal", "resultat", "indikatorer"]])
    static let tableHeader = Patterns.regex(
        #"^(\S+\s)?(mål|delmål|nämndmål|effektmål|inriktningsmål|"#
            + #"verksamhetsmål|förväntade? resultat|indikator|indikatorer|"#
            + #"mal|inriktningsmal|forvantade resultat)$"#,
        requiring: [["mål", "mal", "resultat", "indikator"]])
    /// A goal column header with the first row's cell run into it.
    /// Matched on the folded cell; group 1 holds the header words.
    static let gluedHeader = GuardedPattern(
        try! NSRegularExpression(
            pattern: #"^((?:\S+\s)?(?:mal|delmal|inriktningsmal|fo+rvantade resultat))\s+\S.{8,}$"#),
        requiring: [["mal", "rvantade"]])
    static let target = Patterns.regex(
        #"\bm[åa]lv[äa]rde(?:\s+f[öo]r\s+((?:19|20)\d{2}))?\s*:\s*([^.]+?)\.?\s*$"#,
        requiring: [["målv", "malv"]])
    static let goalSentence = Patterns.regex(
        #"\b(?:ett|eget|som|nämndens|namndens|styrelsens|kommunens|"#
            + #"fullmäktiges|fullmaktiges)\s+(?:av\s+\S+\s+)?(?:eget\s+)?m[åa]l\s+"#
            + #"(?:\S+\s+(?:anges\s+)?)?(?:är\s+|ar\s+)?att\s+(.{10,400})$"#,
        requiring: [["att"], ["mål", "mal"]])
    /// "Målet är att …" opening a sentence (not "målet med arbetet är att …").
    static let goalOpening = Patterns.regex(
        #"^(?:m[åa]let|m[åa]ls[äa]ttningen|det [öo]vergripande m[åa]let)"#
            + #"\s+[äa]r\s+att\s+(.{10,400})$"#, requiring: [["att"], ["mål", "mal"]])
    /// An indicator named in running text with its outcome: "… om Andel ej återaktualiserade
    /// …, där utfallet för år 2021 var 71 %".
    /// The year is the outcome's ("där utfallet för år 2021 var 71 % (72 % år 2020)").
    static let indicatorOutcome = Patterns.regex(
        #"\b(?:om|avseende|indikatorn|nyckeltalet|kvalitetsfaktorn)\s+(\p{Lu}[^,.;:]{15,200}"#
            + #"),\s+d[äa]r\s+utfallet(?:\s+f[öo]r)?(?:\s+[åa]r)?(?:\s+((?:19|20)\d{2}))?"#,
        requiring: [["utfallet"]])
    /// OCR may drop the å altogether ("utvecklingsmlet").
    static let quotedGoal = Patterns.regex(
        #"\b(\p{L}*m[åa]?let|kvalitetsfaktorn|indikatorn|nyckeltalet)\s+["“”]([^"“”]{3,200})["“”]"#,
        requiring: [["\"", "“", "”"], ["let", "kvalitetsfaktorn", "indikatorn"]])
    static let level = Patterns.regex(
        #"\bska\s+(?:vara\s+)?((?:minst|högst|hogst|lägst|lagst|"#
            + #"mindre än|mindre an|mer än|mer an|över|under|max|maximalt|"#
            + #"minimum)\b.+?)\s*\.?$"#)
    /// A plan or report for one year, on folded text: "verksamhetsplan för 2022",
    /// "detaljbudget 2022", "årsredovisningen för år 2021".
    static let planYear = Patterns.regex(
        #"(?:verksamhetsplan|detaljbudget|budget|arsredovisning|verksamhetsberattelse)\p{L}*"#
            + #"(?:\s+och\s+\p{L}+)?\s+(?:for\s+)?(?:ar\s+)?((?:19|20)\d{2})(?![\d\-–—])"#,
        requiring: [
            ["verksamhetsplan", "budget", "arsredovisning", "verksamhetsberattelse"], ["19", "20"],
        ])
    static let year = Patterns.regex(
        #"(?<![\d-])((?:19|20)\d{2})(?![\d-–—])"#, requiring: [["19", "20"]])
    static let yearRange = Patterns.regex(
        #"(?:19|20)\d{2}\s*[-–—]\s*(?:19|20)?\d{2}"#, requiring: [["19", "20"], ["-", "–", "—"]])

    func extract(units: [TextUnit], bodyStart: Int) -> [Goal] {
        var goals: [Goal] = []
        func add(_ g: Goal) {
            guard g.text.wordCount >= 1 else { return }
            // Goals of one list differ by a word or two ("Antal hushåll 18–24 år …"): merge
            // only near-identical repeats.
            if let k = loose.first(where: {
                TextKey.isTolerantlySimilar(goals[$0].text, g.text, atLeast: 0.8)
            }) {
                // A goal named in passing, now stated in full (in a table or list): the
                // statement takes its place, in document order.
                goals.remove(at: k)
                loose = Set(loose.compactMap { $0 == k ? nil : ($0 > k ? $0 - 1 : $0) })
                goals.append(g)
            } else if let k = goals.firstIndex(where: {
                TextKey.isTolerantlySimilar($0.text, g.text, atLeast: 0.92)
            }) {
                if goals[k].target == nil { goals[k].target = g.target }
                if goals[k].year == nil { goals[k].year = g.year }
            } else {
                goals.append(g)
            }
        }
        // Goals enumerated in running text; a fuller statement later replaces them.
        var loose = Set<Int>()
        func addLoose(_ g: Goal) {
            let before = goals.count
            add(g)
            if goals.count > before { loose.insert(goals.count - 1) }
        }
        var i = bodyStart
        var goalColumns: [Int: [Int]] = [:]  // table id → goal columns
        var tableYear: [Int: Int?] = [:]
        var lastGoalTable: (table: Int, row: Int)? = nil
        var targetColumn: [Int: Int] = [:]  // table id → target-value column
        var columnYear: [Int: [Int: Int]] = [:]  // table id → column → year
        // The year of the plan a section cites ("Enligt verksamhetsplanen för 2022 …"): goal
        // sentences further on in the section that state no year of their own are its.
        var sectionYear: Int? = nil
        while i < units.count {
            let u = units[i]
            // Tables.
            if var cells = u.rowCells {
                let tableID = u.table ?? -1
                let headerColumns = cells.enumerated().filter {
                    Patterns.firstMatch(
                        GoalExtractor.tableHeader,
                        in: $0.element.trimmedOfWhitespace()) != nil
                }.map(\.offset)
                // OCR runs the header into the first row: "ASI Mål Antal hushåll … | …".
                var gluedColumns: [Int] = []
                if headerColumns.isEmpty {
                    for (c, cell) in cells.enumerated() {
                        let folded = TextKey.fold(cell)
                        guard let m = Patterns.firstMatch(GoalExtractor.gluedHeader, in: folded),
                            let header = Patterns.group(m, 1, in: folded)
                        else { continue }
                        let words = cell.split(separator: " ")
                        let rest = words.dropFirst(header.wordCount)
                        guard let first = rest.first?.first, first.isUppercase else { continue }
                        gluedColumns.append(c)
                        cells[c] = rest.joined(separator: " ")
                    }
                }
                if !headerColumns.isEmpty {
                    goalColumns[tableID] = headerColumns
                    tableYear[tableID] = contextYear(units: units, before: i)
                    columnYear[tableID] = columnYears(
                        units: units, before: i, cells: cells, columns: headerColumns)
                    // A target column: "Målvärde", "Målvärde 2024", "Målnivå".
                    if let t = cells.indices.first(where: {
                        let key = TextKey.fold(cells[$0])
                        return !headerColumns.contains($0)
                            && (key.hasPrefix("malvarde") || key.hasPrefix("malniva"))
                    }) {
                        targetColumn[tableID] = t
                        if let y = year(in: cells[t]) { tableYear[tableID] = y }
                    }
                } else if goalColumns[tableID] == nil, gluedColumns.isEmpty,
                    let previous = lastGoalTable, i - previous.row <= 4,
                    goalColumns[previous.table] != nil
                {
                    // A table broken over a page without its header continues the one before.
                    goalColumns[tableID] = goalColumns[previous.table]
                    tableYear[tableID] = tableYear[previous.table] ?? nil
                    columnYear[tableID] = columnYear[previous.table]
                }
                if headerColumns.isEmpty, !gluedColumns.isEmpty || goalColumns[tableID] != nil {
                    let previousGoalTable = lastGoalTable
                    lastGoalTable = (tableID, i)
                    if !gluedColumns.isEmpty {
                        goalColumns[tableID] = [gluedColumns[0]]
                        // A glued header repeated on the next page: the same table goes on.
                        var inherited: Int? = nil
                        if let p = previousGoalTable, i - p.row <= 4, let y = tableYear[p.table] {
                            inherited = y
                        }
                        let own = contextYear(units: units, before: i)
                        tableYear[tableID] = .some(own ?? inherited)
                    }
                    let cols = goalColumns[tableID] ?? []
                    for c in cols where c < cells.count {
                        for text in GoalExtractor.splitRunTogether(
                            cells[c].trimmedOfWhitespace())
                        {
                            // A goal is one statement; descriptions run over several sentences.
                            let words = text.wordCount
                            guard words >= 2, words <= 30, SentenceSplitter().split(text).count == 1
                            else { continue }
                            let target = targetColumn[tableID].flatMap { t -> String? in
                                guard t < cells.count else { return nil }
                                let value = cells[t].trimmedOfWhitespace()
                                return value.isEmpty ? nil : value
                            }
                            add(
                                Goal(
                                    text: text, target: target,
                                    year: columnYear[tableID]?[c] ?? tableYear[tableID] ?? nil,
                                    provenance: u.provenance(sentence: u.text, confidence: 0.6)))
                        }
                    }
                }
                i += 1
                continue
            }
            // A numbered heading opens a new section.
            if u.kind == .heading && u.number != nil
                || u.text.first?.isNumber == true && HeadingCandidate.parse(u.text)?.number != nil
            {
                sectionYear = nil
            }
            defer {
                if let m = Patterns.firstMatch(GoalExtractor.planYear, in: u.key),
                    let y = Patterns.group(m, 1, in: u.key).flatMap(Int.init)
                {
                    sectionYear = y
                }
            }
            // Lists introduced by a goal word, or items with a target value.
            if !u.isListItem, u.text.hasSuffix(":") || nextIsList(units, i),
                Patterns.firstMatch(GoalExtractor.goalWord, in: lastSentence(u.text)) != nil,
                nextIsList(units, i)
            {
                for g in sentenceGoals(u, sectionYear: sectionYear) { add(g) }
                let introducesGoals = u.text.hasSuffix(":") || u.key.includes("malvarde")
                let introYear = year(in: lastSentence(u.text))
                var j = i + 1
                while j < units.count, units[j].isListItem {
                    if let g = listGoal(units[j], year: introYear, requireTarget: !introducesGoals)
                    {
                        add(g)
                    }
                    j += 1
                }
                i = j
                continue
            }
            if u.isListItem, let g = listGoal(u, year: nil, requireTarget: true) { add(g) }
            // Goal sentences.
            if !u.isListItem {
                for g in sentenceGoals(u, sectionYear: sectionYear) { add(g) }
                for g in enumeratedGoals(u) { addLoose(g) }
            }
            i += 1
        }
        return goals
    }

    static let prepositions: Set<String> = [
        "i", "till", "med", "av", "för", "inom", "på", "hos", "från", "mot", "om", "genom", "och",
        "samt", "via", "under", "efter", "vid", "mellan", "enligt", "än",
    ]

    /// Splits a table cell that holds several goals run together over line breaks
    /// ("… ska öka Socioekonomiska skillnader … ska minska"): a new goal starts at a
    /// capitalised word after a lower-case word that is not a preposition.
    static func splitRunTogether(_ text: String) -> [String] {
        let words = text.split(separator: " ").map(String.init)
        var parts: [[String]] = [[]]
        for (i, w) in words.enumerated() {
            if i > 0, let f = w.first, f.isUppercase, w.dropFirst().allSatisfy({ !$0.isUppercase }),
                w.count >= 4, let p = words[i - 1].last, p.isLowercase,
                !prepositions.contains(words[i - 1].lowercased()),
                parts[parts.count - 1].count >= 3, words.count - i >= 3
            {
                parts.append([])
            }
            parts[parts.count - 1].append(w)
        }
        return parts.map { $0.joined(separator: " ") }
    }

    private func nextIsList(_ units: [TextUnit], _ i: Int) -> Bool {
        i + 1 < units.count && units[i + 1].isListItem
    }

    private func lastSentence(_ text: String) -> String {
        SentenceSplitter().split(text).last?.text ?? text
    }

    private func listGoal(_ u: TextUnit, year introYear: Int?, requireTarget: Bool) -> Goal? {
        var text = u.bulletStripped.text.trimmedOfWhitespace()
        var target: String? = nil
        var year = introYear
        if let m = Patterns.firstMatch(GoalExtractor.target, in: text),
            let r = Range(m.range, in: text)
        {
            target = Patterns.group(m, 2, in: text)?.trimmedOfWhitespace()
            if let y = Patterns.group(m, 1, in: text).flatMap(Int.init) { year = y }
            text = String(text[..<r.lowerBound]).trimmedOfWhitespace()
        } else if requireTarget {
            return nil
        }
        guard text.wordCount >= 2 || !requireTarget else { return nil }
        return Goal(
            text: text, target: target, year: year,
            provenance: u.provenance(sentence: u.text, confidence: target != nil ? 0.8 : 0.6))
    }

    /// "… att uppnå kommunfullmäktiges inriktningsmål att A, B och C." (on folded text).
    static let enumeration = Patterns.regex(
        #"(?:fullmaktiges|namndens|styrelsens|kommunens)\s+"#
            + #"(?:inriktningsmal|verksamhetsmal|effektmal|mal)(?:en)?\s+(?:om\s+)?att\s+"#,
        requiring: [["att"], ["fullmaktiges", "namndens", "styrelsens", "kommunens"]])

    /// Three or more goals a sentence enumerates after "fullmäktiges inriktningsmål att":
    /// comma-separated clauses, the last two joined by "och" before a capitalised name.
    private func enumeratedGoals(_ u: TextUnit) -> [Goal] {
        guard u.key.includes("mal") else { return [] }
        var result: [Goal] = []
        for s in SentenceSplitter().split(u.text) {
            // Folding keeps the length of Swedish text, so offsets carry over.
            let key = TextKey.fold(s.text)
            guard key.count == s.text.count,
                let m = Patterns.firstMatch(GoalExtractor.enumeration, in: key),
                let r = Range(m.range, in: key)
            else { continue }
            let offset = key.distance(from: key.startIndex, to: r.upperBound)
            let tail = String(s.text.dropFirst(offset)).trimmingCharacters(
                in: CharacterSet(charactersIn: " ."))
            var items = tail.components(separatedBy: ", ")
            guard items.count >= 2, let last = items.popLast() else { continue }
            // "… och fullföljda studier och Vänersborgs kommun har …": the last "och" before
            // a capital letter joins the final two goals.
            guard
                let join = last.ranges(of: " och ").last(where: {
                    last[$0.upperBound...].first?.isUppercase == true
                })
            else { continue }
            items.append(String(last[..<join.lowerBound]))
            items.append(String(last[join.upperBound...]))
            let words = items.map { $0.wordCount }
            guard items.count >= 3, words.allSatisfy({ $0 >= 3 && $0 <= 25 }) else { continue }
            let y = yearRangeFree(s.text) ? year(in: s.text) : nil
            for item in items {
                result.append(
                    Goal(
                        text: TextKey.capitalizingFirst(item), target: nil, year: y,
                        provenance: u.provenance(range: s.range, sentence: s.text, confidence: 0.45)
                    ))
            }
        }
        return result
    }

    private func sentenceGoals(_ u: TextUnit, sectionYear: Int?) -> [Goal] {
        var result: [Goal] = []
        // Asked only when a sentence states a goal, which few do.
        lazy var blockYear = year(in: u.text)
        // A sentence without a year of its own speaks of the year an earlier one stated
        // ("I årsredovisningen för år 2021 … I samband med redovisningen av …").
        var carried: Int? = nil
        for s in SentenceSplitter().split(u.text) {
            // The sentence is lowered once for the guards of the patterns below.
            let lowered = GuardedPattern.Lowered(s.text)
            // Asked once per sentence: the rules below all depend on it.
            let rangeFree =
                Patterns.firstMatch(GoalExtractor.yearRange, in: s.text, lowered: lowered) == nil
            // `year(in: s.text)`, which is nil for a sentence with a range.
            let own = rangeFree ? singleYear(in: s.text, lowered: lowered) : nil
            defer { if let own { carried = own } }
            if let m = Patterns.firstMatch(
                GoalExtractor.goalSentence, in: s.text, lowered: lowered),
                var text = Patterns.group(m, 1, in: s.text)
            {
                text = text.trimmingCharacters(in: CharacterSet(charactersIn: " ."))
                var target: String? = nil
                if let t = Patterns.firstMatch(GoalExtractor.level, in: text) {
                    target = Patterns.group(t, 1, in: text)
                }
                let y = rangeFree ? (own ?? carried ?? blockYear ?? sectionYear) : nil
                result.append(
                    Goal(
                        text: TextKey.capitalizingFirst(text) + ".", target: target, year: y,
                        provenance: u.provenance(range: s.range, sentence: s.text, confidence: 0.6))
                )
            }
            if let m = Patterns.firstMatch(
                GoalExtractor.goalOpening, in: s.text, lowered: lowered),
                let text = Patterns.group(m, 1, in: s.text)
            {
                let clean = text.trimmingCharacters(in: CharacterSet(charactersIn: " ."))
                result.append(
                    Goal(
                        text: TextKey.capitalizingFirst(clean) + ".", target: nil,
                        year: rangeFree ? (own ?? carried ?? blockYear ?? sectionYear) : nil,
                        provenance: u.provenance(range: s.range, sentence: s.text, confidence: 0.55)
                    ))
            }
            if let m = Patterns.firstMatch(
                GoalExtractor.indicatorOutcome, in: s.text, lowered: lowered),
                let text = Patterns.group(m, 1, in: s.text)
            {
                let outcome = Patterns.group(m, 2, in: s.text).flatMap(Int.init)
                result.append(
                    Goal(
                        text: text, target: nil,
                        year: outcome ?? own ?? carried ?? blockYear,
                        provenance: u.provenance(range: s.range, sentence: s.text, confidence: 0.5))
                )
            }
            for m in Patterns.matches(GoalExtractor.quotedGoal, in: s.text, lowered: lowered) {
                guard let text = Patterns.group(m, 2, in: s.text) else { continue }
                let y = own ?? carried ?? blockYear
                result.append(
                    Goal(
                        text: text, target: nil, year: y,
                        provenance: u.provenance(range: s.range, sentence: s.text, confidence: 0.55)
                    ))
            }
        }
        return result
    }

    private func yearRangeFree(_ text: String) -> Bool {
        Patterns.firstMatch(GoalExtractor.yearRange, in: text) == nil
    }

    /// The single year a text states, nil for none, a range, or several different years.
    func year(in text: String) -> Int? {
        guard yearRangeFree(text) else { return nil }
        return singleYear(in: text)
    }

    /// ``year(in:)`` for a text already known to hold no year range.
    private func singleYear(in text: String, lowered: GuardedPattern.Lowered? = nil) -> Int? {
        let matches =
            lowered.map { Patterns.matches(GoalExtractor.year, in: text, lowered: $0) }
            ?? Patterns.matches(GoalExtractor.year, in: text)
        let years = Set(
            matches.compactMap {
                Patterns.group($0, 1, in: text).flatMap(Int.init)
            })
        return years.count == 1 ? years.first : nil
    }

    /// Years for single goal columns where the caption's range names one column only
    /// ("Inriktningsmål 2019–2024 …" over "Inriktningsmål | Förväntade resultat"): that column
    /// has none, the others take the year the introduction before the caption states ("… i
    /// verksamhetsplanen för 2022").
    private func columnYears(units: [TextUnit], before i: Int, cells: [String], columns: [Int])
        -> [Int: Int]
    {
        guard columns.count >= 2, i >= 1, units[i - 1].rowCells == nil else { return [:] }
        let caption = units[i - 1]
        guard !yearRangeFree(caption.text) else { return [:] }
        let named = columns.filter { c in
            let header = TextKey.fold(cells[c]).trimmedOfWhitespace()
            return !header.isEmpty && caption.key.contains(header)
        }
        guard named.count == 1 else { return [:] }
        var introYear: Int? = nil
        for k in stride(from: i - 2, through: max(0, i - 4), by: -1) {
            if units[k].rowCells != nil || units[k].kind == .heading { break }
            if let y = year(in: units[k].text) {
                introYear = y
                break
            }
        }
        guard let introYear else { return [:] }
        var result: [Int: Int] = [:]
        for c in columns where c != named[0] { result[c] = introYear }
        return result
    }

    /// The year stated by the few units before a table (its caption or introduction).
    private func contextYear(units: [TextUnit], before i: Int) -> Int? {
        for k in stride(from: i - 1, through: max(0, i - 3), by: -1) {
            if units[k].rowCells != nil { break }
            if let y = year(in: units[k].text) { return y }
            if !yearRangeFree(units[k].text) { return nil }
        }
        return nil
    }
}
