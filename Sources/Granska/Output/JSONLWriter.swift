import Foundation

/// Writes a JSON Lines file atomically: lines go to a temporary file next to the target,
/// which replaces the target only on ``commit()``. A reader never sees a half-written file,
/// and an interrupted run leaves the previous file in place.
public final class JSONLWriter {
    /// The file that ``commit()`` replaces.
    public let path: String
    private let temporaryPath: String
    private let handle: FileHandle
    private var buffer = Data()
    private var isOpen = true

    /// Creates the temporary file; throws ``GranskaError/unreadable(path:reason:)`` when
    /// the folder cannot be written.
    public init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        temporaryPath =
            url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporaryPath)
        else {
            throw GranskaError.unreadable(path: path, reason: "cannot create \(temporaryPath)")
        }
        self.handle = handle
    }

    deinit {
        if isOpen {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporaryPath)
        }
    }

    /// Appends one line; `line` must not contain a line break (compact JSON never does).
    public func append(_ line: String) throws {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw GranskaError.unreadable(path: path, reason: "cannot write: \(error)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames the temporary file over ``path``.
    public func commit() throws {
        try flush()
        try? handle.synchronize()
        try? handle.close()
        isOpen = false
        if rename(temporaryPath, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw GranskaError.unreadable(path: path, reason: "cannot replace: \(reason)")
        }
    }
}
