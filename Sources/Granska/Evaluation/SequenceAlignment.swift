import Foundation

/// An alignment of two sequences by a minimal diff (insertions and deletions): the
/// elements both keep, in order, and between them the gaps of elements only one side has.
///
/// ``words(_:_:)`` aligns words on a loose key (case folded, marks stripped), so a word
/// that differs only by its diacritics or case ("fatt" / "fått") still aligns. Used to
/// carry output words back to input lines (``RepairScorer``) and to list confusions
/// (``TextScorer``).
struct SequenceAlignment {
    /// One stretch of the alignment, in order.
    enum Step: Equatable {
        /// `a[a]` and `b[b]` are equal.
        case aligned(a: Int, b: Int)
        /// Unaligned elements of `a` and of `b` between two aligned pairs (either may be
        /// empty, not both).
        case gap(a: [Int], b: [Int])
    }

    var steps: [Step]

    /// Aligns words by their loose key.
    static func words(_ a: [String], _ b: [String]) -> SequenceAlignment {
        var keys: [String: Int32] = [:]
        func key(_ word: String) -> Int32 {
            let k = ICU.strippingMarks(ICU.caseFolded(word))
            if let id = keys[k] { return id }
            let id = Int32(keys.count)
            keys[k] = id
            return id
        }
        return SequenceAlignment(a.map(key), b.map(key))
    }

    /// Aligns equal elements.
    init<Element: Equatable>(_ a: [Element], _ b: [Element]) {
        let difference = b.difference(from: a)
        var removed = Set<Int>()
        var inserted = Set<Int>()
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        var steps: [Step] = []
        var gapA: [Int] = []
        var gapB: [Int] = []
        func closeGap() {
            if !gapA.isEmpty || !gapB.isEmpty { steps.append(.gap(a: gapA, b: gapB)) }
            gapA.removeAll()
            gapB.removeAll()
        }
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count && removed.contains(i) {
                gapA.append(i)
                i += 1
            } else if j < b.count && inserted.contains(j) {
                gapB.append(j)
                j += 1
            } else if i < a.count && j < b.count {
                closeGap()
                steps.append(.aligned(a: i, b: j))
                i += 1
                j += 1
            } else {
                break  // cannot happen for a valid diff; stop rather than loop
            }
        }
        closeGap()
        self.steps = steps
    }
}
