import Foundation

/// Options for one run of the pipeline.
public struct PipelineOptions: Sendable {
    /// Run the repair stage (restore diacritics and OCR confusions).
    public var repair: Bool = true
    /// Edits below this confidence are not applied (they are kept as diagnostics).
    public var minRepairConfidence: Double = 0.5
    /// Run the structure stage (sections, verdicts, recommendations, goals).
    public var analyze: Bool = true
    /// Refuse inputs larger than this many bytes.
    public var maxBytes: Int = 512 * 1024 * 1024
    /// Refuse PDFs with more pages than this.
    public var maxPages: Int = 5000

    public init() {}
}

/// The whole pipeline: Extraction → Layout → Repair → Structure, each stage enriching one
/// ``Document``.
public struct Pipeline: Sendable {
    public var options: PipelineOptions

    public init(options: PipelineOptions = PipelineOptions()) {
        self.options = options
    }
}
