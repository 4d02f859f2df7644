import CPoppler
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// SHA-256 digests. CryptoKit is not available on Linux, so two C implementations serve:
/// OpenSSL's libcrypto (SHA-NI accelerated; about 1.7 GB per CPU-second here), loaded at run
/// time when the system has it, and otherwise GLib's `GChecksum` (about 325 MB per
/// CPU-second; GLib is always linked through poppler-glib). Both give the same digest.
///
/// A `SHA256` value owns its C state and frees it when it goes away; it is not shared between
/// threads (create one per task).
public final class SHA256 {
    /// Which implementation computes a digest.
    public enum Backend: Sendable {
        case libcrypto, glib

        /// libcrypto when it can be loaded, else GLib.
        public static var fastest: Backend { Libcrypto.shared == nil ? .glib : .libcrypto }
    }

    private enum State {
        case libcrypto(Libcrypto, OpaquePointer)
        case glib(OpaquePointer)
    }

    private let state: State
    private var hex: String?

    /// Starts an empty digest with the fastest available implementation, or the one asked
    /// for (libcrypto falls back to GLib when it is not installed).
    public init(backend: Backend = .fastest) {
        if backend == .libcrypto, let crypto = Libcrypto.shared, let context = crypto.start() {
            state = .libcrypto(crypto, context)
            return
        }
        guard let checksum = g_checksum_new(G_CHECKSUM_SHA256) else {
            fatalError("GLib cannot create a SHA-256 checksum")
        }
        state = .glib(checksum)
    }

    deinit {
        switch state {
        case .libcrypto(let crypto, let context): crypto.free(context)
        case .glib(let checksum): g_checksum_free(checksum)
        }
    }

    /// Which implementation this digest uses.
    public var backend: Backend {
        if case .libcrypto = state { return .libcrypto }
        return .glib
    }

    /// Feeds bytes into the digest.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        precondition(hex == nil, "SHA256 updated after its digest was taken")
        switch state {
        case .libcrypto(let crypto, let context):
            _ = crypto.update(context, base, bytes.count)
        case .glib(let checksum):
            g_checksum_update(
                checksum, base.assumingMemoryBound(to: guchar.self), gssize(bytes.count))
        }
    }

    /// Feeds the bytes of `data` into the digest.
    public func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    /// The digest as 64 lowercase hex digits. The digest cannot be updated afterwards.
    public func hexDigest() -> String {
        if let hex { return hex }
        let result: String
        switch state {
        case .libcrypto(let crypto, let context):
            var digest = [UInt8](repeating: 0, count: 32)
            var length: UInt32 = 0
            _ = crypto.final(context, &digest, &length)
            result = digest.prefix(Int(length)).map { byte in
                let text = String(byte, radix: 16)
                return byte < 16 ? "0" + text : text
            }.joined()
        case .glib(let checksum):
            // GLib owns the returned string; it stays valid until the checksum is freed.
            result = String(cString: g_checksum_get_string(checksum))
        }
        hex = result
        return result
    }

    /// The SHA-256 of `data`, as 64 lowercase hex digits.
    public static func hex(of data: Data, backend: Backend = .fastest) -> String {
        let digest = SHA256(backend: backend)
        digest.update(data)
        return digest.hexDigest()
    }

    /// The SHA-256 of a file's contents, read in 1 MiB chunks so memory stays flat for big
    /// inputs. Returns the digest and the number of bytes read.
    public static func hexOfFile(
        atPath path: String, backend: Backend = .fastest
    ) throws -> (hex: String, byteCount: Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw GranskaError.unreadable(path: path, reason: "cannot open for reading")
        }
        defer { try? handle.close() }
        let digest = SHA256(backend: backend)
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

/// OpenSSL's EVP digest functions, looked up in `libcrypto.so.3` at run time (no build-time
/// dependency; absent libcrypto just means GLib is used).
private struct Libcrypto: @unchecked Sendable {
    typealias NewContext = @convention(c) () -> OpaquePointer?
    typealias FreeContext = @convention(c) (OpaquePointer?) -> Void
    typealias Algorithm = @convention(c) () -> OpaquePointer?
    typealias Initialize = @convention(c) (OpaquePointer?, OpaquePointer?, OpaquePointer?) -> Int32
    typealias Update = @convention(c) (OpaquePointer?, UnsafeRawPointer?, Int) -> Int32
    typealias Finalize =
        @convention(c) (
            OpaquePointer?, UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt32>?
        ) -> Int32

    let newContext: NewContext
    let freeContext: FreeContext
    let sha256: Algorithm
    let initialize: Initialize
    let digestUpdate: Update
    let finalize: Finalize

    static let shared: Libcrypto? = load()

    private static func load() -> Libcrypto? {
        guard let library = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL) else { return nil }
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            guard let pointer = dlsym(library, name) else { return nil }
            return unsafeBitCast(pointer, to: type)
        }
        guard let newContext = symbol("EVP_MD_CTX_new", as: NewContext.self),
            let freeContext = symbol("EVP_MD_CTX_free", as: FreeContext.self),
            let sha256 = symbol("EVP_sha256", as: Algorithm.self),
            let initialize = symbol("EVP_DigestInit_ex", as: Initialize.self),
            let update = symbol("EVP_DigestUpdate", as: Update.self),
            let finalize = symbol("EVP_DigestFinal_ex", as: Finalize.self)
        else { return nil }
        return Libcrypto(
            newContext: newContext, freeContext: freeContext, sha256: sha256,
            initialize: initialize, digestUpdate: update, finalize: finalize)
    }

    /// A context ready for SHA-256, or nil when libcrypto refuses.
    func start() -> OpaquePointer? {
        guard let context = newContext() else { return nil }
        if initialize(context, sha256(), nil) != 1 {
            freeContext(context)
            return nil
        }
        return context
    }

    func free(_ context: OpaquePointer) { freeContext(context) }

    func update(_ context: OpaquePointer, _ bytes: UnsafeRawPointer, _ count: Int) -> Int32 {
        digestUpdate(context, bytes, count)
    }

    func final(
        _ context: OpaquePointer, _ digest: UnsafeMutablePointer<UInt8>,
        _ length: UnsafeMutablePointer<UInt32>
    ) -> Int32 {
        finalize(context, digest, length)
    }
}
