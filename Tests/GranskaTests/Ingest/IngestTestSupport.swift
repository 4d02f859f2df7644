import Foundation
import XCTest

@testable import Granska

/// Fixtures and helpers shared by the ingest tests: the bundled corpus, temporary folders,
/// and the built `granska` executable.
enum IngestFixtures {
    /// The package root, found from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func corpusFile(_ name: String) -> URL {
        packageRoot.appendingPathComponent("corpus").appendingPathComponent(name)
    }

    /// The `granska` executable built next to the test bundle.
    static func executable() throws -> String {
        var candidates: [URL] = []
        let bundle = Bundle.main.bundleURL
        candidates.append(bundle.appendingPathComponent("granska"))
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("granska"))
        for arg in CommandLine.arguments.prefix(1) {
            let url = URL(fileURLWithPath: arg)
            candidates.append(url.deletingLastPathComponent().appendingPathComponent("granska"))
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/granska"))
        for candidate in candidates
        where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate.path
        }
        throw XCTSkip("the granska executable is not built (swift build)")
    }

    /// A fresh temporary folder, removed by the test's teardown.
    static func temporaryFolder(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("granska-ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Copies a corpus file, appending `marker` so copies differ in content hash (a PDF
    /// tolerates bytes after `%%EOF`; a text gets one more line).
    static func copy(_ name: String, to url: URL, marker: String? = nil) throws {
        var data = try Data(contentsOf: corpusFile(name))
        if let marker { data.append(contentsOf: "\n% \(marker)\n".utf8) }
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// Runs `granska ARGUMENTS`; returns the exit status and standard error.
    @discardableResult
    static func granska(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable())
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The canonical dump of a corpus database.
    static func dump(_ path: URL) throws -> String {
        try CorpusStore(path: path.path, readOnly: true).canonicalDump()
    }
}
