import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reports an ingest run on standard error: on a terminal, a progress line redrawn in
/// place (documents and pages per second, ETA) with failures printed above it; otherwise
/// plain log lines, one per processed document, and a progress line every 30 seconds.
///
/// Called only from the thread running ``Ingester/run()``.
public final class IngestProgress: @unchecked Sendable {
    private let isTerminal: Bool
    private let quiet: Bool
    private var start = Date()
    private var total = 0
    private var done = 0
    private var processed = 0
    private var ok = 0
    private var failed = 0
    private var skipped = 0
    private var pages = 0
    private var lastDraw = Date.distantPast

    /// `terminal` nil decides by `isatty(2)`; `quiet` keeps only failures and the summary.
    public init(terminal: Bool? = nil, quiet: Bool = false) {
        isTerminal = terminal ?? (isatty(2) == 1)
        self.quiet = quiet
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    func started(total: Int) {
        start = Date()
        self.total = total
        if !isTerminal && !quiet { write("ingest: \(total) inputs\n") }
    }

    func skipped(_ input: IngestInput) {
        done += 1
        skipped += 1
        redraw(force: done == total)
    }

    func finished(_ record: DocumentRecord, pages documentPages: Int) {
        switch record.outcome {
        case .ok:
            finished(path: record.input.path, pages: documentPages, seconds: record.processSeconds)
        case .failed(let code, let message):
            finished(
                path: record.input.path, pages: documentPages, seconds: record.processSeconds,
                failure: (code, message))
        }
    }

    /// A document processed (`failure` nil) or failed.
    func finished(
        path: String, pages documentPages: Int, seconds: Double,
        failure: (code: String, message: String)? = nil
    ) {
        done += 1
        processed += 1
        pages += documentPages
        let line: String?
        if let failure {
            failed += 1
            line = "failed \(path): \(failure.code): \(failure.message)"
        } else {
            ok += 1
            line =
                quiet
                ? nil
                : String(format: "ok %@ (%d pages, %.2f s)", path, documentPages, seconds)
        }
        if isTerminal {
            if failure != nil, let line { write("\r\u{1B}[K" + line + "\n") }
            redraw(force: true)
        } else if let line {
            write(line + "\n")
            redraw(force: false)
        }
    }

    func ended(_ summary: IngestSummary) {
        if isTerminal { write("\r\u{1B}[K") }
        write("ingest: done: \(summary.description)\n")
    }

    /// "[  40/ 200] 12.5 docs/s, 250 pages/s, ETA 13 s; 38 ok, 2 failed, 0 skipped".
    private func statusLine() -> String {
        let elapsed = max(Date().timeIntervalSince(start), 0.001)
        let docsPerSecond = Double(processed) / elapsed
        let pagesPerSecond = Double(pages) / elapsed
        let remaining = total - done
        let eta: String
        if processed == 0 {
            eta = "?"
        } else {
            eta = IngestProgress.duration(Double(remaining) / max(docsPerSecond, 1e-9))
        }
        let width = String(total).count
        let counter =
            String(repeating: " ", count: max(0, width - String(done).count))
            + "\(done)/\(total)"
        return String(
            format: "[%@] %.1f docs/s, %.0f pages/s, ETA %@; %d ok, %d failed, %d skipped",
            counter, docsPerSecond, pagesPerSecond, eta, ok, failed, skipped)
    }

    private func redraw(force: Bool) {
        let now = Date()
        if isTerminal {
            guard force || now.timeIntervalSince(lastDraw) >= 0.2 else { return }
            lastDraw = now
            write("\r\u{1B}[K" + statusLine())
        } else if !quiet, now.timeIntervalSince(lastDraw) >= 30 || force {
            if lastDraw == .distantPast {
                lastDraw = now
                return
            }
            lastDraw = now
            write("progress: " + statusLine() + "\n")
        }
    }

    /// "45 s", "3 min 20 s", "2 h 05 min".
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(s % 60) s" }
        return String(format: "%d h %02d min", s / 3600, (s % 3600) / 60)
    }
}
