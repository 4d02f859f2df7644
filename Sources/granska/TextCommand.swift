import ArgumentParser
import Foundation
import Granska

/// `granska text`: the cleaned body text of one input.
struct TextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract: "Print the cleaned body text of a PDF or text file.",
        discussion: """
            Headings on their own lines with Markdown '#' marks, one paragraph per line, list \
            items on their own lines, table rows with ' | ' between cells, footnotes at the end \
            under 'Fotnoter'. Running headers, footers and page numbers are left out.
            """)

    @Argument(help: "A PDF or UTF-8 text file, or '-' for standard input.")
    var input: String

    @Option(name: .shortAndLong, help: "Write the text to this file instead of standard output.")
    var output: String?

    @OptionGroup var repair: RepairOptions

    func run() throws {
        var options = PipelineOptions()
        try repair.apply(to: &options)
        options.analyze = false
        let document = try CLI.run { try Pipeline(options: options).process(path: input) }
        try CLI.write(document.text, to: output)
    }
}
