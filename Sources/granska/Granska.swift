import ArgumentParser
import Granska

@main
struct GranskaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "granska",
        abstract: "Turn Swedish audit-report PDFs into clean text and structured data.",
        subcommands: [TextCommand.self, AnalyzeCommand.self, EvalCommand.self]
    )
}
