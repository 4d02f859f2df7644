import Foundation

/// The JSON document `granska analyze` prints and `granska ingest --jsonl` writes one per
/// line: a superset of the labelled-sample format (`docs/labelled-samples.md`) with the
/// cleaned text, pages and their furniture, blocks, repair edits, diagnostics and provenance.
///
/// The schema is versioned by ``schemaVersion`` and documented in `docs/analysis-schema.md`.
public struct AnalysisReport: Codable, Sendable {
    /// Bumped on any incompatible change of this format.
    public static let currentSchemaVersion = "granska.analysis/1"

    public var schemaVersion: String
    /// Sample id: the file name without extensions ("vanersborg-2022" for
    /// "vanersborg-2022.scan.pdf").
    public var id: String
    public var source: SourceInfo
    public var pipelineVersion: String
    public var metadata: ReportMetadata
    public var sections: [Section]
    public var overallAssessment: OverallAssessment?
    public var assessments: [Assessment]
    public var recommendations: [Recommendation]
    public var goals: [Goal]
    public var pdfMetadata: PDFMetadata
    public var outline: [OutlineEntry]
    public var pages: [Page]
    public var blocks: [Block]
    public var text: String
    public var repairEdits: [RepairEdit]
    public var diagnostics: [Diagnostic]

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case id, source
        case pipelineVersion = "pipeline_version"
        case metadata, sections
        case overallAssessment = "overall_assessment"
        case assessments, recommendations, goals
        case pdfMetadata = "pdf_metadata"
        case outline, pages, blocks, text
        case repairEdits = "repair_edits"
        case diagnostics
    }

    /// Builds the report of an analysed document.
    public init(document: Document) {
        let analysis = document.analysis ?? Analysis()
        schemaVersion = AnalysisReport.currentSchemaVersion
        id = AnalysisReport.sampleID(forPath: document.source.path)
        source = document.source
        pipelineVersion = GranskaVersion.pipeline
        metadata = analysis.metadata
        sections = analysis.sections
        overallAssessment = analysis.overallAssessment
        assessments = analysis.assessments
        recommendations = analysis.recommendations
        goals = analysis.goals
        pdfMetadata = document.pdfMetadata
        outline = document.outline
        pages = document.pages
        blocks = document.blocks
        text = document.text
        repairEdits = document.repairEdits
        diagnostics = document.diagnostics
    }

    /// The answers part, as in a gold file.
    public var analysis: Analysis {
        Analysis(
            metadata: metadata, sections: sections, overallAssessment: overallAssessment,
            assessments: assessments, recommendations: recommendations, goals: goals)
    }

    /// "corpus/vanersborg-2022.scan.pdf" → "vanersborg-2022".
    public static func sampleID(forPath path: String) -> String {
        var name = URL(fileURLWithPath: path).lastPathComponent
        for suffix in [".pdf", ".txt", ".scan"] where name.lowercased().hasSuffix(suffix) {
            name = String(name.dropLast(suffix.count))
        }
        return name
    }

    /// Encodes as JSON: pretty-printed for people, or compact on one line (JSONL).
    public func jsonData(pretty: Bool) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty
            ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// Versions that identify what produced an output.
public enum GranskaVersion {
    /// The tool's version.
    public static let tool = "0.1.0"
    /// Changes whenever a stage's output may change; ingest re-processes documents ingested
    /// under another pipeline version.
    public static let pipeline = "0.4.0"
}
