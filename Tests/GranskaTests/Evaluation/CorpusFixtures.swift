import Foundation

/// Paths of the repository's own files, found from this source file so tests run from any
/// working directory.
enum CorpusFixtures {
    /// The package root: three levels above `Tests/GranskaTests/Evaluation/`.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let corpus = packageRoot.appendingPathComponent("corpus")

    static let goldenDirectory = packageRoot.appendingPathComponent("Tests/GranskaTests/Golden")

    static func corpusFile(_ name: String) -> URL { corpus.appendingPathComponent(name) }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: corpusFile(name), encoding: .utf8)
    }
}
