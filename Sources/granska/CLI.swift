import ArgumentParser
import Foundation
import Granska

/// Shared plumbing for the subcommands: error reporting and atomic output.
enum CLI {
    /// Runs `body`; a ``GranskaError`` becomes one line on standard error and exit code 1.
    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as GranskaError {
            printError("granska: \(error.description)")
            throw ExitCode(1)
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Writes `text` to `path` atomically (no partial file on failure), or to stdout.
    static func write(_ text: String, to path: String?) throws {
        guard let path, path != "-" else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            printError("granska: \(path): cannot write output: \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }
}
