import Foundation

/// The child side of parallel ingest (`granska worker`): reads one input path per line on
/// standard input and writes, for each, one compact JSON line on standard output — the
/// document's ``AnalysisReport``, or ``WorkerFailure`` when the document cannot be
/// processed. Exits when standard input closes.
///
/// A line may also be a JSON string literal (`"…"`), for paths that contain line breaks.
public struct IngestWorker: Sendable {
    public var options: PipelineOptions
    /// Follow each report with the corpus-database rows taken from it (after a U+001E byte,
    /// on the same line), so the parent writes them without decoding the report. Ingest
    /// asks for this (`granska worker --rows`); the bare worker writes JSON alone.
    public var sendsRows: Bool

    public init(options: PipelineOptions, sendsRows: Bool = false) {
        self.options = options
        self.sendsRows = sendsRows
    }

    /// Serves requests until end of input.
    public func run() {
        // The parent ignores SIGPIPE, and ignored signals survive exec: a worker whose
        // parent is gone should die on its next write, not carry on.
        signal(SIGPIPE, SIG_DFL)
        IngestWorker.exitWhenOrphaned()
        PDFExtractor.warmUp()
        let pipeline = Pipeline(options: options)
        let decoder = JSONDecoder()
        while let line = readLine(strippingNewline: true) {
            var path = line
            if line.hasPrefix("\""),
                let decoded = try? decoder.decode(String.self, from: Data(line.utf8))
            {
                path = decoded
            }
            let reply = IngestWorker.reply(for: path, pipeline: pipeline, sendsRows: sendsRows)
            FileHandle.standardOutput.write(reply)
        }
    }

    /// Ends the process once its parent is gone (killed with SIGKILL, say), even while a
    /// document hangs: the parent's death otherwise only shows on the next read.
    private static func exitWhenOrphaned() {
        let parent = getppid()
        let watchdog = Thread {
            while getppid() == parent { sleep(1) }
            exit(3)
        }
        watchdog.stackSize = 64 << 10
        watchdog.start()
    }

    /// Separates a report's JSON from its rows on a reply line (JSON escapes every control
    /// character, so the byte cannot occur in the report).
    static let rowsSeparator: UInt8 = 0x1E

    /// One reply line (with its line break) for one path.
    static func reply(for path: String, pipeline: Pipeline, sendsRows: Bool = false) -> Data {
        var line: Data
        do {
            let document = try pipeline.process(path: path)
            let report = AnalysisReport(document: document)
            line = try report.jsonData(pretty: false)
            // Rows that cannot be made leave the parent to decode the report, as before.
            if sendsRows, let rows = try? ReportRows(report: report) {
                line.append(rowsSeparator)
                line.append(contentsOf: rows.wireBytes())
            }
        } catch let error as GranskaError {
            line = WorkerFailure(code: error.code, message: error.reason).jsonLine()
        } catch {
            line = WorkerFailure(code: "internal", message: "\(error)").jsonLine()
        }
        line.append(0x0A)
        return line
    }
}

/// The error object a worker writes for a document it cannot process:
/// `{"error":{"code":"encrypted","message":"is encrypted; …"}}`.
public struct WorkerFailure: Codable, Sendable, Hashable {
    /// A ``GranskaError/code``, or `internal` for an unexpected error.
    public var code: String
    /// The reason, without the path.
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    private struct Envelope: Codable { var error: WorkerFailure }

    /// The line prefix that tells a failure from a report (reports are encoded with sorted
    /// keys and have no `error` key).
    static let linePrefix = Data("{\"error\":".utf8)

    func jsonLine() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(Envelope(error: self)))
            ?? Data(
                "{\"error\":{\"code\":\"internal\",\"message\":\"unencodable error\"}}".utf8)
    }

    /// Decodes a failure line; nil when the line is not one.
    static func decode(line: Data) -> WorkerFailure? {
        guard line.starts(with: linePrefix) else { return nil }
        return (try? JSONDecoder().decode(Envelope.self, from: line))?.error
    }
}
