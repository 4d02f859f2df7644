import ArgumentParser
import Foundation
import Granska

/// `granska learn`: context counts from the clean documents of an archive (self-training).
struct LearnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "Learn repair context counts from the clean documents of an archive.",
        discussion: """
            Reads PDFs and text files (folders are walked as by ingest) without repairing \
            them, keeps the documents that are clean Swedish (born-digital reports carrying \
            å, ä and ö) and writes their word and word-pair counts to FILE. Damaged documents \
            are skipped, so OCR errors never teach the repairer. Pass the file to text, \
            repair, analyze, eval or ingest with --context FILE (or set $GRANSKA_CONTEXT): \
            the counts are added to the committed context model (each learned word counts 4 times).
            """)

    @Argument(help: "Files and folders to learn from.")
    var paths: [String]

    @Option(name: .shortAndLong, help: "Write the counts to this file.")
    var output: String

    @Option(help: "Leave out word pairs seen fewer times than this (keeps large archives small).")
    var minPairCount: Int = 1

    @Flag(help: "Exit with status 1 when any input could not be read.")
    var strict = false

    func validate() throws {
        if minPairCount < 1 { throw ValidationError("--min-pair-count must be at least 1") }
    }

    func run() throws {
        let inputs = try CLI.run { try InputWalker().inputs(roots: paths) }
        let model = try CLI.run { try RepairModel.locate() }
        let (counts, failed) = LearnCommand.learn(inputs.map(\.path), model: model, quiet: false)
        let pruned = counts.pruned(minimumPairCount: minPairCount)
        try LearnCommand.write(pruned, to: output)
        CLI.printError(
            "learn: \(counts.documentCount) learned, "
                + "\(inputs.count - counts.documentCount - failed) skipped, \(failed) failed; "
                + "\(pruned.counts.count) keys written to \(output)")
        if strict && failed > 0 { throw ExitCode(1) }
    }

    /// Learns the clean documents among `files`, printing a line per file (only failures
    /// when `quiet`); returns the counts and the number of files that could not be read.
    static func learn(_ files: [String], model: RepairModel, quiet: Bool) -> (ContextCounts, Int) {
        var learner = ContextLearner(model: model)
        var failed = 0
        learner.learn(files: files) { report in
            switch report.outcome {
            case .success(.learned(let words)):
                if !quiet { CLI.printError("learned \(report.path): \(words) words") }
            case .success(.skipped(let reason)):
                if !quiet { CLI.printError("skipped \(report.path): \(reason)") }
            case .failure(let error):
                failed += 1
                CLI.printError("granska learn: \(error.description)")
            }
        }
        return (learner.counts, failed)
    }

    static func write(_ counts: ContextCounts, to path: String) throws {
        do {
            try counts.write(to: URL(fileURLWithPath: path))
        } catch {
            CLI.printError("granska learn: \(path): cannot write: \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }
}

/// The `--context FILE` option of the commands that repair: learned counts added to the
/// repair model (by `$GRANSKA_CONTEXT`, which worker processes inherit).
struct LearnedContextOption: ParsableArguments {
    @Option(
        name: .customLong("context"),
        help: "Learned context counts from 'granska learn' (repeatable).")
    var files: [String] = []

    init() {}

    init(files: [String]) {
        self.files = files
    }

    /// Exports the files for the model loader; call before anything loads the model.
    func export() throws {
        guard !files.isEmpty else { return }
        for file in files where !FileManager.default.isReadableFile(atPath: file) {
            CLI.printError("granska: \(file): cannot read the context counts")
            throw ExitCode(1)
        }
        let paths = files.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        setenv(RepairModel.learnedContextVariable, paths.joined(separator: ":"), 1)
        Pipeline.reloadSharedRepairModel()
    }
}

/// The repair options of the commands that run the pipeline: `--no-repair` and the learned
/// context counts.
struct RepairOptions: ParsableArguments {
    @Flag(help: "Do not repair OCR damage (diacritics, letter confusions).")
    var noRepair = false

    @OptionGroup var learnedContext: LearnedContextOption

    /// Exports the learned counts (see ``LearnedContextOption/export()``) and sets whether
    /// `options` repair.
    func apply(to options: inout PipelineOptions) throws {
        try learnedContext.export()
        options.repair = !noRepair
    }
}
