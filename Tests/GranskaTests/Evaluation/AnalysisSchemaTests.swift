import Foundation
import XCTest

@testable import Granska

/// `docs/analysis-schema.json` must describe what `granska analyze` prints: the recorded
/// golden output and a report carrying every answer type validate against it, and outputs
/// that break it do not.
final class AnalysisSchemaTests: XCTestCase {
    private func schema() throws -> JSONValue {
        try JSONValue.decode(
            Data(
                contentsOf: FixturePaths.root.appendingPathComponent(
                    "docs/analysis-schema.json")))
    }

    func testGoldenOutputValidates() throws {
        let golden = try JSONValue.decode(
            Data(
                contentsOf: CorpusFixtures.goldenDirectory.appendingPathComponent(
                    "vanersborg-2022.analysis.json")))
        let validator = SchemaValidator(root: try schema())
        XCTAssertEqual(validator.errors(golden), [])
    }

    func testReportWithGoldAnswersAndProvenanceValidates() throws {
        let data = try Data(contentsOf: CorpusFixtures.corpusFile("alingsas-2024.gold.json"))
        var analysis = try JSONDecoder().decode(GoldAnswers.self, from: data).analysis
        let provenance = Provenance(
            page: 3, span: TextSpan(start: 10, end: 40), sentence: "Vår samlade bedömning …",
            confidence: 0.9)
        analysis.metadata.provenance = ["date": provenance]
        analysis.sections[0].level = 1
        analysis.sections[0].provenance = provenance
        analysis.assessments[0].rawVerdict = "Ja"
        analysis.goals[0].provenance = provenance
        var document = try Pipeline().process(
            path: CorpusFixtures.corpusFile("alingsas-2024.txt").path)
        document.analysis = analysis
        document.repairEdits = [
            RepairEdit(
                original: "fatt", replacement: "fått", span: TextSpan(start: 0, end: 4), page: 1,
                confidence: 0.97, evidence: ["lexicon"])
        ]
        document.diagnostics = [
            Diagnostic(severity: .warning, stage: "repair", code: "unsure", message: "m", page: 2)
        ]
        let json = try JSONValue.decode(AnalysisReport(document: document).jsonData(pretty: false))
        XCTAssertEqual(SchemaValidator(root: try schema()).errors(json), [])
    }

    func testValidatorRejectsBrokenOutput() throws {
        let validator = SchemaValidator(root: try schema())
        let golden = try JSONValue.decode(
            Data(
                contentsOf: CorpusFixtures.goldenDirectory.appendingPathComponent(
                    "vanersborg-2022.analysis.json")))
        guard case .object(var report) = golden else { return XCTFail("not an object") }
        report["schema_version"] = .string("granska.analysis/2")
        report["surprise"] = .bool(true)
        report.removeValue(forKey: "text")
        report["sections"] = .array([.object(["title": .string("Bakgrund")])])
        let errors = validator.errors(.object(report))
        XCTAssertTrue(errors.contains { $0.hasPrefix("$.schema_version") }, "\(errors)")
        XCTAssertTrue(errors.contains { $0.contains("surprise") }, "\(errors)")
        XCTAssertTrue(errors.contains { $0.contains("\"text\"") }, "\(errors)")
        XCTAssertTrue(errors.contains { $0.hasPrefix("$.sections[0]") }, "\(errors)")
    }
}

/// A JSON value, decoded strictly enough to tell booleans, integers and other numbers apart.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    static func decode(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int.self) {
            self = .integer(i)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    var numberValue: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .number(let d): d
        default: nil
        }
    }
}

/// The subset of JSON Schema 2020-12 that `docs/analysis-schema.json` uses: `type`,
/// `const`, `enum`, `properties`, `required`, `additionalProperties`, `propertyNames`,
/// `items`, `oneOf`, `minimum`, `maximum`, `pattern` and local `$ref`s. An unknown keyword
/// is reported as an error, so the schema cannot quietly outgrow this checker.
struct SchemaValidator {
    var root: JSONValue

    private static let known: Set<String> = [
        "$schema", "$id", "$defs", "$ref", "title", "description", "type", "const", "enum",
        "properties", "required", "additionalProperties", "propertyNames", "items", "oneOf",
        "minimum", "maximum", "pattern",
    ]

    func errors(_ value: JSONValue) -> [String] {
        var errors: [String] = []
        validate(value, against: root, at: "$", into: &errors)
        return errors
    }

    private func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node = root
        for part in reference.dropFirst(2).split(separator: "/") {
            guard case .object(let o) = node, let next = o[String(part)] else { return nil }
            node = next
        }
        return node
    }

    private func validate(
        _ value: JSONValue, against schema: JSONValue, at path: String, into errors: inout [String]
    ) {
        guard case .object(let s) = schema else {
            if schema == .bool(false) { errors.append("\(path): not allowed") }
            return
        }
        for key in s.keys where !Self.known.contains(key) {
            errors.append("\(path): schema keyword \(key) not supported by the test validator")
        }
        if case .string(let ref)? = s["$ref"] {
            guard let target = resolve(ref) else {
                errors.append("\(path): unresolved $ref \(ref)")
                return
            }
            validate(value, against: target, at: path, into: &errors)
        }
        if let type = s["type"] {
            let allowed: [String]
            switch type {
            case .string(let t): allowed = [t]
            case .array(let ts):
                allowed = ts.compactMap { if case .string(let t) = $0 { t } else { nil } }
            default: allowed = []
            }
            let actual = value.typeName
            let ok = allowed.contains(actual) || (actual == "integer" && allowed.contains("number"))
            if !ok {
                errors.append("\(path): \(actual), expected \(allowed.joined(separator: "/"))")
            }
        }
        if let constant = s["const"], constant != value {
            errors.append("\(path): expected the constant \(constant)")
        }
        if case .array(let options)? = s["enum"], !options.contains(value) {
            errors.append("\(path): \(value) not among the allowed values")
        }
        if case .array(let options)? = s["oneOf"] {
            let passing = options.filter { option in
                var optionErrors: [String] = []
                validate(value, against: option, at: path, into: &optionErrors)
                return optionErrors.isEmpty
            }
            if passing.count != 1 {
                errors.append("\(path): matches \(passing.count) of the oneOf alternatives")
            }
        }
        if let minimum = s["minimum"]?.numberValue, let v = value.numberValue, v < minimum {
            errors.append("\(path): \(v) below the minimum \(minimum)")
        }
        if let maximum = s["maximum"]?.numberValue, let v = value.numberValue, v > maximum {
            errors.append("\(path): \(v) above the maximum \(maximum)")
        }
        if case .string(let pattern)? = s["pattern"], case .string(let v) = value,
            v.range(of: pattern, options: .regularExpression) == nil
        {
            errors.append("\(path): \"\(v)\" does not match \(pattern)")
        }
        if case .array(let items) = value, let itemSchema = s["items"] {
            for (i, item) in items.enumerated() {
                validate(item, against: itemSchema, at: "\(path)[\(i)]", into: &errors)
            }
        }
        guard case .object(let object) = value else { return }
        if case .array(let required)? = s["required"] {
            for case .string(let key) in required where object[key] == nil {
                errors.append("\(path): missing required \"\(key)\"")
            }
        }
        var properties: [String: JSONValue] = [:]
        if case .object(let p)? = s["properties"] { properties = p }
        for (key, member) in object.sorted(by: { $0.key < $1.key }) {
            if let names = s["propertyNames"] {
                validate(.string(key), against: names, at: "\(path).\(key) (name)", into: &errors)
            }
            if let propertySchema = properties[key] {
                validate(member, against: propertySchema, at: "\(path).\(key)", into: &errors)
            } else if let additional = s["additionalProperties"] {
                validate(member, against: additional, at: "\(path).\(key)", into: &errors)
            }
        }
    }
}
