import ArgumentParser
import Foundation
import Granska

/// `granska eval`: scores the pipeline against a directory of labelled samples.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score the pipeline against labelled samples (docs/labelled-samples.md).",
        discussion: """
            Every ID.pdf, ID.scan.pdf and ID.txt in DIR with an ID.gold.json beside it is run \
            through the pipeline and scored: sections, assessments, recommendations and goals \
            by precision/recall/F1 (items match at word similarity >= 0.8), verdicts, \
            recipients, goal targets and years over matched pairs, the overall assessment, \
            metadata by exact match, cleaned text against ID.gold.txt by word accuracy \
            (1 - WER) and diacritic word accuracy, and text input against ID.repaired.txt \
            line by line. The micro row pools the counts of all samples; --details lists \
            what each score is made of. Exits 0 whenever scoring worked, whatever the scores.
            """)

    @Argument(help: "A directory of labelled samples, such as corpus/.")
    var directory: String

    @Flag(help: "Print the scores as JSON (schema granska.evaluation/1) instead of a table.")
    var json = false

    @Flag(help: "After the table, list every sample's missing, spurious and wrong items.")
    var details = false

    @OptionGroup var repair: RepairOptions

    func run() throws {
        var options = PipelineOptions()
        try repair.apply(to: &options)
        let report = try CLI.run { try Evaluator(options: options).evaluate(directory: directory) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try CLI.write(
                String(decoding: try encoder.encode(report), as: UTF8.self) + "\n", to: nil)
        } else {
            try CLI.write(report.table(details: details), to: nil)
        }
    }
}
