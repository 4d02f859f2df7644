/// A recoverable problem found while processing a document, kept in the output so nothing
/// is silently dropped: an unreadable page, a page without a text layer, an unsure repair.
public struct Diagnostic: Codable, Hashable, Sendable {
    public enum Severity: String, Codable, Sendable {
        case info, warning, error
    }

    public var severity: Severity
    /// The stage that raised it: "extraction", "layout", "repair", "structure".
    public var stage: String
    /// A stable code such as "page-no-text-layer" or "page-garbage-text".
    public var code: String
    public var message: String
    /// 1-based page number, where the problem belongs to a page.
    public var page: Int?

    public init(severity: Severity, stage: String, code: String, message: String, page: Int? = nil)
    {
        self.severity = severity
        self.stage = stage
        self.code = code
        self.message = message
        self.page = page
    }
}
