import ArgumentParser
import Granska

/// `granska worker`: the child process of `ingest` (not for direct use).
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Process paths read from standard input (used by ingest).",
        shouldDisplay: false)

    @Flag var noRepair = false
    @Flag var noAnalyze = false
    /// Ingest's protocol: each reply opens with the file's checksum and carries its rows.
    @Flag var rows = false
    @Option var maxPages: Int = PipelineOptions().maxPages
    @Option var maxBytes: Int = PipelineOptions().maxBytes

    func run() throws {
        var options = PipelineOptions()
        options.repair = !noRepair
        options.analyze = !noAnalyze
        options.maxPages = maxPages
        options.maxBytes = maxBytes
        IngestWorker(options: options, sendsRows: rows).run()
    }
}
