import Foundation
import GRDB

extension CorpusStore {
    /// Inserts one document and everything under it; the caller owns the transaction.
    static func insert(_ record: DocumentRecord, into db: Database) throws {
        try db.execute(sql: "DELETE FROM documents WHERE path = ?", arguments: [record.input.path])
        switch record.outcome {
        case .failed(let code, let message):
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
            try insertDocument(record, report: report, into: db)
            let documentID = db.lastInsertedRowID
            try db.execute(
                sql: "INSERT INTO document_reports (document_id, json) VALUES (?, ?)",
                arguments: [documentID, json])
            try insertChildren(of: report, documentID: documentID, into: db)
        }
    }

    private static func insertDocument(
        _ record: DocumentRecord, report: AnalysisReport, into db: Database
    ) throws {
        let metadata = report.metadata
        let overall = report.overallAssessment
        let sectionTitles = report.sections.map(\.title).joined(separator: "\n")
        try db.execute(
            sql: """
                INSERT INTO documents (path, relative_path, key, sha256, byte_count, kind,
                    pipeline_version, status, title, municipality, firm, report_date,
                    overall_verdict, overall_text, overall_page, overall_span_start,
                    overall_span_end, pdf_title, pdf_author, pdf_creation_date, page_count,
                    block_count, char_count, section_titles, text, process_seconds,
                    ingested_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'ok', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                    ?, ?, ?, ?)
                """,
            arguments: [
                record.input.path, record.input.relativePath, record.input.id, record.sha256,
                record.byteCount, report.source.kind.rawValue, record.pipelineVersion,
                metadata.title, metadata.municipality, metadata.firm, metadata.date,
                overall?.verdict.rawValue, overall?.text, overall?.provenance?.page,
                overall?.provenance?.span.start, overall?.provenance?.span.end,
                report.pdfMetadata.title, report.pdfMetadata.author,
                report.pdfMetadata.creationDate, report.pages.count, report.blocks.count,
                report.text.unicodeScalars.count, sectionTitles, report.text,
                record.processSeconds, record.ingestedAt,
            ])
    }

    private static func insertChildren(
        of report: AnalysisReport, documentID: Int64, into db: Database
    ) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]

        let page = try db.cachedStatement(
            sql: """
                INSERT INTO pages (document_id, number, width, height, span_start, span_end,
                    flags, furniture) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for p in report.pages {
            let furniture = String(decoding: try encoder.encode(p.furniture), as: UTF8.self)
            try page.execute(arguments: [
                documentID, p.number, p.width, p.height, p.span?.start, p.span?.end,
                p.flags.map(\.rawValue).joined(separator: ","), furniture,
            ])
        }

        let provenance = try db.cachedStatement(
            sql: """
                INSERT INTO metadata_provenance (document_id, field, value, page, span_start,
                    span_end, sentence, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let metadata = report.metadata
        let values = [
            "municipality": metadata.municipality, "firm": metadata.firm,
            "date": metadata.date, "title": metadata.title,
        ]
        for (field, p) in (metadata.provenance ?? [:]).sorted(by: { $0.key < $1.key }) {
            try provenance.execute(
                arguments: [documentID, field, values[field] ?? nil] + provenanceColumns(p))
        }

        let section = try db.cachedStatement(
            sql: """
                INSERT INTO sections (document_id, ordinal, number, title, level, page,
                    span_start, span_end, sentence, confidence)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (i, s) in report.sections.enumerated() {
            try section.execute(
                arguments: [documentID, i, s.number, s.title, s.level]
                    + provenanceColumns(s.provenance))
        }

        let assessment = try db.cachedStatement(
            sql: """
                INSERT INTO assessments (document_id, ordinal, question, verdict, raw_verdict,
                    body, page, span_start, span_end, sentence, confidence)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (i, a) in report.assessments.enumerated() {
            try assessment.execute(
                arguments: [documentID, i, a.question, a.verdict.rawValue, a.rawVerdict, a.body]
                    + provenanceColumns(a.provenance))
        }

        try insertRecommendations(report.recommendations, documentID: documentID, into: db)

        let goal = try db.cachedStatement(
            sql: """
                INSERT INTO goals (document_id, ordinal, text, target, year, page, span_start,
                    span_end, sentence, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (i, g) in report.goals.enumerated() {
            try goal.execute(
                arguments: [documentID, i, g.text, g.target, g.year]
                    + provenanceColumns(g.provenance))
        }

        let edit = try db.cachedStatement(
            sql: """
                INSERT INTO repair_edits (document_id, ordinal, original, replacement, page,
                    span_start, span_end, confidence, evidence)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (i, e) in report.repairEdits.enumerated() {
            try edit.execute(arguments: [
                documentID, i, e.original, e.replacement, e.page, e.span.start, e.span.end,
                e.confidence, e.evidence.joined(separator: ","),
            ])
        }

        let diagnostic = try db.cachedStatement(
            sql: """
                INSERT INTO diagnostics (document_id, ordinal, severity, stage, code, message,
                    page) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
        for (i, d) in report.diagnostics.enumerated() {
            try diagnostic.execute(arguments: [
                documentID, i, d.severity.rawValue, d.stage, d.code, d.message, d.page,
            ])
        }
    }

    private static func insertRecommendations(
        _ recommendations: [Recommendation], documentID: Int64, into db: Database
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
        for (i, r) in recommendations.enumerated() {
            try recommendation.execute(
                arguments: [documentID, i, r.text] + provenanceColumns(r.provenance))
            let recommendationID = db.lastInsertedRowID
            for (j, name) in r.recipients.enumerated() {
                try recipient.execute(arguments: [recommendationID, j, name])
            }
        }
    }

    /// The provenance columns every answer table shares: page, span start and end, sentence,
    /// confidence (all NULL for an item without provenance).
    fileprivate static func provenanceColumns(_ p: Provenance?) -> StatementArguments {
        [p?.page, p?.span.start, p?.span.end, p?.sentence, p?.confidence]
    }
}
