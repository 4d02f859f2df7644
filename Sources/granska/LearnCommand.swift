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
            the counts are added to the committed context model, as in-domain text.
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
        var learner = ContextLearner(model: model)
        let pipeline = Pipeline(options: .layoutOnly)
        var learned = 0
        var skipped = 0
        var failed = 0
        for input in inputs {
            do {
                let document = try pipeline.extract(path: input.path)
                switch learner.learn(document) {
                case .learned(let words):
                    learned += 1
                    CLI.printError("learned \(input.path): \(words) words")
                case .skipped(let reason):
                    skipped += 1
                    CLI.printError("skipped \(input.path): \(reason)")
                }
            } catch let error as GranskaError {
                failed += 1
                CLI.printError("granska learn: \(error.description)")
            }
        }
        let counts = learner.counts.pruned(minimumPairCount: minPairCount)
        do {
            try counts.write(to: URL(fileURLWithPath: output))
        } catch {
            CLI.printError("granska learn: \(output): cannot write: \(error.localizedDescription)")
            throw ExitCode(1)
        }
        CLI.printError(
            "learn: \(learned) learned, \(skipped) skipped, \(failed) failed; "
                + "\(counts.counts.count) keys written to \(output)")
        if strict && failed > 0 { throw ExitCode(1) }
    }
}

/// The `--context FILE` option of the commands that repair: learned counts added to the
/// repair model (by `$GRANSKA_CONTEXT`, which worker processes inherit).
struct LearnedContextOption: ParsableArguments {
    @Option(
        name: .customLong("context"),
        help: "Learned context counts from 'granska learn' (repeatable).")
    var files: [String] = []

    /// Exports the files for the model loader; call before anything loads the model.
    func export() throws {
        guard !files.isEmpty else { return }
        for file in files where !FileManager.default.isReadableFile(atPath: file) {
            CLI.printError("granska: \(file): cannot read the context counts")
            throw ExitCode(1)
        }
        let paths = files.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        setenv(RepairModel.learnedContextVariable, paths.joined(separator: ":"), 1)
    }
}
