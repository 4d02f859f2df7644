import Foundation
import XCTest

@testable import Granska

/// Development aid for the corpus score test: with STRUCTURE_DUMP=<corpus file>, prints
/// that file's blocks and analysis.
enum StructureDump {
    static func dumpIfAsked() throws {
        guard let name = ProcessInfo.processInfo.environment["STRUCTURE_DUMP"] else { return }
        let document = try Pipeline().process(path: FixturePaths.corpus(name))
        let full = ProcessInfo.processInfo.environment["STRUCTURE_DUMP_FULL"] != nil
        var out = ""
        for b in document.blocks {
            let cells = b.cells.map { " cells=" + $0.joined(separator: " ‖ ") } ?? ""
            let table = b.table.map(String.init) ?? "-"
            out +=
                "[\(b.kind.rawValue) p\(b.page) t\(table)] \(b.text.prefix(full ? 100_000 : 160))"
                + cells.prefix(full ? 100_000 : 300) + "\n"
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
        guard var analysis = document.analysis else {
            print(out)
            return
        }
        analysis.sections = analysis.sections.map {
            var s = $0
            s.provenance = nil
            return s
        }
        analysis.goals = analysis.goals.map {
            var g = $0
            g.provenance = nil
            return g
        }
        analysis.recommendations = analysis.recommendations.map {
            var g = $0
            g.provenance = nil
            return g
        }
        analysis.assessments = analysis.assessments.map {
            var g = $0
            g.provenance = nil
            return g
        }
        out += String(decoding: try encoder.encode(analysis), as: UTF8.self) + "\n"
        if let path = ProcessInfo.processInfo.environment["STRUCTURE_DUMP_OUT"] {
            try out.write(toFile: path, atomically: true, encoding: .utf8)
        } else {
            print(out)
        }
    }
}
