import Foundation

/// Locates the bundled corpus relative to this file, so tests run from any directory.
enum CorpusFixtures {
    static let corpusDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Structure
        .deletingLastPathComponent()  // GranskaTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("corpus")

    static func path(_ name: String) -> String {
        corpusDirectory.appendingPathComponent(name).path
    }
}
