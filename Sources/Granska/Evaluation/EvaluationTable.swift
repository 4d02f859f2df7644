import Foundation

extension EvaluationReport {
    /// The columns of ``table()``: header and how to render one score set.
    private struct Column: Sendable {
        var header: String
        var render: @Sendable (AnalysisScore?, TextScore?, RepairScore?) -> String
    }

    private static let columns: [Column] = [
        Column(header: "sec F1") { a, _, _ in ratio(a?.sections.f1) },
        Column(header: "sec#") { a, _, _ in ratio(a?.sectionNumbers.value) },
        Column(header: "ass F1") { a, _, _ in ratio(a?.assessments.f1) },
        Column(header: "verdict") { a, _, _ in ratio(a?.verdicts.value) },
        Column(header: "overall") { a, _, _ in
            guard let a else { return "–" }
            return ratio((a.overallVerdict + a.overallText).value)
        },
        Column(header: "rec F1") { a, _, _ in ratio(a?.recommendations.f1) },
        Column(header: "recip") { a, _, _ in ratio(a?.recipients.value) },
        Column(header: "goal F1") { a, _, _ in ratio(a?.goals.f1) },
        Column(header: "tgt") { a, _, _ in ratio(a?.goalTargets.value) },
        Column(header: "year") { a, _, _ in ratio(a?.goalYears.value) },
        Column(header: "meta") { a, _, _ in
            guard let all = a?.metadata.all else { return "–" }
            return "\(all.correct)/\(all.total)"
        },
        Column(header: "word") { _, t, _ in ratio(t?.wordAccuracy) },
        Column(header: "diacr") { _, t, _ in ratio(t?.diacriticAccuracy) },
        Column(header: "repair") { _, _, r in ratio(r?.accuracy) },
        Column(header: "broken") { _, _, r in ratio(r?.brokenRate) },
    ]

    private static func ratio(_ value: Double?) -> String {
        guard let value else { return "–" }
        return String(format: "%.3f", value)
    }

    /// A plain-text table for people: one row per sample, then the micro average, then the
    /// errors of failed samples. "–" marks a score with nothing to score. With `details`,
    /// every sample's mismatches follow, one per line.
    public func table(details: Bool = false) -> String {
        var rows: [[String]] = [["sample"] + Self.columns.map(\.header)]
        for s in samples {
            let label = s.sample.inputName + (s.error == nil ? "" : " (!)")
            rows.append([label] + Self.columns.map { $0.render(s.analysis, s.text, s.repair) })
        }
        rows.append(
            ["micro (\(samples.count))"]
                + Self.columns.map { $0.render(micro.analysis, micro.text, micro.repair) })
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        var out = rows.dropLast().map(line)
        out.insert(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "), at: 1)
        out.append(out[1])
        out.append(line(rows[rows.count - 1]))
        var notes: [String] = []
        for s in samples {
            if let error = s.error {
                notes.append("(!) \(s.sample.inputName): \(error)")
            }
        }
        notes += [
            "sec# = section-number accuracy; overall = verdict and text of the overall "
                + "assessment;",
            "meta = metadata fields right/stated; word = 1 − WER; diacr = diacritic word "
                + "accuracy;",
            "repair = line-by-line repair accuracy; broken = share of the input's right "
                + "words made wrong;",
            "the micro row pools the counts of all samples.",
        ]
        if !repair { notes.append("repair stage disabled (--no-repair).") }
        if details {
            for s in samples {
                notes.append("")
                notes.append("\(s.sample.inputName): \(s.mismatches.count) mismatches")
                for m in s.mismatches {
                    var line = "  \(m.kind.rawValue) \(m.field)"
                    if let gold = m.gold { line += "  gold: \(gold)" }
                    if m.kind != .missing { line += "  predicted: \(m.predicted ?? "null")" }
                    notes.append(line)
                }
                if !s.confusions.isEmpty {
                    notes.append(
                        "  most frequent word confusions (gold → output): "
                            + s.confusions.map { "\($0.gold) → \($0.output) ×\($0.count)" }
                            .joined(separator: ", "))
                }
            }
        }
        return (out + [""] + notes).joined(separator: "\n") + "\n"
    }
}
