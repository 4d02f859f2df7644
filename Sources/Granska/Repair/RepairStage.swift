import Foundation

/// The pipeline's Repair stage: repairs each block's text in place, re-assembles the
/// document and records every correction as a ``RepairEdit`` into ``Document/text``.
///
/// Documents that look clean (born-digital text that carries its diacritics) come out
/// unchanged, and so do clean-looking blocks inside a partly scanned document.
public struct RepairStage: Sendable {
    /// The corrector applied to each block.
    public let repairer: Repairer

    /// A stage that repairs with `repairer`.
    public init(repairer: Repairer) {
        self.repairer = repairer
    }

    /// Loads the models (see ``RepairModel/locate()``) and builds the stage.
    public init(minConfidence: Double = 0.5) throws {
        self.repairer = Repairer(model: try RepairModel.locate(), minConfidence: minConfidence)
    }

    /// Repairs `document`'s blocks, re-assembles its text and appends the edits; corrections
    /// below the confidence threshold become `repair-unsure` diagnostics.
    ///
    /// A table row's cells are re-split from its repaired text (cells are joined by
    /// `" | "`), so cell texts and the block text stay in step.
    public func apply(to document: inout Document) {
        let texts = document.blocks.map(\.text)
        let results = repairer.repair(texts)
        var blockEdits: [(block: Int, edits: [RepairEdit])] = []
        for (i, result) in results.enumerated() {
            // Unsure corrections are not applied but kept, so nothing is silently dropped.
            for edit in result.rejected {
                document.diagnostics.append(
                    Diagnostic(
                        severity: .info, stage: "repair", code: "repair-unsure",
                        message: "\"\(edit.original)\" may read \"\(edit.replacement)\" "
                            + "(confidence \(String(format: "%.2f", edit.confidence)), "
                            + "below the threshold)",
                        page: document.blocks[i].page))
            }
            guard !result.edits.isEmpty else { continue }
            document.blocks[i].text = result.text
            if let cells = document.blocks[i].cells {
                let repaired = result.text.components(separatedBy: " | ")
                if repaired.count == cells.count { document.blocks[i].cells = repaired }
            }
            blockEdits.append((i, result.edits))
        }
        document.assemble()
        for (i, edits) in blockEdits {
            let block = document.blocks[i]
            for var edit in edits {
                edit.span = TextSpan(
                    start: block.span.start + edit.span.start,
                    end: block.span.start + edit.span.end)
                edit.page = block.page
                document.repairEdits.append(edit)
            }
        }
    }
}
