import Foundation

/// The corpus and golden files the evaluation tests read, as URLs under
/// ``FixturePaths/root``.
enum CorpusFixtures {
    static let corpus = FixturePaths.root.appendingPathComponent("corpus")

    static let goldenDirectory = FixturePaths.root.appendingPathComponent(
        "Tests/GranskaTests/Golden")

    static func corpusFile(_ name: String) -> URL { corpus.appendingPathComponent(name) }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: corpusFile(name), encoding: .utf8)
    }
}
