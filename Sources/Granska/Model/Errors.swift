import Foundation

/// A fatal problem with one input: the document cannot be processed at all.
///
/// Every case names the file, so a message printed for one document in a batch is
/// self-explanatory. Recoverable problems become ``Diagnostic``s instead.
public enum GranskaError: Error, Equatable, Sendable, CustomStringConvertible {
    case fileNotFound(path: String)
    case isDirectory(path: String)
    case unreadable(path: String, reason: String)
    case emptyFile(path: String)
    case notPDF(path: String)
    case encrypted(path: String)
    case damagedPDF(path: String, reason: String)
    case imageOnly(path: String, pages: Int)
    case invalidUTF8(path: String, byteOffset: Int)
    case tooLarge(path: String, limit: String)
    case timedOut(path: String, seconds: Double)
    case unsupportedInput(path: String, reason: String)
    case modelUnavailable(path: String, reason: String)

    public var path: String {
        switch self {
        case .fileNotFound(let p), .isDirectory(let p), .unreadable(let p, _), .emptyFile(let p),
            .notPDF(let p), .encrypted(let p), .damagedPDF(let p, _), .imageOnly(let p, _),
            .invalidUTF8(let p, _), .tooLarge(let p, _), .timedOut(let p, _),
            .unsupportedInput(let p, _), .modelUnavailable(let p, _):
            return p
        }
    }

    /// A short machine-readable reason code, stored with failed documents in a corpus.
    public var code: String {
        switch self {
        case .fileNotFound: "not-found"
        case .isDirectory: "is-directory"
        case .unreadable: "unreadable"
        case .emptyFile: "empty"
        case .notPDF: "not-pdf"
        case .encrypted: "encrypted"
        case .damagedPDF: "damaged"
        case .imageOnly: "image-only"
        case .invalidUTF8: "invalid-utf8"
        case .tooLarge: "too-large"
        case .timedOut: "timed-out"
        case .unsupportedInput: "unsupported"
        case .modelUnavailable: "model-unavailable"
        }
    }

    /// The reason, without the path.
    public var reason: String {
        switch self {
        case .fileNotFound: "no such file"
        case .isDirectory: "is a directory, not a file"
        case .unreadable(_, let r): "cannot be read: \(r)"
        case .emptyFile: "is empty (0 bytes)"
        case .notPDF: "is not a PDF (no %PDF header)"
        case .encrypted: "is encrypted; a password is needed to read it"
        case .damagedPDF(_, let r): "is a damaged or truncated PDF: \(r)"
        case .imageOnly(_, let n):
            "has no text layer on any of its \(n) page(s) (image-only scan; run OCR first)"
        case .invalidUTF8(_, let o): "is not valid UTF-8 text (first bad byte at offset \(o))"
        case .tooLarge(_, let l): "is too large (limit \(l))"
        case .timedOut(_, let s): "took longer than the \(Int(s)) s limit"
        case .unsupportedInput(_, let r): r
        case .modelUnavailable(_, let r): "model cannot be loaded: \(r)"
        }
    }

    public var description: String { "\(path): \(reason)" }
}
