import Foundation
import GRDB

extension CorpusStore {
    /// Writes every processed document's report, one compact JSON per line, ordered by
    /// path, to `jsonlPath` (atomically). Returns the number of lines.
    @discardableResult
    public func exportJSONL(to jsonlPath: String) throws -> Int {
        let writer = try JSONLWriter(path: jsonlPath)
        let count = try withDatabase { db -> Int in
            let lines = try String.fetchCursor(
                db,
                sql: """
                    SELECT r.json FROM documents d JOIN document_reports r
                    ON r.document_id = d.id WHERE d.status = 'ok' ORDER BY d.path
                    """)
            var count = 0
            while let line = try lines.next() {
                try writer.append(line)
                count += 1
            }
            return count
        }
        try writer.commit()
        return count
    }

    /// Writes the cleaned text of processed documents to `directory/KEY.txt` (atomically,
    /// creating folders): those whose key is in `rewrite`, and any whose file is missing.
    /// Returns the number of files written.
    @discardableResult
    public func exportTexts(to directory: String, rewrite: Set<String>) throws -> Int {
        let fileManager = FileManager.default
        let root = URL(fileURLWithPath: directory)
        try? fileManager.createDirectory(at: root, withIntermediateDirectories: true)
        return try withDatabase { db -> Int in
            let rows = try Row.fetchCursor(
                db, sql: "SELECT key, text FROM documents WHERE status = 'ok' ORDER BY path")
            var written = 0
            while let row = try rows.next() {
                let key: String = row["key"]
                let url = root.appendingPathComponent(key + ".txt")
                if !rewrite.contains(key) && fileManager.fileExists(atPath: url.path) { continue }
                let text: String = row["text"] ?? ""
                do {
                    try fileManager.createDirectory(
                        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(text.utf8).write(to: url, options: .atomic)
                } catch {
                    throw GranskaError.unreadable(path: url.path, reason: "cannot write: \(error)")
                }
                written += 1
            }
            return written
        }
    }

    /// Columns left out of canonical dumps: row ids (which depend on completion order) and
    /// timings.
    static let nonCanonicalColumns: Set<String> = [
        "id", "document_id", "recommendation_id", "process_seconds", "ingested_at",
    ]

    /// The database content as sorted text lines, without row ids and timings: two
    /// databases with equal dumps hold the same corpus, whatever order documents were
    /// written in (used to check resume, shard and merge).
    public func canonicalDump() throws -> String {
        try withDatabase { db in
            var output: [String] = []
            let childTables = [
                "document_reports", "pages", "metadata_provenance", "sections", "assessments",
                "recommendations", "goals", "repair_edits", "diagnostics",
            ]
            var queries: [(String, String)] = [("documents", "SELECT * FROM documents")]
            for table in childTables {
                queries.append(
                    (
                        table,
                        """
                        SELECT d.path AS document_path, c.* FROM \(table) c
                        JOIN documents d ON d.id = c.document_id
                        """
                    ))
            }
            queries.append(
                (
                    "recommendation_recipients",
                    """
                    SELECT d.path AS document_path, r.ordinal AS recommendation_ordinal, c.*
                    FROM recommendation_recipients c
                    JOIN recommendations r ON r.id = c.recommendation_id
                    JOIN documents d ON d.id = r.document_id
                    """
                ))
            queries.append(
                (
                    "documents_fts",
                    """
                    SELECT d.path AS document_path, f.title, f.section_titles, f.text
                    FROM documents_fts f JOIN documents d ON d.id = f.rowid
                    """
                ))
            for (table, sql) in queries {
                var lines: [String] = []
                for row in try Row.fetchAll(db, sql: sql) {
                    var fields: [String] = []
                    for (column, value) in row where !Self.nonCanonicalColumns.contains(column) {
                        fields.append("\(column)=\(value.description)")
                    }
                    lines.append(fields.joined(separator: "\t"))
                }
                lines.sort()
                output.append("## \(table) (\(lines.count))")
                output.append(contentsOf: lines)
            }
            return output.joined(separator: "\n") + "\n"
        }
    }

    /// Copies every document of another corpus database into this one, each replacing any
    /// row for the same path, in one transaction per input. Returns the number copied.
    @discardableResult
    public func merge(from inputPath: String) throws -> Int {
        let input = try CorpusStore(path: inputPath, readOnly: true)
        let decoder = JSONDecoder()
        do {
            var copied = 0
            try database.inTransaction { db in
                try input.database.inDatabase { source in
                    let rows = try Row.fetchCursor(
                        source,
                        sql: """
                            SELECT d.*, r.json AS report_json FROM documents d
                            LEFT JOIN document_reports r ON r.document_id = d.id
                            ORDER BY d.path
                            """)
                    while let row = try rows.next() {
                        let record = try Self.record(from: row, decoder: decoder)
                        try Self.insert(record, into: db)
                        copied += 1
                    }
                }
                return .commit
            }
            return copied
        } catch let error as CorpusStoreError {
            throw error
        } catch {
            throw CorpusStoreError(path: inputPath, reason: "cannot merge: \(error)")
        }
    }

    private static func record(from row: Row, decoder: JSONDecoder) throws -> DocumentRecord {
        let input = IngestInput(
            path: row["path"], relativePath: row["relative_path"], id: row["key"])
        let outcome: DocumentRecord.Outcome
        if (row["status"] as String) == "ok" {
            guard let json: String = row["report_json"] else {
                throw CorpusStoreError(
                    path: input.path, reason: "processed document without a stored report")
            }
            let report = try decoder.decode(AnalysisReport.self, from: Data(json.utf8))
            outcome = .ok(report: report, json: json)
        } else {
            outcome = .failed(
                code: row["error_code"] ?? "unknown", message: row["error_message"] ?? "")
        }
        return DocumentRecord(
            input: input, sha256: row["sha256"], byteCount: row["byte_count"],
            pipelineVersion: row["pipeline_version"],
            processSeconds: row["process_seconds"] ?? 0, ingestedAt: row["ingested_at"] ?? "",
            outcome: outcome)
    }
}

extension CorpusStore {
    /// Rows per child table for one document (tables without rows are left out).
    func rowCounts(documentPath: String) throws -> [String: Int] {
        try withDatabase { db in
            var counts: [String: Int] = [:]
            let tables = [
                "document_reports", "pages", "metadata_provenance", "sections", "assessments",
                "recommendations", "goals", "repair_edits", "diagnostics",
            ]
            for table in tables {
                let count =
                    try Int.fetchOne(
                        db,
                        sql: """
                            SELECT COUNT(*) FROM \(table) c JOIN documents d
                            ON d.id = c.document_id WHERE d.path = ?
                            """, arguments: [documentPath]) ?? 0
                if count > 0 { counts[table] = count }
            }
            return counts
        }
    }
}
