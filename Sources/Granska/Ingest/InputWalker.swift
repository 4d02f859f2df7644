import Foundation

/// One input file found by ``InputWalker``.
public struct IngestInput: Sendable, Hashable {
    /// The path as ingest opens it and records it: the root as given joined with
    /// ``relativePath``.
    public var path: String
    /// The path relative to the root it was found under (the file name for a file given
    /// directly). Shards are chosen by a hash of this, so moving the archive keeps shards.
    public var relativePath: String
    /// A short name unique within one run: ``relativePath`` without its `.pdf`/`.txt`
    /// extension (kept when two inputs would otherwise collide). Names `--text-dir` files.
    public var id: String
}

/// Finds the inputs of `granska ingest`: PDF and UTF-8 text files under the given roots, in
/// a deterministic order.
///
/// Rules (documented in `docs/ingest.md`):
/// - a file given directly is always taken, whatever its name;
/// - under a folder, files ending `.pdf` or `.txt` (any case) are taken, except the
///   labelled-sample companions ending `.gold.txt`, `.gold.json`, `.repaired.txt`;
/// - hidden files and folders (name starting with `.`) are skipped; symbolic links to files
///   are followed, symbolic links to folders are not (no cycles);
/// - the result is sorted by root order, then by relative path (byte order of UTF-8), and
///   duplicates (the same path reached twice) are dropped.
public struct InputWalker: Sendable {
    /// File-name endings of companion files that are never inputs.
    public static let companionSuffixes = [".gold.txt", ".gold.json", ".repaired.txt"]
    /// File-name endings of inputs.
    public static let inputSuffixes = [".pdf", ".txt"]

    public init() {}

    /// Whether a file found under a folder is an input, by its name.
    public static func isInputName(_ name: String) -> Bool {
        let lower = name.lowercased()
        if lower.hasPrefix(".") { return false }
        if companionSuffixes.contains(where: { lower.hasSuffix($0) }) { return false }
        return inputSuffixes.contains(where: { lower.hasSuffix($0) })
    }

    /// Walks `roots` (files or folders). Throws ``GranskaError/fileNotFound(path:)`` for a
    /// root that does not exist.
    public func inputs(roots: [String]) throws -> [IngestInput] {
        var found: [(path: String, relative: String)] = []
        var seen = Set<String>()
        let fileManager = FileManager.default
        for root in roots {
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: root, isDirectory: &isDirectory) else {
                throw GranskaError.fileNotFound(path: root)
            }
            if !isDirectory.boolValue {
                let relative = (root as NSString).lastPathComponent
                if seen.insert(standardized(root)).inserted { found.append((root, relative)) }
                continue
            }
            var relatives: [String] = []
            collect(folder: root, relative: "", into: &relatives)
            relatives.sort { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for relative in relatives {
                let path = join(root, relative)
                if seen.insert(standardized(path)).inserted { found.append((path, relative)) }
            }
        }
        return assignIDs(found)
    }

    private func collect(folder: String, relative: String, into result: inout [String]) {
        let fileManager = FileManager.default
        let here = relative.isEmpty ? folder : join(folder, relative)
        guard let names = try? fileManager.contentsOfDirectory(atPath: here) else { return }
        for name in names where !name.hasPrefix(".") {
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            let childPath = join(here, name)
            guard let attributes = try? fileManager.attributesOfItem(atPath: childPath),
                let type = attributes[.type] as? FileAttributeType
            else { continue }
            switch type {
            case .typeDirectory:
                collect(folder: folder, relative: childRelative, into: &result)
            case .typeSymbolicLink:
                var isDirectory: ObjCBool = false
                if fileManager.fileExists(atPath: childPath, isDirectory: &isDirectory),
                    !isDirectory.boolValue, InputWalker.isInputName(name)
                {
                    result.append(childRelative)
                }
            default:
                if InputWalker.isInputName(name) { result.append(childRelative) }
            }
        }
    }

    private func join(_ base: String, _ relative: String) -> String {
        if base.hasSuffix("/") { return base + relative }
        return base + "/" + relative
    }

    private func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// IDs are relative paths without the input extension; where two inputs share one, each
    /// of them keeps its extension, and any still left equal get `~2`, `~3`, … in order.
    private func assignIDs(_ found: [(path: String, relative: String)]) -> [IngestInput] {
        func stripped(_ relative: String) -> String {
            let lower = relative.lowercased()
            for suffix in InputWalker.inputSuffixes where lower.hasSuffix(suffix) {
                return String(relative.dropLast(suffix.count))
            }
            return relative
        }
        var counts: [String: Int] = [:]
        for item in found { counts[stripped(item.relative), default: 0] += 1 }
        var used = Set<String>()
        var inputs: [IngestInput] = []
        for item in found {
            let base = stripped(item.relative)
            var id = counts[base, default: 0] > 1 ? item.relative : base
            if used.contains(id) {
                var n = 2
                while used.contains("\(id)~\(n)") { n += 1 }
                id = "\(id)~\(n)"
            }
            used.insert(id)
            inputs.append(IngestInput(path: item.path, relativePath: item.relative, id: id))
        }
        return inputs
    }
}
