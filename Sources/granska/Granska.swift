import ArgumentParser
import Granska

@main
struct GranskaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "granska",
        abstract: "Turn Swedish audit-report PDFs into clean text and structured data.",
        version: GranskaVersion.tool,
        subcommands: [
            TextCommand.self, RepairCommand.self, AnalyzeCommand.self, EvalCommand.self,
            IngestCommand.self, MergeCommand.self, LearnCommand.self, WorkerCommand.self,
        ]
    )
}
