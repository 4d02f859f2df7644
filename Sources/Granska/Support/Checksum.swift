import CPoppler
import Foundation

/// SHA-256 digests, computed with GLib's `GChecksum` (CryptoKit is not available on Linux;
/// GLib is already linked through poppler-glib).
///
/// A `SHA256` value owns its `GChecksum` and frees it when it goes away; it is not shared
/// between threads (create one per task).
public final class SHA256 {
    private let checksum: OpaquePointer

    /// Starts an empty digest.
    public init() {
        guard let checksum = g_checksum_new(G_CHECKSUM_SHA256) else {
            fatalError("GLib cannot create a SHA-256 checksum")
        }
        self.checksum = checksum
    }

    deinit { g_checksum_free(checksum) }

    /// Feeds bytes into the digest.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        g_checksum_update(checksum, base.assumingMemoryBound(to: guchar.self), gssize(bytes.count))
    }

    /// Feeds the bytes of `data` into the digest.
    public func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    /// The digest as 64 lowercase hex digits. The digest cannot be updated afterwards.
    public func hexDigest() -> String {
        // GLib owns the returned string; it stays valid until the checksum is freed.
        String(cString: g_checksum_get_string(checksum))
    }

    /// The SHA-256 of `data`, as 64 lowercase hex digits.
    public static func hex(of data: Data) -> String {
        let digest = SHA256()
        digest.update(data)
        return digest.hexDigest()
    }

    /// The SHA-256 of a file's contents, read in 1 MiB chunks so memory stays flat for big
    /// inputs. Returns the digest and the number of bytes read.
    public static func hexOfFile(atPath path: String) throws -> (hex: String, byteCount: Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw GranskaError.unreadable(path: path, reason: "cannot open for reading")
        }
        defer { try? handle.close() }
        let digest = SHA256()
        var total = 0
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw GranskaError.unreadable(path: path, reason: error.localizedDescription)
            }
            if chunk.isEmpty { break }
            total += chunk.count
            digest.update(chunk)
        }
        return (digest.hexDigest(), total)
    }
}
