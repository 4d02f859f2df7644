import Foundation

/// Reads plain UTF-8 text input (`.txt`, e.g. an OCR dump or `pdftotext` output).
///
/// The text is validated and normalised (NFC, ligatures, soft hyphens, no-break spaces, line
/// ends) and split into pages at form feeds. Layout of the lines into blocks is the job of
/// ``PlainTextLayout``.
public struct TextInputReader: Sendable {
    public var maxBytes: Int

    public init(maxBytes: Int = 512 * 1024 * 1024) {
        self.maxBytes = maxBytes
    }

    /// Pages of normalised lines.
    public struct Result: Sendable {
        public var source: SourceInfo
        /// One array of lines per page (a single page unless the text has form feeds).
        public var pages: [[String]]
    }

    /// Reads the file at `path` (or standard input for "-").
    public func read(path: String) throws -> Result {
        let data = try InputFile.read(path: path, maxBytes: maxBytes)
        return try read(data: data, path: path)
    }

    /// Decodes and normalises text already in memory; `path` names it in errors.
    public func read(data: Data, path: String) throws -> Result {
        if data.isEmpty { throw GranskaError.emptyFile(path: path) }
        guard let decoded = String(validatingUTF8Data: data) else {
            throw GranskaError.invalidUTF8(
                path: path, byteOffset: InputFile.firstInvalidUTF8Offset(data))
        }
        var text = decoded
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if text.contains("\0") {
            throw GranskaError.unsupportedInput(
                path: path, reason: "contains NUL bytes: binary data, not text")
        }
        text = TextNormalizer.normalize(text)
        let pages = text.split(separator: "\u{0C}", omittingEmptySubsequences: false).map { page in
            page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        return Result(
            source: SourceInfo(path: path, kind: .text, byteCount: data.count),
            pages: pages.isEmpty ? [[]] : pages)
    }
}

extension String {
    /// Decodes UTF-8, returning nil (instead of repairing) when the bytes are not valid.
    init?(validatingUTF8Data data: Data) {
        guard let s = String(data: data, encoding: .utf8) else { return nil }
        self = s
    }
}

/// Text cleanup shared by PDF and text input.
public enum TextNormalizer {
    /// Whether a scalar may change under ``normalize(_:)``: combining marks (decomposed
    /// å, ä, ö), ligatures, soft hyphens, special spaces, control characters. Precomposed
    /// letters need no work, so most words skip the ICU round trip.
    @inline(__always)
    public static func needsWork(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return v == 0x0D }
        if v < 0x300 { return v == 0xAD || v == 0xA0 }
        return (0x0300...0x036F).contains(v) || (0x2000...0x200D).contains(v) || v == 0x202F
            || (0xFB00...0xFB06).contains(v) || v == 0xFEFF
            || scalar.properties.canonicalCombiningClass.rawValue != 0
    }

    /// NFC, expanded ligatures, soft hyphens removed, no-break and other spaces made plain,
    /// CRLF/CR made LF.
    public static func normalize(_ text: String) -> String {
        var needsWork = false
        for u in text.unicodeScalars where u.value >= 0x80 || u == "\r" {
            needsWork = true
            break
        }
        guard needsWork else { return text }
        var out = String.UnicodeScalarView()
        out.reserveCapacity(text.unicodeScalars.count)
        var previousCR = false
        for u in text.unicodeScalars {
            if previousCR && u == "\n" {
                previousCR = false
                continue
            }
            previousCR = false
            switch u.value {
            case 0x0D:
                out.append("\n")
                previousCR = true
            case 0xAD:  // soft hyphen: invisible unless at a line break, where layout joins anyway
                continue
            case 0xA0, 0x2007, 0x202F, 0x2000...0x200A:
                out.append(" ")
            case 0x200B, 0x200C, 0x200D, 0xFEFF:
                continue
            case 0xFB00: out.append(contentsOf: "ff".unicodeScalars)
            case 0xFB01: out.append(contentsOf: "fi".unicodeScalars)
            case 0xFB02: out.append(contentsOf: "fl".unicodeScalars)
            case 0xFB03: out.append(contentsOf: "ffi".unicodeScalars)
            case 0xFB04: out.append(contentsOf: "ffl".unicodeScalars)
            case 0xFB05, 0xFB06: out.append(contentsOf: "st".unicodeScalars)
            default:
                out.append(u)
            }
        }
        return ICU.normalize(String(out), .nfc)
    }
}

/// Reading input files with the checks every stage relies on.
public enum InputFile {
    /// Checks that `path` is a readable regular file no larger than `maxBytes`, returning its
    /// size; throws a ``GranskaError`` naming the path otherwise.
    @discardableResult
    public static func check(path: String, maxBytes: Int) throws -> Int {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw GranskaError.fileNotFound(path: path)
        }
        if isDirectory.boolValue { throw GranskaError.isDirectory(path: path) }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw GranskaError.unreadable(path: path, reason: "permission denied")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size > maxBytes { throw GranskaError.tooLarge(path: path, limit: "\(maxBytes) bytes") }
        if size == 0 { throw GranskaError.emptyFile(path: path) }
        return size
    }

    /// The first `count` bytes of a file (after ``check(path:maxBytes:)``).
    public static func head(path: String, count: Int) throws -> Data {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw GranskaError.unreadable(path: path, reason: "cannot be opened")
        }
        defer { try? handle.close() }
        do {
            return try handle.read(upToCount: count) ?? Data()
        } catch {
            throw GranskaError.unreadable(
                path: path, reason: (error as NSError).localizedDescription)
        }
    }

    /// Reads a regular file (or standard input for "-"), throwing a ``GranskaError`` that
    /// names the path for every way this can fail.
    public static func read(path: String, maxBytes: Int) throws -> Data {
        if path == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            if data.count > maxBytes {
                throw GranskaError.tooLarge(path: path, limit: "\(maxBytes) bytes")
            }
            return data
        }
        try check(path: path, maxBytes: maxBytes)
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw GranskaError.unreadable(
                path: path, reason: (error as NSError).localizedDescription)
        }
    }

    /// Byte offset of the first byte that breaks UTF-8 validity (the data's length if none).
    public static func firstInvalidUTF8Offset(_ data: Data) -> Int {
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Int in
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                let width: Int
                switch b {
                case 0x00...0x7F: width = 1
                case 0xC2...0xDF: width = 2
                case 0xE0...0xEF: width = 3
                case 0xF0...0xF4: width = 4
                default: return i
                }
                if i + width > n { return i }
                for k in 1..<width where bytes[i + k] & 0xC0 != 0x80 { return i }
                i += width
            }
            return n
        }
    }
}
