import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Bulk ingestion: walks the inputs, processes them in parallel in `granska worker` child
/// processes, and writes each result to the ``CorpusStore`` in its own transaction.
///
/// The calling thread is the single database writer; one slot thread per job skips an input
/// when the database already holds the same content (hashed by the slot) under the same
/// pipeline version, and otherwise hands it to its worker process (which hashes new paths)
/// and waits (with a time limit) for the reply. A worker that crashes or runs out of time
/// is killed and replaced; the document gets a failed row (`crashed`, `timed-out`) and the
/// batch goes on.
public final class Ingester: Sendable {
    public let options: IngestOptions
    private let progress: IngestProgress

    public init(options: IngestOptions, progress: IngestProgress) {
        self.options = options
        self.progress = progress
    }

    /// Runs the whole ingest. Throws only for problems with the run itself (a missing
    /// root, an unwritable database, no worker can start), never for a bad document; throws
    /// ``IngestInterrupted`` when a worker was stopped from outside (documents finished
    /// before are stored, and a rerun resumes).
    public func run() throws -> IngestSummary {
        signal(SIGPIPE, SIG_IGN)
        let start = Date()
        // Without its models the repair stage would fail every document the same way: stop
        // before the batch instead of recording thousands of identical failures.
        if options.pipeline.repair { _ = try Pipeline.sharedRepairModel() }
        let store = try CorpusStore(path: options.databasePath)
        let inputs = try InputWalker().inputs(roots: options.roots)
            .filter { options.shard.contains(relativePath: $0.relativePath) }
        let plan = IngestPlan(
            stored: try store.storedStates(),
            pipelineVersion: CorpusStore.pipelineVersion(repair: options.pipeline.repair),
            retryFailed: options.retryFailed)

        var summary = IngestSummary()
        summary.inputs = inputs.count
        let runID = try store.beginRun(options: options, pipelineVersion: plan.pipelineVersion)
        progress.started(total: inputs.count)

        let queue = JobQueue(inputs)
        let channel = ResultChannel()
        let jobs = max(1, min(options.jobs, max(1, inputs.count)))
        for _ in 0..<jobs {
            let slot = WorkerSlot(options: options, plan: plan)
            channel.slotStarted()
            let thread = Thread {
                slot.run(queue: queue, channel: channel)
                channel.slotFinished()
            }
            thread.stackSize = 4 << 20
            thread.start()
        }

        var rewritten = Set<String>()
        var storeFailure: (any Error)?
        var interruption: (any Error)?
        /// Stores one record; on a database failure the run stops taking inputs.
        func stored(_ write: () throws -> Void) -> Bool {
            do {
                try write()
                return true
            } catch {
                storeFailure = error
                queue.cancel()
                return false
            }
        }
        while let result = channel.next() {
            if storeFailure != nil { continue }  // draining after the database failed
            switch result {
            case .skipped(let input, let failedEarlier):
                summary.skipped += 1
                if failedEarlier { summary.skippedFailed += 1 }
                progress.skipped(input)
            case .processed(let record, let pages):
                guard stored({ try store.write(record) }) else { continue }
                if record.isOK {
                    summary.ok += 1
                    summary.pages += pages
                    rewritten.insert(record.input.id)
                } else {
                    summary.failed += 1
                }
                progress.finished(record, pages: pages)
            case .processedRows(let record):
                guard stored({ try store.write(record) }) else { continue }
                summary.ok += 1
                summary.pages += record.rows.pageCount
                rewritten.insert(record.input.id)
                progress.finished(
                    path: record.input.path, pages: record.rows.pageCount,
                    seconds: record.processSeconds)
            case .fatal(let error as IngestInterrupted):
                // Documents other slots finish meanwhile are still stored.
                if interruption == nil { interruption = error }
                queue.cancel()
            case .fatal(let error):
                storeFailure = error
                queue.cancel()
            }
        }
        summary.seconds = Date().timeIntervalSince(start)
        if let failure = storeFailure ?? interruption {
            let status: CorpusStore.RunStatus = storeFailure == nil ? .interrupted : .failed
            try? store.endRun(runID, status: status, summary: summary, error: "\(failure)")
            throw failure
        }

        do {
            if let jsonlPath = options.jsonlPath { try store.exportJSONL(to: jsonlPath) }
            if let textDirectory = options.textDirectory {
                try store.exportTexts(to: textDirectory, rewrite: rewritten)
            }
        } catch {
            try? store.endRun(runID, status: .failed, summary: summary, error: "\(error)")
            throw error
        }
        summary.seconds = Date().timeIntervalSince(start)
        try store.endRun(runID, status: .completed, summary: summary)
        progress.ended(summary)
        return summary
    }
}

/// What the database held at the start of a run, and the rule for skipping.
struct IngestPlan: Sendable {
    var stored: [String: StoredDocumentState]
    var pipelineVersion: String
    var retryFailed: Bool

    /// Skip when the path is stored with the same content hash and pipeline version, and
    /// either it was processed or failed documents are not being retried.
    func shouldSkip(path: String, sha256: String) -> Bool {
        guard let state = stored[path] else { return false }
        return state.sha256 == sha256 && state.pipelineVersion == pipelineVersion
            && (state.isOK || !retryFailed)
    }
}

/// What a slot hands the writer.
enum SlotResult: Sendable {
    /// Already stored; `failedEarlier` when what is stored is a failure.
    case skipped(IngestInput, failedEarlier: Bool)
    case processed(DocumentRecord, pages: Int)
    /// Processed, with the rows the worker took from its report.
    case processedRows(ReportRecord)
    /// The run cannot go on (no worker can be started).
    case fatal(any Error)
}

/// The inputs still to be taken, in order.
final class JobQueue: @unchecked Sendable {
    private let lock = NSLock()
    private let inputs: [IngestInput]
    private var next = 0

    init(_ inputs: [IngestInput]) { self.inputs = inputs }

    /// The next input, or nil when all are taken or the run was cancelled.
    func take() -> IngestInput? {
        lock.withLock {
            guard next < inputs.count else { return nil }
            defer { next += 1 }
            return inputs[next]
        }
    }

    func cancel() { lock.withLock { next = inputs.count } }
}

/// Results from the slots to the writer, in completion order.
final class ResultChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var results: [SlotResult] = []
    private var runningSlots = 0

    func slotStarted() { condition.withLock { runningSlots += 1 } }

    func slotFinished() {
        condition.withLock {
            runningSlots -= 1
            condition.broadcast()
        }
    }

    func send(_ result: SlotResult) {
        condition.withLock {
            results.append(result)
            condition.signal()
        }
    }

    /// The next result; nil once every slot has finished and all results are taken.
    func next() -> SlotResult? {
        condition.lock()
        defer { condition.unlock() }
        while results.isEmpty && runningSlots > 0 { condition.wait() }
        guard !results.isEmpty else { return nil }
        // Taken results are dropped at once: each holds a whole report.
        let result = results.removeFirst()
        return result
    }
}
