import Foundation

/// Audit questions with verdicts, and the overall assessment.
///
/// Questions come from the question list after "följande revisionsfrågor:", summary tables
/// ("Revisionsfråga | Bedömning"), "Revisionsfråga 2: …" lines and the question that opens
/// a bedömning section; repeats are merged by text similarity. A question's verdict is, in
/// order of trust: a table cell or answer line ("Delvis."), the graded assessment sentence
/// that best matches it ("Vår bedömning är att …"), `not-assessed` for descriptive questions.
struct AssessmentExtractor: Sendable {
    let classifier = VerdictClassifier()
    let splitter = SentenceSplitter()

    struct Candidate {
        var question: String
        var body: String?
        var reading: VerdictClassifier.Reading?
        var source: Source
        var provenance: Provenance
        enum Source: Int { case list = 0, table = 1, inline = 2, section = 3 }
    }

    static let questionLine = Patterns.regex(
        #"^revisionsfr[aå]ga\s*\d*\s*[:.]\s*(.+\?)\s*$"#, requiring: [["revisionsfr"]])
    static let numbering = Patterns.regex(#"^\s*\d{1,2}(?:\.\d{1,2})*[.):]?\s+"#)
    /// Verdict words standing in a question's line where OCR ran a table's two columns
    /// together ("… i kommunen Ja avseende …?").
    static let embeddedVerdict = try! NSRegularExpression(
        pattern: #"(?<=\s)(Ja, i allt väsentligt|Ja, i allt vasentligt|I allt väsentligt|"#
            + #"I allt vasentligt|[I|l] allt|Delvis|Ja|Nej)(?=\s|$)"#)
    static let assessmentOpeners = [
        "var bedomning ar", "vi bedomer", "vi kan konstatera", "vi konstaterar",
        "vi gor bedomningen",
        "vi anser att", "utifran genomford granskning ar var bedomning",
        "var sammantagna bedomning",
        "bedomningen ar",
    ]
    static let stopwords: Set<String> = [
        "och", "att", "det", "som", "for", "med", "av", "i", "pa", "en", "ett", "den", "de", "ar",
        "har", "finns", "till", "om", "sker", "vid", "inom", "samt", "kommunen", "kommunens",
        "avseende", "galler", "gallande", "eller", "dess", "sina", "sin", "nar", "hur",
    ]

    // MARK: Questions

    func extract(units: [TextUnit], sections: [DetectedSection], bodyStart: Int) -> [Assessment] {
        var candidates: [Candidate] = []
        candidates += tableQuestions(units: units)
        candidates += listQuestions(units: units)
        candidates += inlineQuestions(units: units, sections: sections)
        // Merge repeats, in order of first appearance.
        var merged: [Candidate] = []
        let ordered = candidates.sorted { $0.provenance.span.start < $1.provenance.span.start }
        for c in ordered {
            if let k = merged.firstIndex(where: {
                $0.body == c.body
                    && TextKey.isTolerantlySimilar($0.question, c.question, atLeast: 0.8)
            }) {
                if c.source.rawValue < merged[k].source.rawValue {
                    merged[k].question = c.question
                    merged[k].provenance = c.provenance
                    merged[k].source = c.source
                }
                if merged[k].reading == nil { merged[k].reading = c.reading }
            } else {
                merged.append(c)
            }
        }
        let graded = gradedSentences(units: units, sections: sections)
        return merged.map { c in
            var reading = c.reading
            var confidence = c.reading == nil ? 0.5 : 0.85
            if reading == nil {
                if classifier.isDescriptive(c.question) {
                    reading = .init(verdict: .notAssessed, cue: "")
                    confidence = 0.7
                } else if let best = bestGraded(for: c.question, in: graded) {
                    reading = best
                    confidence = 0.6
                }
            }
            var provenance = c.provenance
            provenance.confidence = confidence
            return Assessment(
                question: c.question, verdict: reading?.verdict ?? .notAssessed, body: c.body,
                rawVerdict: reading.map(\.cue).flatMap { $0.isEmpty ? nil : $0 },
                provenance: provenance)
        }
    }

    private func cleanQuestion(_ text: String) -> String {
        var q = TextUnit.stripBullet(text).text
        if let m = Patterns.firstMatch(AssessmentExtractor.numbering, in: q),
            let r = Range(m.range, in: q)
        {
            q = String(q[r.upperBound...])
        }
        return q.trimmedOfWhitespace()
    }

    /// Summary-table rows: the question in the first cell, the answer in the next (or one
    /// column per answering body when the header names bodies).
    private func tableQuestions(units: [TextUnit]) -> [Candidate] {
        var result: [Candidate] = []
        // Per table: the question column, and the body each answer column is for (if any).
        var headers: [Int: (question: Int, bodies: [String?]?)] = [:]
        let names = BodyNames()
        var inlineTable = false
        for u in units {
            // OCR reads "I allt" as "| allt": inside a flattened table that is no cell border.
            if let cells = u.rowCells, !(inlineTable && u.cells == nil) {
                let tableID = u.table ?? -1
                let folded = cells.map { TextKey.fold($0) }
                if let q = folded.firstIndex(where: {
                    $0.includes("revisionsfrag") || $0.hasPrefix("fraga")
                }),
                    !cells.joined().contains("?")
                {
                    let bodies = cells.indices.map {
                        $0 <= q ? nil : names.bodies(in: cells[$0]).first
                    }
                    headers[tableID] = (q, bodies.contains { $0 != nil } ? bodies : nil)
                    continue
                }
                let header = headers[tableID]
                guard
                    let q = header?.question
                        ?? cells.firstIndex(where: {
                            $0.contains("?") && $0.wordCount >= 3
                        }),
                    q < cells.count, let mark = cells[q].lastIndex(of: "?")
                else { continue }
                let question = cleanQuestion(String(cells[q][...mark]))
                let rest = Array(cells[(q + 1)...])
                if let bodies = header?.bodies {
                    for (c, cell) in rest.enumerated() {
                        guard q + 1 + c < bodies.count, let body = bodies[q + 1 + c],
                            let reading = classifier.answer(cell)
                        else { continue }
                        result.append(
                            Candidate(
                                question: question, body: body, reading: reading, source: .table,
                                provenance: u.provenance(sentence: u.text, confidence: 0.85)))
                    }
                    continue
                }
                // The answer cell, or an answer left after the question mark in its cell.
                let tail = String(cells[q][cells[q].index(after: mark)...])
                var reading =
                    rest.lazy.compactMap { classifier.answer($0) }.first ?? classifier.answer(tail)
                if reading == nil, !classifier.isDescriptive(question), !rest.isEmpty {
                    // A comment column without an answer word: grade its prose.
                    reading = classifier.grade(rest.joined(separator: " "))
                }
                result.append(
                    Candidate(
                        question: question, body: nil, reading: reading, source: .table,
                        provenance: u.provenance(sentence: u.text, confidence: 0.85)))
                continue
            }
            // A table that OCR flattened into lines: header "Revisionsfråga Bedömning".
            if u.key.includes("revisionsfrag") && u.key.includes("bedomning")
                && u.text.wordCount <= 4
            {
                inlineTable = true
                continue
            }
            if inlineTable {
                guard u.text.contains("?") else {
                    inlineTable = false
                    continue
                }
                for part in AssessmentExtractor.questionParts(u.text) {
                    if let c = flattenedRow(u, text: part) { result.append(c) }
                }
            }
        }
        return result
    }

    /// A block's text cut after each "?" that a capitalised word follows: page breaks and
    /// OCR join consecutive questions into one block.
    static func questionParts(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            current.append(chars[i])
            if chars[i] == "?", i + 2 < chars.count, chars[i + 1] == " ", chars[i + 2].isUppercase {
                parts.append(current.trimmedOfWhitespace())
                current = ""
            }
            i += 1
        }
        let rest = current.trimmedOfWhitespace()
        if !rest.isEmpty { parts.append(rest) }
        return parts
    }

    private func flattenedRow(_ u: TextUnit, text original: String) -> Candidate? {
        var text = original
        var removed: [String] = []
        let matches = Patterns.matches(AssessmentExtractor.embeddedVerdict, in: text).reversed()
        for m in matches {
            guard let r = Range(m.range, in: text) else { continue }
            removed.insert(String(text[r]), at: 0)
            text.removeSubrange(r)
        }
        // Words after the question mark are the answer's wrapped remainder ("väsentligt").
        if let q = text.lastIndex(of: "?") {
            let rest = text[text.index(after: q)...].trimmedOfWhitespace()
            if !rest.isEmpty { removed.append(rest) }
            text = String(text[...q])
        }
        let question = cleanQuestion(text.split(separator: " ").joined(separator: " "))
        guard question.wordCount >= 3 else { return nil }
        // "| allt" and "l allt" are OCR's "I allt".
        var answer = removed.joined(separator: " ")
        if let first = answer.first, first == "|" || first == "l" {
            answer = "I" + answer.dropFirst()
        }
        let reading = classifier.answer(answer)
        return Candidate(
            question: question, body: nil, reading: reading, source: .table,
            provenance: u.provenance(sentence: u.text, confidence: 0.8))
    }

    /// The list after an introduction such as "följande revisionsfrågor:".
    private func listQuestions(units: [TextUnit]) -> [Candidate] {
        var result: [Candidate] = []
        var i = 0
        while i < units.count {
            let u = units[i]
            // "… följande revisionsfrågor:", "… besvara följande frågor:", or a
            // "Revisionsfrågor" heading; mapping questions ("kartläggande frågor") are not
            // audit questions.
            let asksQuestions =
                u.key.includes("revisionsfrag") || u.key.includes("fragestallning")
                || u.key.includes("fragor") && !u.key.includes("kartlagg")
            let intro = asksQuestions && (u.text.hasSuffix(":") || u.kind == .heading)
            guard intro else {
                i += 1
                continue
            }
            var j = i + 1
            while j < units.count {
                let whole = cleanQuestion(units[j].text)
                guard whole.hasSuffix("?") || whole.hasSuffix("?)") else { break }
                for part in AssessmentExtractor.questionParts(whole) {
                    let text = cleanQuestion(part)
                    if isQuestionOpener(text) {
                        result.append(
                            Candidate(
                                question: text, body: nil, reading: nil, source: .list,
                                provenance: units[j].provenance(confidence: 0.8)))
                    }
                }
                j += 1
            }
            i = j
        }
        return result
    }

    /// Whether a question opens with a finite verb or an interrogative, as audit questions
    /// do; sub-items such as "– I kommunen (mellan nämnder)?" do not.
    private func isQuestionOpener(_ text: String) -> Bool {
        guard let first = TextKey.foldedWords(text).first else { return false }
        if classifier.isDescriptive(text) {
            return first != "i" || TextKey.fold(text).hasPrefix("i vilken")
        }
        // Present tense ("säkerställer", "genomför") or deponent ("finns", "bedöms").
        return (first.hasSuffix("r") || first.hasSuffix("s")) && first.count >= 3
            || ["kan", "ska", "bor", "har", "ar"].contains(first)
    }

    /// "Revisionsfråga 2: …?" lines and a bedömning section's opening question with its
    /// answer line ("Ja.").
    private func inlineQuestions(units: [TextUnit], sections: [DetectedSection]) -> [Candidate] {
        var result: [Candidate] = []
        for (i, u) in units.enumerated() {
            if let m = Patterns.firstMatch(AssessmentExtractor.questionLine, in: u.key),
                Patterns.group(m, 1, in: u.key) != nil
            {
                // Take the question from the original text at the same place after the colon.
                if let colon = u.text.firstIndex(where: { $0 == ":" || $0 == "." }) {
                    let q = u.text[u.text.index(after: colon)...].trimmingCharacters(
                        in: .whitespaces)
                    result.append(
                        Candidate(
                            question: q, body: nil, reading: nil, source: .inline,
                            provenance: u.provenance(confidence: 0.8)))
                }
                continue
            }
            // A question answered per body on the lines after it: "Socialnämnden: Delvis."
            if u.text.hasSuffix("?"), isQuestionOpener(cleanQuestion(u.text)) {
                var k = i + 1
                var perBody: [Candidate] = []
                while k < units.count {
                    let answers = bodyAnswer(units[k]).map { [$0] } ?? bodyAnswers(units[k])
                    if answers.isEmpty { break }
                    for answer in answers {
                        perBody.append(
                            Candidate(
                                question: cleanQuestion(u.text), body: answer.body,
                                reading: answer.reading, source: .section,
                                provenance: units[k].provenance(confidence: 0.75)))
                    }
                    k += 1
                }
                if !perBody.isEmpty {
                    result += perBody
                    continue
                }
            }
            if u.text.hasSuffix("?"), i + 1 < units.count, isQuestionOpener(cleanQuestion(u.text)),
                units[i + 1].text.wordCount <= 5,
                let reading = classifier.answer(units[i + 1].text)
            {
                result.append(
                    Candidate(
                        question: cleanQuestion(u.text), body: nil, reading: reading,
                        source: .section,
                        provenance: u.provenance(confidence: 0.85)))
            }
        }
        return result
    }

    static let bodyAnswerLine = Patterns.regex(#"^\s*(?:•\s*)?([^:–]{4,60}?)\s*[:–]\s*(.{2,40})$"#)

    /// "Socialnämnden: Ja, i allt väsentligt." → (socialnämnden, largely).
    private func bodyAnswer(_ u: TextUnit) -> (body: String, reading: VerdictClassifier.Reading)? {
        guard u.text.wordCount <= 10,
            let m = Patterns.firstMatch(AssessmentExtractor.bodyAnswerLine, in: u.text),
            let name = Patterns.group(m, 1, in: u.text),
            let answer = Patterns.group(m, 2, in: u.text),
            let body = BodyNames().bodies(in: name).first, let reading = classifier.answer(answer)
        else { return nil }
        return (body, reading)
    }

    static let genitiveBody = Patterns.regex(
        #"(n[äa]mnden|styrelsen|fullm[äa]ktige)s(?![\p{L}])"#)
    /// Words that join a body and its answer in a sentence ("för", "är svaret", "s del").
    static let answerFiller: Set<String> = [
        "for", "och", "medan", "samt", "men", "ar", "svaret", "svar", "del", "gallande",
        "avseende", "galler", "nar", "det", "om", "vad", "betraffande",
    ]

    /// Several bodies answered in one line or sentence: "Socialnämnden: Ja. Tillväxtnämnden:
    /// Delvis.", "Svar: delvis för socialnämnden och ja för kommunstyrelsen", "För
    /// socialnämndens del är svaret nej, för tillväxtnämndens del ja." Each body's answer is
    /// the text between it and the next body (or the previous one, when answers come first);
    /// every part must read as an answer, else nothing is returned.
    private func bodyAnswers(_ u: TextUnit) -> [(body: String, reading: VerdictClassifier.Reading)]
    {
        guard u.text.wordCount <= 40 else { return [] }
        let ns = u.text as NSString
        let text = AssessmentExtractor.genitiveBody.stringByReplacingMatches(
            in: u.text, range: NSRange(location: 0, length: ns.length), withTemplate: "$1")
        let matches = Patterns.matches(BodyNames.pattern, in: text)
        guard matches.count >= 2 else { return [] }
        let t = text as NSString
        func piece(_ from: Int, _ to: Int) -> String {
            guard to > from else { return "" }
            let raw = t.substring(with: NSRange(location: from, length: to - from))
            // Drop labels and connecting words; what is left must be the answer itself.
            var words = raw.split(whereSeparator: { " ,;:.–—-".contains($0) }).map(String.init)
            if let f = words.first, ["svar", "bedomning"].contains(TextKey.fold(f)) {
                words.removeFirst()
            }
            while let f = words.first, AssessmentExtractor.answerFiller.contains(TextKey.fold(f)) {
                words.removeFirst()
            }
            while let l = words.last, AssessmentExtractor.answerFiller.contains(TextKey.fold(l)) {
                words.removeLast()
            }
            return words.joined(separator: " ")
        }
        let names = BodyNames()
        func reading(_ piece: String) -> VerdictClassifier.Reading? {
            guard !piece.isEmpty, piece.wordCount <= 6 else { return nil }
            return classifier.answer(piece)
        }
        // Order: "Body: answer" when nothing but a label or filler precedes the first body.
        let lead = piece(0, matches[0].range.location)
        let bodyFirst = reading(lead) == nil
        if bodyFirst, !lead.isEmpty { return [] }
        var result: [(body: String, reading: VerdictClassifier.Reading)] = []
        for (k, m) in matches.enumerated() {
            guard let name = Patterns.group(m, 1, in: text),
                let body = names.bodies(in: name).first
            else { return [] }
            let from: Int, to: Int
            if bodyFirst {
                from = m.range.location + m.range.length
                to = k + 1 < matches.count ? matches[k + 1].range.location : t.length
            } else {
                from = k == 0 ? 0 : matches[k - 1].range.location + matches[k - 1].range.length
                to = m.range.location
            }
            guard let r = reading(piece(from, to)) else { return [] }
            result.append((body, r))
        }
        return result
    }

    // MARK: Graded prose

    struct Graded {
        var reading: VerdictClassifier.Reading
        var stems: Set<String>
        var contextStems: Set<String>
    }

    static func stems(_ text: String) -> Set<String> {
        Set(
            TextKey.foldedWords(text).filter {
                $0.count >= 3 && !stopwords.contains($0) && !$0.allSatisfy(\.isNumber)
            }
            .map { String($0.prefix(6)) })
    }

    private func isAssessmentSection(_ key: String) -> Bool {
        (key.hasPrefix("bedomning") || key.hasPrefix("kommentar") || key.includes("bedomningar"))
            && !key.hasPrefix("samlad") && !key.hasPrefix("sammanfattande")
    }

    /// Assessment sentences of the bedömning sections, each with the stems of its context
    /// (the heading above the section, and the section title's own topic after a dash).
    private func gradedSentences(units: [TextUnit], sections: [DetectedSection]) -> [Graded] {
        var result: [Graded] = []
        for (n, s) in sections.enumerated() where isAssessmentSection(s.key) {
            let end = n + 1 < sections.count ? sections[n + 1].unitIndex : units.count
            var context = AssessmentExtractor.stems(s.section.title)
            let level = s.section.level ?? 99
            if let parent = sections[..<n].last(where: {
                !isAssessmentSection($0.key)
                    && (($0.section.level ?? 1) < level || s.section.number == nil)
            }) {
                context.formUnion(AssessmentExtractor.stems(parent.section.title))
            }
            var found = false
            var firstCue: Graded? = nil
            for k in (s.unitIndex + 1)..<max(s.unitIndex + 1, end) {
                for sentence in splitter.split(units[k].text) {
                    let key = TextKey.fold(sentence.text)
                    let opens = AssessmentExtractor.assessmentOpeners.contains { key.includes($0) }
                    if opens, let r = classifier.grade(sentence.text) {
                        result.append(
                            Graded(
                                reading: VerdictClassifier.Reading(verdict: r.verdict, cue: r.cue),
                                stems: AssessmentExtractor.stems(sentence.text),
                                contextStems: context))
                        found = true
                    } else if firstCue == nil, let r = classifier.grade(sentence.text),
                        r.verdict != .yes
                    {
                        firstCue = Graded(
                            reading: r, stems: AssessmentExtractor.stems(sentence.text),
                            contextStems: context)
                    }
                }
            }
            if !found, let g = firstCue {
                var g = g
                // Take the whole section's words as its topic.
                for k in (s.unitIndex + 1)..<max(s.unitIndex + 1, end) {
                    g.stems.formUnion(AssessmentExtractor.stems(units[k].text))
                }
                result.append(g)
            }
        }
        return result
    }

    private func bestGraded(for question: String, in graded: [Graded]) -> VerdictClassifier.Reading?
    {
        let q = AssessmentExtractor.stems(question)
        guard !q.isEmpty else { return nil }
        var best: (Double, VerdictClassifier.Reading)? = nil
        for g in graded {
            let own = Double(q.intersection(g.stems).count)
            let context = Double(q.intersection(g.contextStems).count)
            let score = (own + 1.5 * context) / Double(q.count)
            if score > (best?.0 ?? 0.3) { best = (score, g.reading) }
        }
        return best?.1
    }

    // MARK: Overall

    /// Phrases that announce the overall assessment (folded keys).
    static let overallCues = [
        "samlade bedomning", "samlad bedomning", "sammanfattande bedomning",
        "sammantagna bedomning", "sammantagen bedomning", "sammantaget bedomer vi",
        "sammanfattningsvis bedomer vi", "overgripande bedomning",
    ]

    /// The first "samlad bedömning" sentence, graded.
    func overall(units: [TextUnit]) -> OverallAssessment? {
        for u in units {
            guard AssessmentExtractor.overallCues.contains(where: { u.key.includes($0) }) else {
                continue
            }
            for s in splitter.split(u.text) {
                let key = TextKey.fold(s.text)
                let isOverall =
                    AssessmentExtractor.overallCues.contains { key.includes($0) }
                    && (key.includes(" att ") || key.includes(" ar "))
                guard isOverall, s.text.wordCount >= 8 else { continue }
                let verdict = classifier.grade(s.text)?.verdict ?? .notAssessed
                return OverallAssessment(
                    verdict: verdict, text: s.text,
                    provenance: u.provenance(range: s.range, sentence: s.text, confidence: 0.8))
            }
        }
        return nil
    }
}
