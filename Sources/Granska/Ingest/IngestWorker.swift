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
    ///
    /// With rows (ingest), the line opens with the file's checksum, `HEX BYTES ` (`- 0 `
    /// when it cannot be read): hashing here, in parallel, keeps it off the parent, the one
    /// writer every worker waits on.
    static func reply(for path: String, pipeline: Pipeline, sendsRows: Bool = false) -> Data {
        var line = Data()
        if sendsRows {
            do {
                let (hex, byteCount) = try SHA256.hexOfFile(atPath: path)
                line.append(contentsOf: "\(hex) \(byteCount) ".utf8)
            } catch {
                line.append(contentsOf: "- 0 ".utf8)
                line.append(failureLine(error))
                line.append(0x0A)
                return line
            }
        }
        line.append(report(for: path, pipeline: pipeline, sendsRows: sendsRows))
        line.append(0x0A)
        return line
    }

    /// The report (and rows) or the failure of one path, without a line break.
    private static func report(for path: String, pipeline: Pipeline, sendsRows: Bool) -> Data {
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
        } catch {
            line = failureLine(error)
        }
        return line
    }

    private static func failureLine(_ error: any Error) -> Data {
        if let error = error as? GranskaError {
            return WorkerFailure(code: error.code, message: error.reason).jsonLine()
        }
        return WorkerFailure(code: "internal", message: "\(error)").jsonLine()
    }

    /// Splits the checksum prefix (see ``reply(for:pipeline:sendsRows:)``) off a reply:
    /// (hex or nil for an unreadable file, byte count, offset of the rest); nil when the
    /// line does not open with one.
    static func checksumPrefix(_ raw: UnsafeRawBufferPointer) -> (
        hex: String?, byteCount: Int, rest: Int
    )? {
        guard let space = raw.firstIndex(of: 0x20), space == 1 || space == 64,
            let second = raw[(space + 1)...].firstIndex(of: 0x20), second > space + 1,
            second - space <= 20
        else { return nil }
        var byteCount = 0
        for b in raw[(space + 1)..<second] {
            guard (0x30...0x39).contains(b) else { return nil }
            byteCount = byteCount * 10 + Int(b - 0x30)
        }
        let head = raw[0..<space]
        if space == 1 {
            guard head.first == UInt8(ascii: "-") else { return nil }
            return (nil, byteCount, second + 1)
        }
        let isHex = head.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        guard isHex else { return nil }
        return (String(decoding: head, as: UTF8.self), byteCount, second + 1)
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
