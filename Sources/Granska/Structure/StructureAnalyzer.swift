import Foundation

/// The structure stage: reads an assembled (and repaired) ``Document`` and fills
/// ``Document/analysis`` with sections, metadata, audit questions and verdicts, the overall
/// assessment, recommendations and goals, each with provenance into ``Document/text``.
///
/// Rules are general Swedish audit-report cues (headings, "Vår bedömning är att …",
/// "Vi rekommenderar … att:"), matched on folded keys so that OCR text without diacritics
/// reads the same; every text it outputs is the document's own.
public struct StructureAnalyzer: Sendable {
    public init() {}

    /// Analyses `document` and sets its ``Document/analysis``.
    public func analyze(_ document: inout Document) {
        document.analysis = analysis(of: document)
    }

    /// The analysis of `document`, without changing it.
    public func analysis(of document: Document) -> Analysis {
        TextMemo<Any>.forgetAll()
        let units = TextUnit.units(of: document)
        let furniture = document.pages.flatMap {
            $0.furniture.filter { !$0.isPageNumber }.map(\.text)
        }
        let furnitureKeys = Set(furniture.map { SectionDetector.titleKey($0) })
        let detected = SectionDetector().detect(
            units: units, document: document, furnitureKeys: furnitureKeys)
        let metadata = MetadataExtractor().extract(
            document: document, units: units, bodyStart: detected.bodyStart, furniture: furniture)
        let body = units.enumerated().filter { !detected.tocUnits.contains($0.offset) }.map(
            \.element)
        // Section unit indices refer to `units`; re-index them onto `body`.
        var position: [Int: Int] = [:]
        var n = 0
        for (i, _) in units.enumerated() where !detected.tocUnits.contains(i) {
            position[i] = n
            n += 1
        }
        let sections = detected.sections.compactMap { s -> DetectedSection? in
            guard let p = position[s.unitIndex] else { return nil }
            var s = s
            s.unitIndex = p
            return s
        }
        let bodyStart = position[detected.bodyStart] ?? 0
        let assessor = AssessmentExtractor()
        // Bodies are a closed class: each is output in one correct spelling.
        let names = BodyNames()
        let spellings = names.spellings(in: body.map(\.text))
        var assessments = assessor.extract(units: body, sections: sections, bodyStart: bodyStart)
        for k in assessments.indices {
            assessments[k].body = assessments[k].body.map {
                names.canonical($0, spellings: spellings)
            }
        }
        let overall = assessor.overall(units: body)
        var recommendations = RecommendationExtractor().extract(
            units: body, sections: sections, defaultBodies: auditedBodies(body))
        for k in recommendations.indices {
            var seen = Set<String>()
            recommendations[k].recipients = recommendations[k].recipients
                .map { names.canonical($0, spellings: spellings) }
                .filter { seen.insert($0).inserted }
        }
        let goals = GoalExtractor().extract(units: body, bodyStart: bodyStart)
        // The report's title and names on the first pages are the title page, not headings.
        let sectionList = detected.sections.map(\.section).filter { s in
            guard (s.provenance?.page ?? 99) <= 2, s.number == nil else { return true }
            let names = [metadata.title, metadata.municipality, metadata.firm].compactMap { $0 }
            return !names.contains { TextKey.similarity($0, s.title) >= 0.8 }
        }
        return Analysis(
            metadata: metadata, sections: sectionList,
            overallAssessment: overall, assessments: assessments,
            recommendations: recommendations, goals: goals)
    }

    /// The bodies the audit is addressed to: those its purpose sentence names ("Syftet … är
    /// att bedöma om socialnämnden och tillväxtnämnden …"), else the two most named.
    func auditedBodies(_ units: [TextUnit]) -> [String] {
        let names = BodyNames()
        for u in units where u.key.includes("syfte") {
            for s in SentenceSplitter().split(u.text) {
                let key = TextKey.fold(s.text)
                guard key.includes("syfte"), key.includes("bedoma") else { continue }
                let bodies = names.bodies(in: s.text)
                if !bodies.isEmpty { return bodies }
            }
        }
        var counts: [String: Int] = [:]
        for u in units { for b in names.bodies(in: u.text) { counts[b, default: 0] += 1 } }
        return counts.sorted { $0.value > $1.value || $0.value == $1.value && $0.key < $1.key }
            .prefix(2).map(\.key)
    }
}
