import ArgumentParser
import Foundation
import Granska

/// `granska analyze`: everything the pipeline knows about one input, as one JSON document.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Print the structured analysis of a PDF or text file as JSON.",
        discussion: """
            The document follows schema \(AnalysisReport.currentSchemaVersion), described in \
            docs/analysis-schema.md (JSON Schema: docs/analysis-schema.json): metadata, \
            sections, assessments, recommendations and goals with provenance, the cleaned \
            text, pages, blocks, repair edits and diagnostics.
            """)

    @Argument(help: "A PDF or UTF-8 text file, or '-' for standard input.")
    var input: String

    @Option(name: .shortAndLong, help: "Write the JSON to this file instead of standard output.")
    var output: String?

    @Flag(help: "Print the JSON on one line instead of pretty-printed.")
    var compact = false

    @OptionGroup var repair: RepairOptions

    func run() throws {
        var options = PipelineOptions()
        try repair.apply(to: &options)
        let document = try CLI.run { try Pipeline(options: options).process(path: input) }
        let data = try AnalysisReport(document: document).jsonData(pretty: !compact)
        try CLI.write(String(decoding: data, as: UTF8.self) + "\n", to: output)
    }
}
