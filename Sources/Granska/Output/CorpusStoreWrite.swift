import Foundation
import GRDB

extension CorpusStore {
    /// Inserts one document and everything under it; the caller owns the transaction.
    static func insert(_ record: DocumentRecord, into db: Database) throws {
        switch record.outcome {
        case .failed(let code, let message):
            try db.execute(
                sql: "DELETE FROM documents WHERE path = ?", arguments: [record.input.path])
            try db.execute(
                sql: """
                    INSERT INTO documents (path, relative_path, key, sha256, byte_count,
                        pipeline_version, status, error_code, error_message, process_seconds,
                        ingested_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'failed', ?, ?, ?, ?)
                    """,
                arguments: [
                    record.input.path, record.input.relativePath, record.input.id,
                    record.sha256, record.byteCount, record.pipelineVersion, code, message,
                    record.processSeconds, record.ingestedAt,
                ])
        case .ok(let report, let json):
            try insert(
                ReportRecord(record, rows: try ReportRows(report: report), json: json), into: db)
        }
    }

    /// Inserts one processed document from its rows; the caller owns the transaction.
    static func insert(_ record: ReportRecord, into db: Database) throws {
        try db.execute(sql: "DELETE FROM documents WHERE path = ?", arguments: [record.input.path])
        try db.execute(
            sql: """
                INSERT INTO documents (path, relative_path, key, sha256, byte_count,
                    pipeline_version, status, process_seconds, ingested_at, kind, title,
                    municipality, firm, report_date, overall_verdict, overall_text, overall_page,
                    overall_span_start, overall_span_end, pdf_title, pdf_author,
                    pdf_creation_date, page_count, block_count, char_count, section_titles, text)
                VALUES (?, ?, ?, ?, ?, ?, 'ok', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                    ?, ?, ?)
                """,
            arguments: arguments(
                [
                    record.input.path, record.input.relativePath, record.input.id,
                    record.sha256, record.byteCount, record.pipelineVersion,
                    record.processSeconds, record.ingestedAt,
                ], record.rows.document))
        let documentID = db.lastInsertedRowID
        try db.execute(
            sql: "INSERT INTO document_reports (document_id, json) VALUES (?, ?)",
            arguments: [documentID, record.json])
        try insertChildren(of: record.rows, documentID: documentID, into: db)
    }

    private static func insertChildren(
        of rows: ReportRows, documentID: Int64, into db: Database
    ) throws {
        // Tables in the order the rows are written (row ids follow it).
        func write(_ table: String, _ columns: String, _ tableRows: [[DatabaseValue]]) throws {
            let width = columns.split(separator: ",").count + 1
            let statement = try db.cachedStatement(
                sql: "INSERT INTO \(table) (document_id, \(columns)) VALUES ("
                    + Array(repeating: "?", count: width).joined(separator: ", ") + ")")
            for row in tableRows {
                try statement.execute(arguments: arguments([documentID], row))
            }
        }
        try write(
            "pages", "number, width, height, span_start, span_end, flags, furniture", rows.pages)
        try write(
            "metadata_provenance", "field, value, page, span_start, span_end, sentence, confidence",
            rows.metadataProvenance)
        try write(
            "sections",
            "ordinal, number, title, level, page, span_start, span_end, sentence, confidence",
            rows.sections)
        try write(
            "assessments",
            "ordinal, question, verdict, raw_verdict, body, page, span_start, span_end, sentence, "
                + "confidence", rows.assessments)
        try insertRecommendations(rows, documentID: documentID, into: db)
        try write(
            "goals",
            "ordinal, text, target, year, page, span_start, span_end, sentence, confidence",
            rows.goals)
        try write(
            "repair_edits",
            "ordinal, original, replacement, page, span_start, span_end, confidence, evidence",
            rows.repairEdits)
        try write(
            "diagnostics", "ordinal, severity, stage, code, message, page", rows.diagnostics)
    }

    private static func insertRecommendations(
        _ rows: ReportRows, documentID: Int64, into db: Database
    ) throws {
        let recommendation = try db.cachedStatement(
            sql: """
                INSERT INTO recommendations (document_id, ordinal, text, page, span_start,
                    span_end, sentence, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let recipient = try db.cachedStatement(
            sql: """
                INSERT INTO recommendation_recipients (recommendation_id, ordinal, recipient)
                VALUES (?, ?, ?)
                """)
        for (row, recipients) in zip(rows.recommendations, rows.recipients) {
            try recommendation.execute(arguments: arguments([documentID], row))
            let recommendationID = db.lastInsertedRowID
            for (j, name) in recipients.enumerated() {
                try recipient.execute(arguments: [recommendationID, j, name])
            }
        }
    }

    /// The arguments of one row: `leading` values, then `row`. Built from existentials, not
    /// through GRDB's generic sequence initialiser, which instantiates a key path per call
    /// (that cost more than the insert).
    private static func arguments(
        _ leading: [(any DatabaseValueConvertible)?], _ row: [DatabaseValue]
    ) -> StatementArguments {
        var values = leading
        values.reserveCapacity(leading.count + row.count)
        for value in row { values.append(value) }
        return StatementArguments(values)
    }
}
