import Foundation

/// Options for one run of the pipeline.
public struct PipelineOptions: Sendable {
    /// Run the repair stage (restore diacritics and OCR confusions).
    public var repair: Bool = true
    /// Edits below this confidence are not applied (they are kept as diagnostics).
    public var minRepairConfidence: Double = 0.5
    /// Run the structure stage (sections, verdicts, recommendations, goals).
    public var analyze: Bool = true
    /// Refuse inputs larger than this many bytes.
    public var maxBytes: Int = 512 * 1024 * 1024
    /// Refuse PDFs with more pages than this.
    public var maxPages: Int = 5000

    public init() {}

    /// Extraction and layout only: no repair, no structure.
    public static var layoutOnly: PipelineOptions {
        var options = PipelineOptions()
        options.repair = false
        options.analyze = false
        return options
    }
}

/// The whole pipeline: Extraction → Layout → Repair → Structure, each stage enriching one
/// ``Document``.
public struct Pipeline: Sendable {
    public var options: PipelineOptions

    public init(options: PipelineOptions = PipelineOptions()) {
        self.options = options
    }

    private static let modelLock = NSLock()
    nonisolated(unsafe) private static var loadedModel: RepairModel?

    /// The repair model, loaded (memory-mapped) once per process and shared by every
    /// pipeline in it: it is read-only and Sendable.
    public static func sharedRepairModel() throws -> RepairModel {
        modelLock.lock()
        defer { modelLock.unlock() }
        if let loadedModel { return loadedModel }
        let model = try RepairModel.locate()
        loadedModel = model
        return model
    }

    /// Drops the shared model, so the next ``sharedRepairModel()`` loads it again (with
    /// the learned context counts `$GRANSKA_CONTEXT` names now).
    public static func reloadSharedRepairModel() {
        modelLock.lock()
        defer { modelLock.unlock() }
        loadedModel = nil
    }

    /// The repair lexicon as a word list for layout's hyphen decisions ("e-\npost" stays
    /// "e-post"), or nil where the models are not installed (layout then decides by rules).
    static func lexiconWords() -> (any WordChecking)? {
        (try? sharedRepairModel()).map { LexiconWords(lexicon: $0.lexicon) }
    }

    /// What kind of input a path holds, decided by its first bytes (then its extension).
    public enum InputKind: Sendable {
        case pdf, text
    }

    /// Sniffs the input kind: `%PDF` within the first 1 KiB, or a `.pdf` name, means PDF.
    public static func inputKind(of data: Data, path: String) -> InputKind {
        let head = data.prefix(1024)
        if let range = head.range(of: Data("%PDF-".utf8)), range.lowerBound < 1024 { return .pdf }
        if path.lowercased().hasSuffix(".pdf") { return .pdf }
        return .text
    }

    /// Runs extraction and layout on one input file ("-" for standard input).
    public func extract(path: String) throws -> Document {
        // A file is sniffed by its head; a PDF is then mapped by poppler itself, not copied.
        let data: Data
        if path == "-" {
            data = try InputFile.read(path: path, maxBytes: options.maxBytes)
            if data.isEmpty { throw GranskaError.emptyFile(path: path) }
        } else {
            try InputFile.check(path: path, maxBytes: options.maxBytes)
            data = try InputFile.head(path: path, count: 1024)
        }
        switch Pipeline.inputKind(of: data, path: path) {
        case .pdf:
            let extractor = PDFExtractor(maxPages: options.maxPages)
            let raw =
                try path == "-"
                ? extractor.extract(data: data, path: path) : extractor.extract(path: path)
            let document = PDFLayout(words: Pipeline.lexiconWords()).layout(raw)
            if document.pages.allSatisfy({ $0.flags.contains(.noTextLayer) }) {
                throw GranskaError.imageOnly(path: path, pages: document.pages.count)
            }
            return document
        case .text:
            let reader = TextInputReader(maxBytes: options.maxBytes)
            let input =
                try path == "-" ? reader.read(data: data, path: path) : reader.read(path: path)
            return PlainTextLayout(joiner: LineJoiner(words: Pipeline.lexiconWords())).layout(input)
        }
    }

    /// Runs every enabled stage on one input file: extraction and layout, then repair, then
    /// structure.
    public func process(path: String) throws -> Document {
        var document = try extract(path: path)
        if options.repair {
            if LanguageGuess.isSwedish(document.text) {
                let repairer = Repairer(
                    model: try Pipeline.sharedRepairModel(),
                    minConfidence: options.minRepairConfidence)
                RepairStage(repairer: repairer).apply(to: &document)
            } else {
                document.diagnostics.append(
                    Diagnostic(
                        severity: .info, stage: "repair", code: "repair-skipped-not-swedish",
                        message: "the text reads as English, not Swedish; repair left it as it is"))
            }
        }
        if options.analyze {
            StructureAnalyzer().analyze(&document)
        }
        return document
    }
}

/// Word forms of the repair lexicon that stand on their own.
private struct LexiconWords: WordChecking {
    let lexicon: Lexicon

    func isKnownWord(_ word: String) -> Bool {
        guard let entry = lexicon.entry(ICU.lowercased(word)) else { return false }
        return entry.flags.contains(.standalone)
    }
}
