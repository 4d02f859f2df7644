import Foundation
import GRDB

extension CorpusStore {
    /// How an ingest run ended, as recorded in `ingest_runs.status`.
    public enum RunStatus: String, Sendable {
        case completed, interrupted, failed
    }

    /// Records the start of an ingest run (status `running`, which is what a killed run
    /// keeps); returns the run's id for ``endRun(_:status:summary:error:)``.
    public func beginRun(options: IngestOptions, pipelineVersion: String) throws -> Int64 {
        let roots = String(
            decoding: (try? JSONEncoder().encode(options.roots)) ?? Data("[]".utf8),
            as: UTF8.self)
        return try withDatabase { db in
            try db.execute(
                sql: """
                    INSERT INTO ingest_runs (started_at, status, tool_version, pipeline_version,
                        roots, shard, jobs) VALUES (?, 'running', ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    ISO8601DateFormatter().string(from: Date()), GranskaVersion.tool,
                    pipelineVersion, roots, options.shard.description, options.jobs,
                ])
            return db.lastInsertedRowID
        }
    }

    /// Records how a run ended.
    public func endRun(
        _ id: Int64, status: RunStatus, summary: IngestSummary, error: String? = nil
    ) throws {
        try withDatabase { db in
            try db.execute(
                sql: """
                    UPDATE ingest_runs SET ended_at = ?, status = ?, inputs = ?, ok = ?,
                        failed = ?, skipped = ?, pages = ?, seconds = ?, error = ?
                    WHERE id = ?
                    """,
                arguments: [
                    ISO8601DateFormatter().string(from: Date()), status.rawValue,
                    summary.inputs, summary.ok, summary.failed, summary.skipped, summary.pages,
                    summary.seconds, error, id,
                ])
        }
    }

    /// (status, ok, failed, skipped) of every recorded run, oldest first.
    public func runs() throws -> [(status: String, ok: Int?, failed: Int?, skipped: Int?)] {
        try withDatabase { db in
            try Row.fetchAll(
                db, sql: "SELECT status, ok, failed, skipped FROM ingest_runs ORDER BY id"
            ).map { ($0["status"], $0["ok"], $0["failed"], $0["skipped"]) }
        }
    }
}
