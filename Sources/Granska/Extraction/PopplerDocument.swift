import CPoppler
import Foundation

/// An open poppler document. Owns the `PopplerDocument*` and the bytes it reads from.
///
/// Not thread-safe: use one instance per task and never share it between threads (poppler
/// does not support that). Call ``PopplerDocument/warmUp()`` once on a single thread before
/// opening documents concurrently: poppler's lazy global initialisation is not thread-safe.
final class PopplerDocument {
    private let handle: OpaquePointer
    private let bytes: OpaquePointer?  // GBytes*, when opened from memory
    let path: String

    /// Opens a PDF file; poppler maps it rather than reading a copy.
    init(path: String) throws {
        self.path = path
        var error: UnsafeMutablePointer<GError>? = nil
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let uri = g_filename_to_uri(absolute, nil, &error) else {
            defer { if error != nil { g_error_free(error) } }
            throw GranskaError.unreadable(path: path, reason: "cannot form a file URI")
        }
        defer { g_free(uri) }
        guard let document = poppler_document_new_from_file(uri, nil, &error) else {
            throw PopplerDocument.openError(error, path: path)
        }
        handle = document
        bytes = nil
    }

    private static func openError(_ error: UnsafeMutablePointer<GError>?, path: String)
        -> GranskaError
    {
        let code = error?.pointee.code ?? -1
        let message =
            error.flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "unknown error"
        let isPopplerDomain = error?.pointee.domain == poppler_error_quark()
        if error != nil { g_error_free(error) }
        if isPopplerDomain && code == Int32(POPPLER_ERROR_ENCRYPTED.rawValue) {
            return GranskaError.encrypted(path: path)
        }
        return GranskaError.damagedPDF(path: path, reason: message)
    }

    /// Opens a PDF held in memory; `path` names it in errors.
    init(data: Data, path: String) throws {
        self.path = path
        let gbytes: OpaquePointer = data.withUnsafeBytes { raw in
            g_bytes_new(raw.baseAddress, gsize(raw.count))!
        }
        var error: UnsafeMutablePointer<GError>? = nil
        guard let document = poppler_document_new_from_bytes(gbytes, nil, &error) else {
            g_bytes_unref(gbytes)
            throw PopplerDocument.openError(error, path: path)
        }
        self.handle = document
        self.bytes = gbytes
    }

    deinit {
        g_object_unref(gpointer(handle))
        if let bytes { g_bytes_unref(bytes) }
    }

    private static let warmUpLock = NSLock()
    nonisolated(unsafe) private static var warmedUp = false

    /// Forces poppler's one-time global initialisation on the calling thread by opening a
    /// tiny PDF and extracting its page. Safe to call more than once.
    static func warmUp() {
        warmUpLock.lock()
        defer { warmUpLock.unlock() }
        guard !warmedUp else { return }
        warmedUp = true
        let pdf = minimalPDF()
        if let document = try? PopplerDocument(data: pdf, path: "<warm-up>"),
            let page = document.page(0)
        {
            _ = page.text()
            _ = page.layout()
            _ = page.attributes()
        }
    }

    var pageCount: Int { Int(poppler_document_get_n_pages(handle)) }

    func page(_ index: Int) -> PopplerPageHandle? {
        guard let page = poppler_document_get_page(handle, Int32(index)) else { return nil }
        return PopplerPageHandle(page)
    }

    private func string(_ value: UnsafeMutablePointer<gchar>?) -> String? {
        guard let value else { return nil }
        defer { g_free(value) }
        let s = String(cString: value).trimmingCharacters(in: .whitespacesAndNewlines)
        return s.isEmpty ? nil : ICU.normalize(s)
    }

    private func isoDate(_ value: OpaquePointer?) -> String? {
        guard let value else { return nil }
        defer { g_date_time_unref(value) }
        guard let formatted = g_date_time_format_iso8601(value) else { return nil }
        defer { g_free(formatted) }
        return String(cString: formatted)
    }

    var metadata: PDFMetadata {
        PDFMetadata(
            title: string(poppler_document_get_title(handle)),
            author: string(poppler_document_get_author(handle)),
            subject: string(poppler_document_get_subject(handle)),
            keywords: string(poppler_document_get_keywords(handle)),
            creator: string(poppler_document_get_creator(handle)),
            producer: string(poppler_document_get_producer(handle)),
            creationDate: isoDate(poppler_document_get_creation_date_time(handle)),
            modificationDate: isoDate(poppler_document_get_modification_date_time(handle)))
    }

    /// The outline flattened depth-first.
    var outline: [OutlineEntry] {
        guard let root = poppler_index_iter_new(handle) else { return [] }
        defer { poppler_index_iter_free(root) }
        var entries: [OutlineEntry] = []
        walk(root, level: 1, into: &entries)
        return entries
    }

    private func walk(_ iter: OpaquePointer, level: Int, into entries: inout [OutlineEntry]) {
        guard level < 16 else { return }
        repeat {
            if let action = poppler_index_iter_get_action(iter) {
                defer { poppler_action_free(action) }
                if let title = action.pointee.any.title {
                    var page: Int? = nil
                    if action.pointee.type == POPPLER_ACTION_GOTO_DEST,
                        let dest = action.pointee.goto_dest.dest
                    {
                        page = destinationPage(dest)
                    }
                    let text = ICU.normalize(String(cString: title)).foldingSpaces()
                    if !text.isEmpty {
                        entries.append(OutlineEntry(title: text, level: level, page: page))
                    }
                }
            }
            if let child = poppler_index_iter_get_child(iter) {
                walk(child, level: level + 1, into: &entries)
                poppler_index_iter_free(child)
            }
        } while poppler_index_iter_next(iter) != 0
    }

    private func destinationPage(_ dest: UnsafeMutablePointer<PopplerDest>) -> Int? {
        if dest.pointee.type == POPPLER_DEST_NAMED, let name = dest.pointee.named_dest {
            guard let resolved = poppler_document_find_dest(handle, name) else { return nil }
            defer { poppler_dest_free(resolved) }
            return resolved.pointee.page_num > 0 ? Int(resolved.pointee.page_num) : nil
        }
        return dest.pointee.page_num > 0 ? Int(dest.pointee.page_num) : nil
    }

    /// A one-page PDF with one word, for ``warmUp()``.
    private static func minimalPDF() -> Data {
        let content = "BT /F1 12 Tf 10 10 Td (a) Tj ET"
        var objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 50 50] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (i, body) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(i + 1) 0 obj\n\(body)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for o in offsets { pdf += String(format: "%010d 00000 n \n", o) }
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        objects.removeAll()
        return Data(pdf.utf8)
    }
}

/// One page of a ``PopplerDocument``. Owns its `PopplerPage*`; release it promptly, since
/// each page caches its text.
final class PopplerPageHandle {
    private let handle: OpaquePointer

    init(_ handle: OpaquePointer) {
        self.handle = handle
    }

    deinit { g_object_unref(gpointer(handle)) }

    var size: (width: Double, height: Double) {
        var w = 0.0
        var h = 0.0
        poppler_page_get_size(handle, &w, &h)
        return (w, h)
    }

    /// The page text in poppler's reading order.
    func text() -> String {
        guard let raw = poppler_page_get_text(handle) else { return "" }
        defer { g_free(raw) }
        return String(cString: raw)
    }

    /// One rectangle per Unicode scalar of ``text()``.
    func layout() -> [BoundingBox] {
        var rects: UnsafeMutablePointer<PopplerRectangle>? = nil
        var count: guint = 0
        guard poppler_page_get_text_layout(handle, &rects, &count) != 0, let rects else {
            return []
        }
        defer { g_free(rects) }
        return (0..<Int(count)).map { i in
            let r = rects[i]
            return BoundingBox(x0: r.x1, y0: r.y1, x1: r.x2, y1: r.y2)
        }
    }

    /// Font runs over ``text()`` (inclusive scalar offsets).
    func attributes() -> [FontRun] {
        guard let list = poppler_page_get_text_attributes(handle) else { return [] }
        defer { poppler_page_free_text_attributes(list) }
        var runs: [FontRun] = []
        var node: UnsafeMutablePointer<GList>? = list
        while let n = node {
            if let data = n.pointee.data {
                let a = data.assumingMemoryBound(to: PopplerTextAttributes.self).pointee
                runs.append(
                    FontRun(
                        fontName: a.font_name.map { String(cString: $0) } ?? "",
                        fontSize: a.font_size,
                        start: Int(a.start_index), end: Int(a.end_index)))
            }
            node = n.pointee.next
        }
        return runs
    }
}

/// A run of text in one font.
struct FontRun: Sendable {
    var fontName: String
    var fontSize: Double
    /// Inclusive Unicode-scalar offsets into the page text.
    var start: Int
    var end: Int
}
