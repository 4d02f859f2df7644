#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A read-only memory mapping of a whole file.
///
/// `mmap` directly rather than `Data(contentsOf:options:.alwaysMapped)`: the tables are
/// read through raw pointers on every lookup, and a pointer escaped from `Data` is not
/// guaranteed to stay valid. The mapping is never written, so sharing it is safe.
final class MappedFile: @unchecked Sendable {
    let base: UnsafeRawPointer
    let size: Int

    init(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw GranskaError.modelUnavailable(path: path, reason: "cannot open (errno \(errno))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0 else {
            throw GranskaError.modelUnavailable(path: path, reason: "empty or unreadable")
        }
        size = Int(info.st_size)
        guard let pointer = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0),
            pointer != MAP_FAILED
        else {
            throw GranskaError.modelUnavailable(path: path, reason: "mmap failed (errno \(errno))")
        }
        base = UnsafeRawPointer(pointer)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: base), size)
    }
}

/// A sorted table of UTF-8 keys with a fixed-size payload per key, as written by
/// `scripts/models/build.py` (`write_table`).
///
/// Layout: `GRTAB001`, UInt32 count, UInt32 payload size, UInt32 offsets × (count + 1)
/// into the key blob, payloads × count, key blob. Keys are sorted by their bytes, so
/// lookups are binary searches straight on the mapping; nothing is parsed at load time.
struct SortedKeyTable: Sendable {
    private let file: MappedFile
    let count: Int
    private let payloadSize: Int
    private let offsetsStart: Int
    private let payloadsStart: Int
    private let blobStart: Int

    init(path: String) throws {
        let file = try MappedFile(path: path)
        guard file.size >= 16,
            String(decoding: UnsafeRawBufferPointer(start: file.base, count: 8), as: UTF8.self)
                == "GRTAB001"
        else {
            throw GranskaError.modelUnavailable(path: path, reason: "not a Granska table file")
        }
        self.file = file
        count = Int(file.base.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian)
        payloadSize = Int(
            file.base.loadUnaligned(fromByteOffset: 12, as: UInt32.self).littleEndian)
        offsetsStart = 16
        payloadsStart = offsetsStart + 4 * (count + 1)
        blobStart = payloadsStart + payloadSize * count
        let blobSize = Int(
            file.base.loadUnaligned(fromByteOffset: offsetsStart + 4 * count, as: UInt32.self)
                .littleEndian)
        guard blobStart + blobSize == file.size else {
            throw GranskaError.modelUnavailable(path: path, reason: "truncated table file")
        }
    }

    private func offset(_ i: Int) -> Int {
        Int(
            file.base.loadUnaligned(fromByteOffset: offsetsStart + 4 * i, as: UInt32.self)
                .littleEndian)
    }

    /// Compares key `i` with `probe`; with `prefixOnly`, a key that starts with `probe`
    /// counts as equal.
    private func compare(_ i: Int, _ probe: UnsafeBufferPointer<UInt8>, prefixOnly: Bool) -> Int {
        let start = offset(i)
        let length = offset(i + 1) - start
        let key = file.base.advanced(by: blobStart + start).assumingMemoryBound(to: UInt8.self)
        let n = min(length, probe.count)
        if n > 0, let probeBase = probe.baseAddress {
            let c = memcmp(key, probeBase, n)
            if c != 0 { return c < 0 ? -1 : 1 }
        }
        if length == probe.count || (prefixOnly && length > probe.count) { return 0 }
        return length < probe.count ? -1 : 1
    }

    /// The first index whose key is not less than `probe` (by bytes).
    private func lowerBound(_ probe: UnsafeBufferPointer<UInt8>) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if compare(mid, probe, prefixOnly: false) < 0 { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The index of `key`, if present.
    func index<C: Collection>(of key: C) -> Int? where C.Element == UInt8 {
        let found: Int? = Array(key).withUnsafeBufferPointer { probe in
            let i = lowerBound(probe)
            return i < count && compare(i, probe, prefixOnly: false) == 0 ? i : nil
        }
        return found
    }

    /// Whether some key starts with `prefix`.
    func containsPrefix(_ prefix: [UInt8]) -> Bool {
        prefix.withUnsafeBufferPointer { probe in
            let i = lowerBound(probe)
            return i < count && compare(i, probe, prefixOnly: true) == 0
        }
    }

    /// Narrows `range` — entries sharing a prefix of `depth` bytes — to those whose next
    /// bytes are `next`; nil when none are. Walking a word letter by letter this way costs
    /// two short binary searches per letter, comparing only the new bytes.
    func narrow(_ range: Range<Int>, depth: Int, next: [UInt8]) -> Range<Int>? {
        func order(_ i: Int) -> Int {
            let start = offset(i)
            let length = offset(i + 1) - start - depth
            let n = min(length, next.count)
            if n > 0 {
                let key = file.base.advanced(by: blobStart + start + depth)
                let c = next.withUnsafeBytes { memcmp(key, $0.baseAddress!, n) }
                if c != 0 { return c < 0 ? -1 : 1 }
            }
            return length >= next.count ? 0 : -1
        }
        var low = range.lowerBound
        var high = range.upperBound
        while low < high {
            let mid = (low + high) / 2
            if order(mid) < 0 { low = mid + 1 } else { high = mid }
        }
        let first = low
        high = range.upperBound
        while low < high {
            let mid = (low + high) / 2
            if order(mid) <= 0 { low = mid + 1 } else { high = mid }
        }
        return first < low ? first..<low : nil
    }

    /// Byte length of key `i`.
    func keyLength(at i: Int) -> Int { offset(i + 1) - offset(i) }

    /// Bytes of each key's payload.
    var payloadBytes: Int { payloadSize }

    /// The key at index `i`.
    func key(at i: Int) -> String {
        let start = offset(i)
        return String(
            decoding: UnsafeRawBufferPointer(
                start: file.base.advanced(by: blobStart + start), count: offset(i + 1) - start),
            as: UTF8.self)
    }

    func uint16(at i: Int, byte: Int = 0) -> UInt16 {
        file.base.loadUnaligned(
            fromByteOffset: payloadsStart + payloadSize * i + byte, as: UInt16.self
        ).littleEndian
    }

    func uint8(at i: Int, byte: Int) -> UInt8 {
        file.base.load(fromByteOffset: payloadsStart + payloadSize * i + byte, as: UInt8.self)
    }

    func uint32(at i: Int) -> UInt32 {
        file.base.loadUnaligned(fromByteOffset: payloadsStart + payloadSize * i, as: UInt32.self)
            .littleEndian
    }
}
