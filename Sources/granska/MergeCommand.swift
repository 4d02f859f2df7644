import ArgumentParser
import Foundation
import Granska

/// `granska merge`: combine shard databases into one corpus.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge corpus databases (e.g. from ingest --shard) into one.",
        discussion: """
            Copies every document of each input into OUT (created if missing), replacing \
            any row for the same path; inputs are taken in the order given, so a later \
            input wins. Each input is merged in one transaction.
            """)

    @Argument(help: "The merged database.")
    var output: String

    @Argument(help: "Databases to merge into it.")
    var inputs: [String]

    @Option(help: "Also write the merged corpus as JSON Lines.")
    var jsonl: String?

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("name at least one database to merge") }
    }

    func run() throws {
        do {
            let store = try CorpusStore(path: output)
            for input in inputs {
                let count = try store.merge(from: input)
                CLI.printError("merge: \(input): \(count) documents")
            }
            if let jsonl { try store.exportJSONL(to: jsonl) }
        } catch {
            CLI.printError("granska: merge: \(error)")
            throw ExitCode(2)
        }
    }
}
