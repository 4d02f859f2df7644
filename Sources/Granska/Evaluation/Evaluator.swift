import Foundation

/// One labelled sample found in a directory: an input with the gold files beside it.
public struct LabelledSample: Codable, Hashable, Sendable {
    /// Sample id, shared by all renderings of one report ("vanersborg-2022").
    public var id: String
    /// The input file: `ID.pdf`, `ID.scan.pdf` or `ID.txt`.
    public var input: String
    /// `ID.gold.json`.
    public var goldJSON: String
    /// `ID.gold.txt`, when present.
    public var goldText: String?
    /// `ID.repaired.txt`, when present and the input is text.
    public var repairedText: String?

    /// The input's file name ("vanersborg-2022.scan.pdf").
    public var inputName: String { URL(fileURLWithPath: input).lastPathComponent }

    enum CodingKeys: String, CodingKey {
        case id, input
        case goldJSON = "gold_json"
        case goldText = "gold_text"
        case repairedText = "repaired_text"
    }
}

/// The scores of one sample, or why it could not be scored.
public struct SampleEvaluation: Codable, Hashable, Sendable {
    /// Which sample, and its files.
    public var sample: LabelledSample
    /// Structured answers; nil only when the gold file could not be read.
    public var analysis: AnalysisScore?
    /// What the structured-answer scores are made of: missing, spurious and wrong items.
    public var mismatches: [Mismatch] = []
    /// Cleaned text against `ID.gold.txt`, when there is one.
    public var text: TextScore?
    /// The most frequent word confusions against `ID.gold.txt`.
    public var confusions: [Confusion] = []
    /// Line-by-line repair against `ID.repaired.txt`, when there is one.
    public var repair: RepairScore?
    /// Why the input or its gold could not be processed. A failed input is scored as an
    /// empty prediction, so it still counts (as zero) in the micro average.
    public var error: String?
    /// Wall-clock seconds the pipeline took on the input.
    public var seconds: Double
}

/// The result of ``Evaluator/evaluate(directory:)``.
public struct EvaluationReport: Codable, Hashable, Sendable {
    /// Bumped on any incompatible change of this report's JSON (`granska eval --json`).
    public static let currentSchemaVersion = "granska.evaluation/1"

    public var schemaVersion: String = EvaluationReport.currentSchemaVersion
    /// The directory the samples were found in, as given.
    public var directory: String
    /// The pipeline that was scored (``GranskaVersion/pipeline``).
    public var pipelineVersion: String = GranskaVersion.pipeline
    /// Whether the repair stage ran.
    public var repair: Bool
    /// One row per sample, by input file name.
    public var samples: [SampleEvaluation]
    /// Micro average: the counts of all samples pooled, then the ratios taken.
    public var micro: MicroScores

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case directory
        case pipelineVersion = "pipeline_version"
        case repair, samples, micro
    }
}

/// Pooled counts over the samples of a report.
public struct MicroScores: Codable, Hashable, Sendable {
    public var analysis: AnalysisScore
    /// Pooled over the samples with `ID.gold.txt`; nil when none has one.
    public var text: TextScore?
    /// Pooled over the samples with `ID.repaired.txt`; nil when none has one.
    public var repair: RepairScore?

    /// Pools `samples`' counts.
    public init(pooling samples: [SampleEvaluation]) {
        analysis = samples.compactMap(\.analysis).reduce(AnalysisScore(), +)
        let texts = samples.compactMap(\.text)
        text = texts.isEmpty ? nil : texts.dropFirst().reduce(texts[0], +)
        let repairs = samples.compactMap(\.repair)
        repair = repairs.isEmpty ? nil : repairs.dropFirst().reduce(repairs[0], +)
    }
}

/// Scores the pipeline on a directory of labelled samples (`docs/labelled-samples.md`),
/// in the manner of GROBID's field-level end-to-end evaluation.
public struct Evaluator: Sendable {
    public var options: PipelineOptions

    public init(options: PipelineOptions = PipelineOptions()) {
        self.options = options
    }

    /// Finds the samples in `directory`: every `ID.pdf`, `ID.scan.pdf` and `ID.txt` (not
    /// `ID.gold.txt` or `ID.repaired.txt`) with an `ID.gold.json` beside it, by file name.
    /// Subdirectories are not searched.
    public static func samples(in directory: String) throws -> [LabelledSample] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw GranskaError.fileNotFound(path: directory)
        }
        guard isDirectory.boolValue else {
            throw GranskaError.unsupportedInput(
                path: directory, reason: "is not a directory of labelled samples")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw GranskaError.unreadable(path: directory, reason: error.localizedDescription)
        }
        let present = Set(names)
        let base = URL(fileURLWithPath: directory)
        func path(_ name: String) -> String { base.appendingPathComponent(name).path }
        var samples: [LabelledSample] = []
        for name in names.sorted() {
            let lower = name.lowercased()
            let isText = lower.hasSuffix(".txt")
            guard lower.hasSuffix(".pdf") || isText,
                !lower.hasSuffix(".gold.txt"), !lower.hasSuffix(".repaired.txt")
            else { continue }
            let id = AnalysisReport.sampleID(forPath: name)
            guard present.contains(id + ".gold.json") else { continue }
            samples.append(
                LabelledSample(
                    id: id, input: path(name), goldJSON: path(id + ".gold.json"),
                    goldText: present.contains(id + ".gold.txt") ? path(id + ".gold.txt") : nil,
                    repairedText: isText && present.contains(id + ".repaired.txt")
                        ? path(id + ".repaired.txt") : nil))
        }
        return samples
    }

    /// Runs every sample of `directory` through the pipeline and scores it.
    ///
    /// Throws only when the directory is missing or holds no samples; a sample whose input
    /// or gold fails becomes a row with ``SampleEvaluation/error``.
    public func evaluate(directory: String) throws -> EvaluationReport {
        let samples = try Evaluator.samples(in: directory)
        guard !samples.isEmpty else {
            throw GranskaError.unsupportedInput(
                path: directory,
                reason: "holds no labelled samples (ID.pdf, ID.scan.pdf or ID.txt "
                    + "with ID.gold.json beside it)")
        }
        let rows = samples.map(evaluate(sample:))
        return EvaluationReport(
            directory: directory, repair: options.repair, samples: rows,
            micro: MicroScores(pooling: rows))
    }

    /// Scores one sample.
    public func evaluate(sample: LabelledSample) -> SampleEvaluation {
        var row = SampleEvaluation(sample: sample, seconds: 0)
        let gold: GoldAnswers
        do {
            gold = try JSONDecoder().decode(
                GoldAnswers.self, from: Data(contentsOf: URL(fileURLWithPath: sample.goldJSON)))
        } catch {
            row.error = "\(sample.goldJSON): cannot read gold answers: \(error)"
            return row
        }
        let started = Date()
        var output = ""
        var predicted = Analysis()
        do {
            let document = try Pipeline(options: options).process(path: sample.input)
            output = document.text
            predicted = document.analysis ?? Analysis()
        } catch {
            row.error = "\(error)"
        }
        row.seconds = Date().timeIntervalSince(started)
        let comparison = AnalysisScorer().compare(predicted: predicted, gold: gold.analysis)
        row.analysis = comparison.score
        row.mismatches = comparison.mismatches
        func note(_ message: String) {
            row.error = [row.error, message].compactMap { $0 }.joined(separator: "; ")
        }
        if let goldText = sample.goldText {
            do {
                let gold = try readText(goldText)
                row.text = TextScorer.score(output: output, gold: gold)
                row.confusions = TextScorer.confusions(output: output, gold: gold)
            } catch {
                note("\(error)")
            }
        }
        if let repaired = sample.repairedText {
            do {
                row.repair = try RepairScorer.score(
                    input: try readText(sample.input), output: output,
                    repaired: try readText(repaired))
            } catch let mismatch as RepairScorer.LineCountMismatch {
                note("\(repaired): \(mismatch)")
            } catch {
                note("\(error)")
            }
        }
        return row
    }

    private func readText(_ path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw GranskaError.unreadable(path: path, reason: error.localizedDescription)
        }
    }
}
