import GRDB

extension CorpusStore {
    /// The schema, as GRDB migrations. Never edit a registered migration: add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-corpus") { db in
            try createDocuments(db)
            try createDocumentChildren(db)
            try createAnalysisTables(db)
        }
        migrator.registerMigration("v2-ingest-runs") { db in
            try db.create(table: "ingest_runs") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("started_at", .text).notNull()
                t.column("ended_at", .text)
                t.column("status", .text).notNull()
                    .check(sql: "status IN ('running', 'completed', 'interrupted', 'failed')")
                t.column("tool_version", .text).notNull()
                t.column("pipeline_version", .text).notNull()
                t.column("roots", .text).notNull()
                t.column("shard", .text).notNull()
                t.column("jobs", .integer).notNull()
                t.column("inputs", .integer)
                t.column("ok", .integer)
                t.column("failed", .integer)
                t.column("skipped", .integer)
                t.column("pages", .integer)
                t.column("seconds", .double)
                t.column("error", .text)
            }
        }
        return migrator
    }

    /// A `document_id` column referencing `documents`, deleted with its document.
    private static func documentReference(_ t: TableDefinition) {
        t.column("document_id", .integer).notNull().indexed()
            .references("documents", onDelete: .cascade)
    }

    /// Provenance columns: 1-based page and a half-open span of Unicode scalar offsets
    /// into `documents.text`, the sentence and the confidence.
    private static func provenanceColumns(_ t: TableDefinition, sentence: Bool = true) {
        t.column("page", .integer)
        t.column("span_start", .integer)
        t.column("span_end", .integer)
        if sentence {
            t.column("sentence", .text)
            t.column("confidence", .double)
        }
    }

    private static func createDocuments(_ db: Database) throws {
        try db.create(table: "documents") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("path", .text).notNull().unique()
            t.column("relative_path", .text).notNull()
            t.column("key", .text).notNull().indexed()
            t.column("sha256", .text).notNull().indexed()
            t.column("byte_count", .integer).notNull()
            t.column("kind", .text)
            t.column("pipeline_version", .text).notNull()
            t.column("status", .text).notNull().indexed()
                .check(sql: "status IN ('ok', 'failed')")
            t.column("error_code", .text)
            t.column("error_message", .text)
            t.column("title", .text)
            t.column("municipality", .text)
            t.column("firm", .text)
            t.column("report_date", .text)
            t.column("overall_verdict", .text)
            t.column("overall_text", .text)
            t.column("overall_page", .integer)
            t.column("overall_span_start", .integer)
            t.column("overall_span_end", .integer)
            t.column("pdf_title", .text)
            t.column("pdf_author", .text)
            t.column("pdf_creation_date", .text)
            t.column("page_count", .integer)
            t.column("block_count", .integer)
            t.column("char_count", .integer)
            t.column("section_titles", .text)
            t.column("text", .text)
            t.column("process_seconds", .double)
            t.column("ingested_at", .text)
        }
        try db.create(virtualTable: "documents_fts", using: FTS5()) { t in
            t.synchronize(withTable: "documents")
            t.column("title")
            t.column("section_titles")
            t.column("text")
        }
        try db.create(table: "document_reports") { t in
            t.column("document_id", .integer).primaryKey()
                .references("documents", onDelete: .cascade)
            t.column("json", .text).notNull()
        }
    }

    private static func createDocumentChildren(_ db: Database) throws {
        try db.create(table: "pages") { t in
            t.autoIncrementedPrimaryKey("id")
            documentReference(t)
            t.column("number", .integer).notNull()
            t.column("width", .double)
            t.column("height", .double)
            t.column("span_start", .integer)
            t.column("span_end", .integer)
            t.column("flags", .text)
            t.column("furniture", .text)
        }
        try db.create(table: "repair_edits") { t in
            t.autoIncrementedPrimaryKey("id")
            documentReference(t)
            t.column("ordinal", .integer).notNull()
            t.column("original", .text).notNull()
            t.column("replacement", .text).notNull()
            provenanceColumns(t, sentence: false)
            t.column("confidence", .double)
            t.column("evidence", .text)
        }
        try db.create(table: "diagnostics") { t in
            t.autoIncrementedPrimaryKey("id")
            documentReference(t)
            t.column("ordinal", .integer).notNull()
            t.column("severity", .text).notNull()
            t.column("stage", .text).notNull()
            t.column("code", .text).notNull().indexed()
            t.column("message", .text).notNull()
            t.column("page", .integer)
        }
    }

    private static func createAnalysisTables(_ db: Database) throws {
        try db.create(table: "metadata_provenance") { t in
            t.autoIncrementedPrimaryKey("id")
            documentReference(t)
            t.column("field", .text).notNull()
            t.column("value", .text)
            provenanceColumns(t)
        }
        try db.create(table: "sections") { t in
            t.autoIncrementedPrimaryKey("id")
            documentReference(t)
            t.column("ordinal", .integer).notNull()
            t.column("number", .text)
            t.column("title", .text).notNull()
            t.column("level", .integer)
            provenanceColumns(t)
        }
        try db.create(table: "assessments") { t in
            t.autoIncrementedPrimaryKey("id")
            documentReference(t)
            t.column("ordinal", .integer).notNull()
            t.column("question", .text).notNull()
            t.column("verdict", .text).notNull().indexed()
            t.column("raw_verdict", .text)
            t.column("body", .text)
            provenanceColumns(t)
        }
        try db.create(table: "recommendations") { t in
            t.autoIncrementedPrimaryKey("id")
            documentReference(t)
            t.column("ordinal", .integer).notNull()
            t.column("text", .text).notNull()
            provenanceColumns(t)
        }
        try db.create(table: "recommendation_recipients") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("recommendation_id", .integer).notNull().indexed()
                .references("recommendations", onDelete: .cascade)
            t.column("ordinal", .integer).notNull()
            t.column("recipient", .text).notNull().indexed()
        }
        try db.create(table: "goals") { t in
            t.autoIncrementedPrimaryKey("id")
            documentReference(t)
            t.column("ordinal", .integer).notNull()
            t.column("text", .text).notNull()
            t.column("target", .text)
            t.column("year", .integer)
            provenanceColumns(t)
        }
    }
}
