import ArgumentParser
import Foundation
import Granska

/// `granska ingest`: many inputs into one corpus database.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest folders of PDFs and text files into a SQLite corpus.",
        discussion: """
            Takes .pdf and .txt files under each folder (sorted), skipping the labelled-sample \
            companions *.gold.txt, *.gold.json and *.repaired.txt and hidden files; a file \
            named directly is always taken. Documents are processed in parallel worker \
            processes and each is written in one transaction, so an interrupted run can \
            simply be run again: documents already stored with the same content hash and \
            pipeline version are skipped. A document that cannot be processed gets a row \
            with its error and the batch goes on. See docs/ingest.md.
            """)

    @Argument(help: "Files and folders to ingest.")
    var paths: [String]

    @Option(help: "The corpus database (created if missing).")
    var db: String

    @Option(help: "Also write every stored document as JSON Lines (regenerated each run).")
    var jsonl: String?

    @Option(help: "Also write each document's cleaned text to DIR/ID.txt.")
    var textDir: String?

    @Option(help: "Worker processes (default: the number of cores).")
    var jobs: Int?

    @Flag(help: "Exit with status 1 when any input failed (now or in an earlier run).")
    var strict = false

    @Option(help: "Take only part i/n of the inputs (0 <= i < n), by a stable path hash.")
    var shard: String?

    @Option(help: "Seconds one document may take before it is abandoned.")
    var timeout: Double = 300

    @Option(help: "Refuse PDFs with more pages than this.")
    var maxPages: Int = PipelineOptions().maxPages

    @Option(help: "Refuse inputs larger than this many bytes.")
    var maxBytes: Int = PipelineOptions().maxBytes

    @OptionGroup var repair: RepairOptions

    @Flag(help: "Process again documents that failed in an earlier run.")
    var retryFailed = false

    @Flag(name: .shortAndLong, help: "Log only failures and the summary.")
    var quiet = false

    @Flag(
        help: """
            Self-training: first learn context counts from the clean (born-digital) inputs \
            (all of them, not only this shard; written to DB.context.tsv) and repair the \
            damaged ones with them.
            """)
    var selfTrain = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if timeout <= 0 { throw ValidationError("--timeout must be positive") }
        if let shard, Shard(shard) == nil {
            throw ValidationError("--shard must be i/n with 0 <= i < n, e.g. 0/4")
        }
    }

    func run() throws {
        try repair.learnedContext.export()
        if selfTrain && !repair.noRepair { try learnFromInputs() }
        var options = IngestOptions(
            roots: paths, databasePath: db, workerExecutable: try CLI.currentExecutable())
        options.jsonlPath = jsonl
        options.textDirectory = textDir
        if let jobs { options.jobs = jobs }
        options.shard = shard.flatMap(Shard.init) ?? .all
        options.timeoutSeconds = timeout
        options.pipeline.maxPages = maxPages
        options.pipeline.maxBytes = maxBytes
        options.pipeline.repair = !repair.noRepair
        options.retryFailed = retryFailed

        let summary: IngestSummary
        do {
            summary = try Ingester(options: options, progress: IngestProgress(quiet: quiet)).run()
        } catch let error as IngestInterrupted {
            CLI.printError("granska: ingest: \(error)")
            throw ExitCode(130)
        } catch {
            CLI.printError("granska: ingest: \(error)")
            throw ExitCode(2)
        }
        if strict && summary.failedInputs > 0 { throw ExitCode(1) }
    }

    /// `--self-train`: learns the clean inputs into DB.context.tsv and adds the file to the
    /// learned counts the workers load. The counts go into the pipeline version stored with
    /// each document, so a rerun skips documents only while the learned text is the same.
    private func learnFromInputs() throws {
        let inputs = try CLI.run { try InputWalker().inputs(roots: paths) }
        let model = try CLI.run { try RepairModel.locate() }
        let (counts, _) = LearnCommand.learn(inputs.map(\.path), model: model, quiet: quiet)
        let file = db + ".context.tsv"
        try? FileManager.default.createDirectory(
            at: URL(fileURLWithPath: file).deletingLastPathComponent(),
            withIntermediateDirectories: true)
        try LearnCommand.write(counts, to: file)
        CLI.printError(
            "ingest: self-training: learned \(counts.documentCount) clean documents into \(file)")
        var files = repair.learnedContext.files
        files.append(file)
        try LearnedContextOption(files: files).export()
    }
}

extension CLI {
    /// The running `granska` executable, to start workers from.
    static func currentExecutable() throws -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(
            atPath: "/proc/self/exe")
        {
            return resolved
        }
        let argument0 = CommandLine.arguments[0]
        if argument0.contains("/") {
            return URL(fileURLWithPath: argument0).standardizedFileURL.path
        }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(folder)/\(argument0)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        printError("granska: cannot find the granska executable to start workers")
        throw ExitCode(2)
    }
}
