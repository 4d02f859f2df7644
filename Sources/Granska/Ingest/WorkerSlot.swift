import Foundation

/// The run was stopped from outside (a worker was killed by SIGINT, SIGTERM, SIGHUP or
/// SIGQUIT). Documents finished before are stored; a rerun resumes.
public struct IngestInterrupted: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public var description: String { "interrupted (\(reason)); run again to resume" }
}

/// One parallel lane: a thread driving one worker process at a time.
///
/// The slot keeps the next path queued in the worker's input while the worker processes
/// the current one, so the worker never waits for the slot's hashing and decoding. The
/// time limit of a document counts from when the worker could start it (the previous reply,
/// or the moment it was sent to an idle worker). When the worker crashes or is killed, the
/// document at the head is the one it was processing; the queued one is sent again to the
/// replacement.
final class WorkerSlot: @unchecked Sendable {
    /// A document sent to the worker, not yet answered.
    private struct InFlight {
        var input: IngestInput
        /// The checksum, when the slot had to hash the file itself (to decide a skip);
        /// otherwise the worker's reply carries it.
        var checksum: (sha256: String, byteCount: Int)?
    }

    /// Paths sent ahead of the one being processed.
    private static let lookahead = 1

    private let options: IngestOptions
    private let plan: IngestPlan
    private var worker: WorkerProcess?
    private var inFlight: [InFlight] = []
    /// When the worker became free to start the head document.
    private var headStarted = Date()
    private let decoder = JSONDecoder()
    private let dateFormatter = ISO8601DateFormatter()

    init(options: IngestOptions, plan: IngestPlan) {
        self.options = options
        self.plan = plan
    }

    func run(queue: JobQueue, channel: ResultChannel) {
        defer { worker?.finish() }
        do {
            while true {
                try fill(queue: queue, channel: channel)
                guard !inFlight.isEmpty else { break }
                let reply = worker!.receive(
                    until: headStarted.addingTimeInterval(options.timeoutSeconds))
                let head = inFlight.removeFirst()
                let seconds = Date().timeIntervalSince(headStarted)
                headStarted = Date()
                switch reply {
                case .line(let line):
                    // Queue the next document before decoding this reply.
                    try fill(queue: queue, channel: channel)
                    channel.send(result(head, seconds, reply: line))
                case .timedOut:
                    worker?.kill()
                    worker = nil
                    let error = GranskaError.timedOut(
                        path: head.input.path, seconds: options.timeoutSeconds)
                    let outcome = DocumentRecord.Outcome.failed(
                        code: error.code, message: error.reason)
                    channel.send(.processed(record(head, seconds, outcome), pages: 0))
                    try resendInFlight()
                case .exited(let how) where how.wasInterrupted:
                    // Stopped from outside: nothing is recorded for the unanswered
                    // documents, so a rerun processes them.
                    worker = nil
                    inFlight.removeAll()
                    channel.send(.fatal(IngestInterrupted(reason: "\(how)")))
                    queue.cancel()
                    return
                case .exited(let how):
                    worker = nil
                    let outcome = DocumentRecord.Outcome.failed(
                        code: "crashed", message: "\(how) while processing it")
                    channel.send(.processed(record(head, seconds, outcome), pages: 0))
                    try resendInFlight()
                }
                if inFlight.isEmpty, let current = worker,
                    current.documentCount >= options.documentsPerWorker
                {
                    current.finish()
                    worker = nil
                }
            }
        } catch {
            // Unanswered documents stay unrecorded; the worker must not linger on them.
            worker?.kill()
            worker = nil
            channel.send(.fatal(error))
            queue.cancel()
        }
    }

    /// Takes inputs until one is being processed and `lookahead` more are queued (or the
    /// worker is due for replacement). Skipped and unreadable inputs are answered directly.
    private func fill(queue: JobQueue, channel: ResultChannel) throws {
        while inFlight.count <= WorkerSlot.lookahead {
            if let current = worker, current.documentCount >= options.documentsPerWorker {
                return
            }
            guard let input = queue.take() else { return }
            var item = InFlight(input: input, checksum: nil)
            // Only a path the database holds may be skipped, and only its checksum can tell;
            // new paths are hashed by the worker, in parallel.
            if plan.stored[input.path] != nil {
                let started = Date()
                do {
                    let (sha256, byteCount) = try SHA256.hexOfFile(atPath: input.path)
                    item.checksum = (sha256, byteCount)
                } catch let error as GranskaError {
                    let outcome = DocumentRecord.Outcome.failed(
                        code: error.code, message: error.reason)
                    item.checksum = ("", 0)
                    channel.send(
                        .processed(
                            record(item, Date().timeIntervalSince(started), outcome), pages: 0))
                    continue
                }
                if plan.shouldSkip(path: input.path, sha256: item.checksum!.sha256) {
                    channel.send(
                        .skipped(input, failedEarlier: plan.stored[input.path]?.isOK == false))
                    continue
                }
            }
            if inFlight.isEmpty { headStarted = Date() }
            inFlight.append(item)
            try send(item)
        }
    }

    /// Sends one path, replacing a worker that no longer accepts input.
    private func send(_ item: InFlight) throws {
        if try liveWorker().send(path: item.input.path) { return }
        // The worker is gone: start another and send it everything unanswered.
        worker?.kill()
        worker = nil
        try resendInFlight()
    }

    /// Sends every unanswered path to a fresh worker (after a crash or a kill).
    private func resendInFlight() throws {
        guard !inFlight.isEmpty else { return }
        let fresh = try liveWorker()
        headStarted = Date()
        for item in inFlight where !fresh.send(path: item.input.path) {
            throw WorkerStartError(
                executable: options.workerExecutable, reason: "a new worker takes no input")
        }
    }

    private func liveWorker() throws -> WorkerProcess {
        if let worker { return worker }
        let started = try WorkerProcess(
            executable: options.workerExecutable, arguments: options.workerArguments)
        worker = started
        return started
    }

    /// What to write for a reply line: the worker's rows with its report JSON, or (from a
    /// worker that sent no rows) the decoded report.
    private func result(_ item: InFlight, _ seconds: Double, reply line: Data) -> SlotResult {
        // The line is read through its bytes: Data's element-wise access is slow.
        let parsed = line.withUnsafeBytes {
            raw -> (checksum: (String, Int)?, start: Int, json: Int, rows: ReportRows?) in
            // A reply without the checksum (a worker of another protocol) is hashed here.
            let prefix = IngestWorker.checksumPrefix(raw)
            let checksum = prefix.map { ($0.hex ?? "", $0.byteCount) }
            let start = prefix?.rest ?? 0
            guard let base = raw.baseAddress, raw.count > start,
                let hit = memchr(base + start, Int32(IngestWorker.rowsSeparator), raw.count - start)
            else { return (checksum, start, raw.count, nil) }
            let cut = base.distance(to: UnsafeRawPointer(hit))
            let rows = ReportRows(wireBytes: UnsafeRawBufferPointer(rebasing: raw[(cut + 1)...]))
            return (checksum, start, cut, rows)
        }
        var item = item
        if item.checksum == nil { item.checksum = parsed.checksum }
        let json = line[(line.startIndex + parsed.start)..<(line.startIndex + parsed.json)]
        if let rows = parsed.rows {
            let (sha256, byteCount) =
                item.checksum ?? (try? SHA256.hexOfFile(atPath: item.input.path)) ?? ("", 0)
            return .processedRows(
                ReportRecord(
                    input: item.input, sha256: sha256, byteCount: byteCount,
                    pipelineVersion: plan.pipelineVersion, processSeconds: seconds,
                    ingestedAt: dateFormatter.string(from: Date()), rows: rows,
                    json: String(decoding: json, as: UTF8.self)))
        }
        let (outcome, pages) = interpret(Data(json))
        return .processed(record(item, seconds, outcome), pages: pages)
    }

    private func interpret(_ line: Data) -> (DocumentRecord.Outcome, Int) {
        if let failure = WorkerFailure.decode(line: line) {
            return (.failed(code: failure.code, message: failure.message), 0)
        }
        do {
            let report = try decoder.decode(AnalysisReport.self, from: line)
            let json = String(decoding: line, as: UTF8.self)
            return (.ok(report: report, json: json), report.pages.count)
        } catch {
            return (.failed(code: "internal", message: "unreadable worker reply: \(error)"), 0)
        }
    }

    /// The record of a document; one the worker never answered for (it crashed or ran out
    /// of time) is hashed here.
    private func record(
        _ item: InFlight, _ seconds: Double, _ outcome: DocumentRecord.Outcome
    ) -> DocumentRecord {
        let (sha256, byteCount) =
            item.checksum ?? (try? SHA256.hexOfFile(atPath: item.input.path)) ?? ("", 0)
        return DocumentRecord(
            input: item.input, sha256: sha256, byteCount: byteCount,
            pipelineVersion: plan.pipelineVersion, processSeconds: seconds,
            ingestedAt: dateFormatter.string(from: Date()), outcome: outcome)
    }
}
