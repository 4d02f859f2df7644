import Foundation

/// One glyph of a page's text layer.
public struct RawGlyph: Sendable {
    public var scalar: Unicode.Scalar
    public var box: BoundingBox
    /// Index into ``RawPage/fonts``.
    public var font: Int
}

/// A font seen on a page.
public struct RawFont: Sendable, Hashable {
    public var name: String
    public var size: Double
    /// Inferred once from the font name ("LiberationSans-Bold", "Arial,Bold", "…Semibold").
    public let isBold: Bool
    public let isItalic: Bool

    public init(name: String, size: Double) {
        self.name = name
        self.size = size
        let n = name.lowercased()
        isBold =
            ["bold", "black", "heavy", "semibold", "demi"].contains { n.contains($0) }
            || n.hasSuffix(",b") || n.hasSuffix("-b")
        isItalic = n.contains("italic") || n.contains("oblique")
    }
}

/// One text line as poppler orders it, with the glyphs that make it up (spaces included).
public struct RawLine: Sendable {
    public var glyphs: [RawGlyph]
    public var box: BoundingBox
}

/// One page of extracted text with geometry.
public struct RawPage: Sendable {
    public var number: Int
    public var width: Double
    public var height: Double
    public var lines: [RawLine]
    public var fonts: [RawFont]
    /// Whether the text is an OCR layer over a scanned image, told by the invisible fonts OCR
    /// engines write ("GlyphLessFont" of Tesseract and OCRmyPDF). poppler-glib does not expose
    /// the text render mode, and asking it for the page's images would run the whole content
    /// stream a second time.
    public var isOCRLayer: Bool
}

/// Everything the extraction stage reads from a PDF.
public struct RawPDF: Sendable {
    public var source: SourceInfo
    public var metadata: PDFMetadata
    public var outline: [OutlineEntry]
    public var pages: [RawPage]
}

/// Extraction stage for PDFs: text with per-glyph rectangles and fonts from poppler-glib.
public struct PDFExtractor: Sendable {
    public var maxPages: Int

    public init(maxPages: Int = 5000) {
        self.maxPages = maxPages
    }

    /// Forces poppler's one-time initialisation; call once on one thread before extracting
    /// documents concurrently.
    public static func warmUp() { PopplerDocument.warmUp() }

    /// Extracts the PDF at `path`.
    public func extract(path: String) throws -> RawPDF {
        let size = try InputFile.check(path: path, maxBytes: Int.max)
        let head = try InputFile.head(path: path, count: 1024)
        guard head.range(of: Data("%PDF-".utf8)) != nil else {
            throw GranskaError.notPDF(path: path)
        }
        PopplerDocument.warmUp()
        return try extract(from: PopplerDocument(path: path), path: path, byteCount: size)
    }

    /// Extracts a PDF already in memory; `path` names it in errors.
    public func extract(data: Data, path: String) throws -> RawPDF {
        if data.isEmpty { throw GranskaError.emptyFile(path: path) }
        guard data.prefix(1024).range(of: Data("%PDF-".utf8)) != nil else {
            throw GranskaError.notPDF(path: path)
        }
        PopplerDocument.warmUp()
        return try extract(
            from: PopplerDocument(data: data, path: path), path: path, byteCount: data.count)
    }

    private func extract(from document: PopplerDocument, path: String, byteCount: Int) throws
        -> RawPDF
    {
        let count = document.pageCount
        if count == 0 { throw GranskaError.damagedPDF(path: path, reason: "no pages") }
        if count > maxPages { throw GranskaError.tooLarge(path: path, limit: "\(maxPages) pages") }
        var pages: [RawPage] = []
        pages.reserveCapacity(count)
        for index in 0..<count {
            guard let page = document.page(index) else {
                throw GranskaError.damagedPDF(
                    path: path, reason: "page \(index + 1) cannot be read")
            }
            pages.append(readPage(page, number: index + 1))
        }
        return RawPDF(
            source: SourceInfo(path: path, kind: .pdf, byteCount: byteCount),
            metadata: document.metadata, outline: document.outline, pages: pages)
    }

    private func readPage(_ page: PopplerPageHandle, number: Int) -> RawPage {
        let (width, height) = page.size
        let text = page.text()
        let boxes = page.layout()
        let runs = page.attributes()
        var fonts: [RawFont] = []
        var fontIndex: [RawFont: Int] = [:]
        // Font index per scalar offset, from the inclusive runs.
        let scalars = Array(text.unicodeScalars)
        var fontOf = [Int](repeating: 0, count: scalars.count)
        for run in runs {
            let font = RawFont(name: FontName.withoutSubsetPrefix(run.fontName), size: run.fontSize)
            let id: Int
            if let existing = fontIndex[font] {
                id = existing
            } else {
                id = fonts.count
                fonts.append(font)
                fontIndex[font] = id
            }
            let lo = max(0, run.start)
            let hi = min(scalars.count - 1, run.end)
            if lo <= hi { for i in lo...hi { fontOf[i] = id } }
        }
        if fonts.isEmpty { fonts.append(RawFont(name: "", size: 0)) }
        var lines: [RawLine] = []
        var current: [RawGlyph] = []
        func flush() {
            let visible = current.filter { !LayoutPage.isSpace($0.scalar) }
            if let first = visible.first {
                let box = visible.dropFirst().reduce(first.box) { $0.union($1.box) }
                lines.append(RawLine(glyphs: current, box: box))
            }
            current.removeAll(keepingCapacity: true)
        }
        for (i, scalar) in scalars.enumerated() {
            if scalar == "\n" {
                flush()
                continue
            }
            let box = i < boxes.count ? boxes[i] : BoundingBox(x0: 0, y0: 0, x1: 0, y1: 0)
            current.append(RawGlyph(scalar: scalar, box: box, font: fontOf[i]))
        }
        flush()
        return RawPage(
            number: number, width: width, height: height, lines: lines, fonts: fonts,
            isOCRLayer: fonts.contains { OCRFonts.isOCRFont($0.name) })
    }
}

enum OCRFonts {
    static func isOCRFont(_ name: String) -> Bool {
        let n = name.lowercased()
        return n.contains("glyphless") || n.contains("invisible") || n == "ocr"
            || n.hasPrefix("ocr-")
    }
}

enum FontName {
    /// "ABCDEF+LiberationSans-Bold" → "LiberationSans-Bold".
    static func withoutSubsetPrefix(_ name: String) -> String {
        if let plus = name.firstIndex(of: "+"), name.distance(from: name.startIndex, to: plus) == 6
        {
            return String(name[name.index(after: plus)...])
        }
        return name
    }
}
