import Foundation

@testable import Granska

/// A minimal line diff for test failure messages.
enum UnifiedDiff {
    /// Hunks of `-`/`+` lines with `context` unchanged lines around them, at most
    /// `maxLines` lines in all.
    static func render(from old: String, to new: String, context: Int = 3, maxLines: Int)
        -> String
    {
        let a = old.split(separator: "\n", omittingEmptySubsequences: false)
        let b = new.split(separator: "\n", omittingEmptySubsequences: false)
        // Both files in step, as (old index, new index, marker) rows.
        var rows: [(old: Int, new: Int, marker: Character)] = []
        var nextOld = 0
        var nextNew = 0
        for step in SequenceAlignment(a, b).steps {
            switch step {
            case .aligned(let i, let j):
                rows.append((i, j, " "))
                nextOld = i + 1
                nextNew = j + 1
            case .gap(let removed, let inserted):
                rows += removed.map { ($0, nextNew, "-") }
                rows += inserted.map { (nextOld + removed.count, $0, "+") }
                nextOld += removed.count
                nextNew += inserted.count
            }
        }
        let changed = rows.indices.filter { rows[$0].marker != " " }
        var shown = Set<Int>()
        for k in changed {
            for c in max(0, k - context)...min(rows.count - 1, k + context) { shown.insert(c) }
        }
        var out: [String] = []
        var previous = -2
        for k in shown.sorted() {
            if k != previous + 1 {
                out.append("@@ golden line \(rows[k].old + 1), now line \(rows[k].new + 1) @@")
            }
            let row = rows[k]
            let text = row.marker == "+" ? b[row.new] : a[row.old]
            out.append("\(row.marker)\(text)")
            previous = k
            if out.count >= maxLines {
                out.append("… (\(changed.count) changed lines in all)")
                break
            }
        }
        return out.joined(separator: "\n")
    }
}
