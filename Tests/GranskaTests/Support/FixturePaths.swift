import Foundation

@testable import Granska

/// Paths of the repository's corpus and test fixtures, found from this file's location so
/// tests run from any working directory.
enum FixturePaths {
    /// The repository root.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // GranskaTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// A file of the bundled corpus, e.g. "lindesberg-2022.pdf".
    static func corpus(_ name: String) -> String {
        root.appendingPathComponent("corpus").appendingPathComponent(name).path
    }

    /// A file under Tests/GranskaTests/Fixtures.
    static func fixture(_ name: String) -> String {
        root.appendingPathComponent("Tests/GranskaTests/Fixtures").appendingPathComponent(name).path
    }

    /// A fresh temporary directory, removed by the caller's `defer`.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("granska-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Word accuracy (1 − word error rate) of `output` against `gold`: the measure the
/// labelled-sample spec uses for cleaned text, as `granska eval` computes it.
func wordAccuracy(gold: String, output: String) -> Double {
    TextScorer.score(output: output, gold: gold).wordAccuracy ?? 0
}
