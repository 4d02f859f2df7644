import Foundation
import GRDB

/// A failure of the corpus database itself (not of one document).
public struct CorpusStoreError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): corpus database: \(reason)" }
}

/// What ingest knows about one document, ready to be written in one transaction.
public struct DocumentRecord: Sendable {
    /// How processing ended.
    public enum Outcome: Sendable {
        /// Processed: the report, and its compact JSON exactly as stored and exported.
        case ok(report: AnalysisReport, json: String)
        /// Not processed: a ``GranskaError/code`` (or `crashed`, `internal`) and the reason.
        case failed(code: String, message: String)
    }

    public var input: IngestInput
    public var sha256: String
    public var byteCount: Int
    /// The pipeline version and the options that change its output (see
    /// ``CorpusStore/pipelineVersion(repair:)``).
    public var pipelineVersion: String
    /// Wall-clock seconds spent on the document (excluded from canonical dumps).
    public var processSeconds: Double
    /// ISO 8601 time of writing (excluded from canonical dumps).
    public var ingestedAt: String
    public var outcome: Outcome

    public init(
        input: IngestInput, sha256: String, byteCount: Int, pipelineVersion: String,
        processSeconds: Double, ingestedAt: String, outcome: Outcome
    ) {
        self.input = input
        self.sha256 = sha256
        self.byteCount = byteCount
        self.pipelineVersion = pipelineVersion
        self.processSeconds = processSeconds
        self.ingestedAt = ingestedAt
        self.outcome = outcome
    }

    /// Whether the document was processed.
    public var isOK: Bool {
        if case .ok = outcome { return true }
        return false
    }
}

/// What the database holds about one path, enough to decide whether to skip it.
public struct StoredDocumentState: Sendable, Hashable {
    public var sha256: String
    public var pipelineVersion: String
    public var isOK: Bool
}

/// The queryable corpus: one SQLite database (through GRDB) holding every ingested
/// document, its pages, sections, assessments, recommendations, goals, repair edits and
/// diagnostics with provenance, an FTS5 index over cleaned text and section titles, and the
/// full analysis report JSON (from which `--jsonl` is regenerated and `merge` copies).
///
/// The schema is created and upgraded by GRDB migrations (``migrator``) and documented in
/// `docs/ingest.md`. Each document is written in one transaction, so a killed run never
/// leaves part of a document behind.
public final class CorpusStore: Sendable {
    /// The path of the database file.
    public let path: String
    let database: DatabaseQueue

    /// Opens (creating if needed) and migrates a corpus database; read-only opens an
    /// existing database without migrating it.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.readonly = readOnly
        // Another process writing the same database (a merge, a second ingest) is waited for.
        configuration.busyMode = .timeout(30)
        if !readOnly {
            configuration.journalMode = .wal
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
        do {
            if readOnly && !FileManager.default.fileExists(atPath: path) {
                throw CorpusStoreError(path: path, reason: "no such file")
            }
            if !readOnly {
                // `--db out/corpus.sqlite` creates `out/` as a user expects.
                let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
                try? FileManager.default.createDirectory(
                    at: folder, withIntermediateDirectories: true)
            }
            database = try DatabaseQueue(path: path, configuration: configuration)
            try CorpusStore.checkSchema(of: database, path: path)
            if !readOnly { try CorpusStore.migrator.migrate(database) }
        } catch let error as CorpusStoreError {
            throw error
        } catch {
            throw CorpusStoreError(path: path, reason: "\(error)")
        }
    }

    /// Refuses a database with migrations this build does not know (made by a newer
    /// granska), or, when read-only, one that is not a complete corpus of this schema.
    private static func checkSchema(of database: DatabaseQueue, path: String) throws {
        let (applied, complete) = try database.read { db in
            (try migrator.appliedIdentifiers(db), try migrator.hasCompletedMigrations(db))
        }
        let unknown = applied.subtracting(migrator.migrations)
        if !unknown.isEmpty {
            throw CorpusStoreError(
                path: path,
                reason:
                    "made by a newer granska (schema \(unknown.sorted().joined(separator: ", ")))")
        }
        if database.configuration.readonly && !complete {
            throw CorpusStoreError(path: path, reason: "not a granska corpus of this version")
        }
    }

    /// The version string stored with documents: the pipeline version plus the options
    /// that change its output, so a rerun with other options re-processes.
    ///
    /// With repair, the model files and counts learned at run time (`$GRANSKA_CONTEXT`, see
    /// ``ContextCounts``) change the output too: their digests are part of the version.
    public static func pipelineVersion(repair: Bool) -> String {
        guard repair else { return GranskaVersion.pipeline + ";no-repair" }
        guard let model = try? Pipeline.sharedRepairModel() else { return GranskaVersion.pipeline }
        // Rebuilt model files change the output as much as a new pipeline does.
        var version = GranskaVersion.pipeline
        if let digest = try? model.filesDigest() { version += ";models:" + digest }
        if let learned = model.context.learned {
            version += ";context:" + learned.digest.prefix(16)
        }
        return version
    }

    /// Runs `body` against the database, turning GRDB errors into ``CorpusStoreError``.
    func withDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.inDatabase(body)
        } catch let error as CorpusStoreError {
            throw error
        } catch {
            throw CorpusStoreError(path: path, reason: "\(error)")
        }
    }

    /// The state of every stored document, by path.
    public func storedStates() throws -> [String: StoredDocumentState] {
        try withDatabase { db in
            var states: [String: StoredDocumentState] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT path, sha256, pipeline_version, status FROM documents")
            while let row = try rows.next() {
                states[row["path"]] = StoredDocumentState(
                    sha256: row["sha256"], pipelineVersion: row["pipeline_version"],
                    isOK: (row["status"] as String) == "ok")
            }
            return states
        }
    }

    /// Number of stored documents by status ("ok", "failed").
    public func documentCounts() throws -> [String: Int] {
        try withDatabase { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT status, COUNT(*) AS n FROM documents GROUP BY status")
            {
                counts[row["status"]] = row["n"]
            }
            return counts
        }
    }

    /// (path, status, error code) of every stored document, sorted by path.
    public func documentStatuses() throws -> [(path: String, status: String, code: String?)] {
        try withDatabase { db in
            try Row.fetchAll(
                db, sql: "SELECT path, status, error_code FROM documents ORDER BY path"
            ).map { ($0["path"], $0["status"], $0["error_code"]) }
        }
    }

    /// Paths of documents matching an FTS5 query over title, section titles and text,
    /// best match first.
    public func search(_ query: String, limit: Int = 20) throws -> [String] {
        try withDatabase { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT documents.path FROM documents_fts
                    JOIN documents ON documents.id = documents_fts.rowid
                    WHERE documents_fts MATCH ? ORDER BY rank LIMIT ?
                    """, arguments: [query, limit])
        }
    }

    /// Writes one processed document from its rows (replacing any earlier row for its path)
    /// in one transaction.
    func write(_ record: ReportRecord) throws {
        try inOneTransaction { try CorpusStore.insert(record, into: $0) }
    }

    /// Writes one document (replacing any earlier row for its path) in one transaction.
    public func write(_ record: DocumentRecord) throws {
        try inOneTransaction { try CorpusStore.insert(record, into: $0) }
    }

    private func inOneTransaction(_ body: (Database) throws -> Void) throws {
        do {
            try database.inTransaction { db in
                try body(db)
                return .commit
            }
        } catch {
            throw CorpusStoreError(path: path, reason: "\(error)")
        }
    }
}
