import ArgumentParser
import Foundation
import Granska

/// `granska repair`: restores diacritics and OCR letter confusions in a text file.
struct RepairCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Restore Swedish diacritics and OCR letter confusions in text.",
        discussion: """
            A text filter: the output equals the input byte for byte except the corrected \
            words. With --edits, the edits are printed to stdout as JSON lines instead of \
            the text (fields: original, replacement, start, end, confidence, evidence; \
            offsets are Unicode scalars into the repaired text). Models are read from \
            $GRANSKA_MODELS, else from the nearest models/ above the executable, else \
            ./models.
            """
    )

    @Argument(help: "Input text file, or - for standard input.")
    var file: String = "-"

    @Option(name: .shortAndLong, help: "Write the output here instead of stdout.")
    var output: String?

    @Flag(help: "Print the edits as JSON lines instead of the repaired text.")
    var edits = false

    @Option(help: "Edits below this confidence (0...1) are not applied.")
    var minConfidence: Double = 0.5

    @Flag(help: .hidden) var debugCandidates = false

    func validate() throws {
        guard (0...1).contains(minConfidence) else {
            throw ValidationError("--min-confidence must be between 0 and 1")
        }
    }

    @OptionGroup var learnedContext: LearnedContextOption

    func run() throws {
        try learnedContext.export()
        do {
            let text = try readInput()
            let model = try RepairModel.locate()
            let repairer = Repairer(model: model, minConfidence: minConfidence)
            if debugCandidates {
                for word in text.split(whereSeparator: \.isWhitespace) {
                    print(word, repairer.debugDescription(of: String(word)))
                }
                return
            }
            let result = repairer.repair(text)
            var out = Data()
            if edits {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                for edit in result.edits {
                    let line = EditLine(
                        original: edit.original, replacement: edit.replacement,
                        start: edit.span.start, end: edit.span.end,
                        confidence: (edit.confidence * 1000).rounded() / 1000,
                        evidence: edit.evidence)
                    out.append(try encoder.encode(line))
                    out.append(0x0A)
                }
            } else {
                out = Data(result.text.utf8)
            }
            try writeOutput(out)
        } catch let error as GranskaError {
            FileHandle.standardError.write(Data("granska repair: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }

    private struct EditLine: Encodable {
        var original: String
        var replacement: String
        var start: Int
        var end: Int
        var confidence: Double
        var evidence: [String]
    }

    private func readInput() throws -> String {
        let path = file == "-" ? "<stdin>" : file
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
                throw GranskaError.fileNotFound(path: path)
            }
            if isDirectory.boolValue { throw GranskaError.isDirectory(path: path) }
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw GranskaError.unreadable(path: path, reason: error.localizedDescription)
            }
        }
        if data.isEmpty { throw GranskaError.emptyFile(path: path) }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw GranskaError.invalidUTF8(path: path, byteOffset: firstInvalidUTF8(data))
        }
        return text
    }

    /// Writes atomically, so a failure never leaves a partial output file.
    private func writeOutput(_ data: Data) throws {
        guard let output, output != "-" else {
            FileHandle.standardOutput.write(data)
            return
        }
        do {
            try data.write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw GranskaError.unsupportedInput(
                path: output, reason: "cannot write output: \(error.localizedDescription)")
        }
    }

    private func firstInvalidUTF8(_ data: Data) -> Int {
        let bytes = [UInt8](data)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00..<0x80: length = 1
            case 0xC0..<0xE0: length = 2
            case 0xE0..<0xF0: length = 3
            case 0xF0..<0xF8: length = 4
            default: length = 0
            }
            guard length > 0, i + length <= bytes.count,
                String(validating: bytes[i..<(i + length)], as: UTF8.self) != nil
            else { return i }
            i += length
        }
        return i
    }
}
