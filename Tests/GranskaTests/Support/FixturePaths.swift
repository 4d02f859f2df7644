import Foundation

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

/// Word accuracy (1 − word error rate) of `output` against `gold`, over `\w+` tokens after
/// NFC and lower-casing: the measure the labelled-sample spec uses for cleaned text.
func wordAccuracy(gold: String, output: String) -> Double {
    func tokens(_ s: String) -> [Substring] {
        s.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "_") }
    }
    let a = tokens(gold)
    let b = tokens(output)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...max(1, a.count) where !a.isEmpty {
        current[0] = i
        for j in 1...max(1, b.count) where !b.isEmpty {
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1,
                previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    let errors = a.isEmpty ? b.count : previous[b.count]
    return 1 - Double(errors) / Double(max(1, a.count))
}
