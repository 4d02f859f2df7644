import Foundation

/// Everything one `granska ingest` run needs.
public struct IngestOptions: Sendable {
    /// Files and folders to ingest (see ``InputWalker`` for what is taken).
    public var roots: [String]
    /// The corpus database (created if missing).
    public var databasePath: String
    /// Regenerate this JSON Lines file from the database at the end of the run.
    public var jsonlPath: String?
    /// Write each processed document's cleaned text to `DIR/ID.txt`.
    public var textDirectory: String?
    /// Worker processes run in parallel.
    public var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Which part of the inputs to take.
    public var shard: Shard = .all
    /// Seconds one document may take before its worker is killed.
    public var timeoutSeconds: Double = 300
    /// Pipeline settings passed to the workers (repair, page and byte limits).
    public var pipeline = PipelineOptions()
    /// Re-process documents that failed before (with the same content and pipeline).
    public var retryFailed = false
    /// The `granska` executable started as `granska worker`.
    public var workerExecutable: String
    /// Restart a worker after this many documents, so memory stays flat over long runs.
    public var documentsPerWorker = 200

    public init(roots: [String], databasePath: String, workerExecutable: String) {
        self.roots = roots
        self.databasePath = databasePath
        self.workerExecutable = workerExecutable
    }

    /// The command-line arguments of a worker for these options.
    public var workerArguments: [String] {
        var arguments = ["worker", "--rows"]
        if !pipeline.repair { arguments.append("--no-repair") }
        if !pipeline.analyze { arguments.append("--no-analyze") }
        arguments += ["--max-pages", "\(pipeline.maxPages)", "--max-bytes", "\(pipeline.maxBytes)"]
        return arguments
    }
}

/// What one run did.
public struct IngestSummary: Sendable, Hashable {
    /// Inputs found (after the shard filter).
    public var inputs = 0
    /// Documents processed and stored this run.
    public var ok = 0
    /// Documents that failed this run (stored with their error).
    public var failed = 0
    /// Documents already in the database with the same content and pipeline version.
    public var skipped = 0
    /// Skipped documents whose stored row is a failure from an earlier run.
    public var skippedFailed = 0
    /// Pages of the documents processed this run.
    public var pages = 0
    /// Wall-clock seconds of the run.
    public var seconds = 0.0

    public init() {}

    /// Inputs whose stored outcome is a failure, this run's or an earlier one's.
    public var failedInputs: Int { failed + skippedFailed }

    /// "5 ok, 4 failed, 0 skipped; 123 pages in 3.2 s (38.4 pages/s)", with
    /// "(2 failed earlier)" after the skipped count when skipped documents had failed.
    public var description: String {
        let rate = seconds > 0 ? Double(pages) / seconds : 0
        let earlier = skippedFailed > 0 ? " (\(skippedFailed) failed earlier)" : ""
        return "\(ok) ok, \(failed) failed, \(skipped) skipped\(earlier); \(pages) pages in "
            + String(format: "%.1f s (%.1f pages/s)", seconds, rate)
    }
}
