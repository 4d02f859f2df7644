import Foundation

/// One part of a split archive: `--shard i/n` takes the inputs whose stable path hash is
/// `i` modulo `n` (0-based `i`, as Slurm's `--array=0-(n-1)` and Kubernetes'
/// `JOB_COMPLETION_INDEX` count).
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    /// The whole archive.
    public static let all = Shard(validatedIndex: 0, count: 1)

    private init(validatedIndex: Int, count: Int) {
        self.index = validatedIndex
        self.count = count
    }

    /// Parses "i/n" with 0 ≤ i < n; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2,
            let index = Int(parts[0].trimmingCharacters(in: .whitespaces)),
            let count = Int(parts[1].trimmingCharacters(in: .whitespaces)),
            count >= 1, index >= 0, index < count
        else { return nil }
        self.init(validatedIndex: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// Whether the input with this relative path belongs to this shard.
    public func contains(relativePath: String) -> Bool {
        count == 1 || Int(Shard.stableHash(relativePath) % UInt64(count)) == index
    }

    /// 64-bit FNV-1a of the UTF-8 bytes: the same on every machine, run and Swift version
    /// (unlike `Hasher`, which is seeded per process).
    public static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
