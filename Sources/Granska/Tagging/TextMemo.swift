import Foundation

/// Results of a pure function of a text, remembered for up to `capacity` texts (then all
/// forgotten at once, so memory stays bounded in a long-lived worker). The structure stage
/// asks the same questions of the same units and sentences from several extractors; it
/// forgets everything at the start of each document (``forgetAll()``), so one document's
/// answers never serve another (an archive of copies would otherwise look faster).
///
/// Texts are told apart by their exact UTF-8 bytes, not by `String` equality, which treats
/// canonically equivalent texts ("é" and "e" + U+0301) as equal although their scalar
/// offsets, and so their answers, may differ.
final class TextMemo<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var memo: [ExactText: Value] = [:]
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        TextMemo<Any>.register { [weak self] in self?.forget() }
    }

    private func forget() {
        lock.withLock { memo.removeAll(keepingCapacity: true) }
    }

    /// `compute(text)`, from memory when the same text was asked before.
    func value(for text: String, _ compute: (String) -> Value) -> Value {
        let key = ExactText(text)
        if let known = lock.withLock({ memo[key] }) { return known }
        let value = compute(text)
        lock.withLock {
            if memo.count >= capacity { memo.removeAll(keepingCapacity: true) }
            memo[key] = value
        }
        return value
    }
}

private let forgetters = NSLock()
nonisolated(unsafe) private var forgetFunctions: [@Sendable () -> Void] = []

extension TextMemo where Value == Any {
    fileprivate static func register(_ forget: @escaping @Sendable () -> Void) {
        forgetters.withLock { forgetFunctions.append(forget) }
    }

    /// Empties every memo.
    static func forgetAll() {
        for forget in forgetters.withLock({ forgetFunctions }) { forget() }
    }
}

/// A text compared and hashed by its UTF-8 bytes.
private struct ExactText: Hashable {
    var text: String

    init(_ text: String) { self.text = text }

    static func == (a: ExactText, b: ExactText) -> Bool {
        var x = a.text
        var y = b.text
        return x.withUTF8 { x in
            y.withUTF8 { y in
                x.count == y.count
                    && (x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
            }
        }
    }

    func hash(into hasher: inout Hasher) {
        var copy = text
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
