import Foundation

/// Self-training: collects ``ContextCounts`` from the clean documents of a user's own
/// archive (born-digital reports that carry their diacritics), for the repair of the damaged
/// ones beside them.
///
/// Only text that is plainly clean Swedish is learned, so OCR damage never teaches the
/// context model its own mistakes: the document must read as Swedish and carry å, ä and ö
/// in at least the share of words clean Swedish does. Paragraphs, headings, list items and
/// footnotes are learned; table rows and TOC lines are not (their cells are not running
/// text).
public struct ContextLearner: Sendable {
    /// What happened to one document.
    public enum Outcome: Sendable, Equatable {
        /// Its text was learned (this many words).
        case learned(words: Int)
        /// It was left out, for this reason.
        case skipped(reason: String)
    }

    /// The model whose lexicon decides which skip pairs are kept.
    public let model: RepairModel
    /// Counts learned so far.
    public private(set) var counts: ContextCounts

    /// A learner whose counts weigh `weight` each (``ContextCounts/learnedWeight`` by
    /// default).
    public init(model: RepairModel, weight: Int = ContextCounts.learnedWeight) {
        self.model = model
        self.counts = ContextCounts(weight: weight)
    }

    /// What one input file gave: its outcome, or the error that kept it from being read.
    public typealias FileReport = (path: String, outcome: Result<Outcome, GranskaError>)

    /// Extracts each file (without repair or analysis) and learns the clean ones; `report`
    /// hears about every file, including those that cannot be read (the rest go on).
    public mutating func learn(files: [String], report: (FileReport) -> Void) {
        let pipeline = Pipeline(options: .layoutOnly)
        for path in files {
            do {
                let document = try pipeline.extract(path: path)
                report((path, .success(learn(document))))
            } catch let error as GranskaError {
                report((path, .failure(error)))
            } catch {
                report((path, .failure(.unreadable(path: path, reason: "\(error)"))))
            }
        }
    }

    /// Learns `document` (extracted without repair) when it is clean Swedish.
    @discardableResult
    public mutating func learn(_ document: Document) -> Outcome {
        let kinds: Set<Block.Kind> = [.paragraph, .heading, .listItem, .footnote]
        let texts = document.blocks.filter { kinds.contains($0.kind) }.map(\.text)
        let text = texts.joined(separator: "\n")
        let words = ContextCounts.tokens(of: text).count
        guard words >= 50 else { return .skipped(reason: "too little running text") }
        guard LanguageGuess.isSwedish(text) else { return .skipped(reason: "not Swedish") }
        guard Repairer(model: model).carriesDiacritics(texts) else {
            return .skipped(reason: "damaged (å, ä, ö missing): it is repaired, not learned")
        }
        let model = self.model
        counts.learn(
            document: text, hasTwin: { model.hasStrippedTwin($0) },
            wordClass: { model.lexicon.entry($0)?.wordClass ?? 0 })
        return .learned(words: words)
    }
}
