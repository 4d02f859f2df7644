import Foundation

/// One report as it moves through the pipeline.
///
/// Like a spaCy `Doc`, a `Document` is created by extraction and then enriched in place by
/// each later stage: layout fills ``blocks``, repair rewrites block text and appends
/// ``repairEdits``, structure fills ``analysis``. The document owns its text: ``text`` is
/// rendered from the blocks by ``assemble()``, and every block, page, edit and analysed item
/// points into it by a ``TextSpan`` of Unicode scalar offsets.
public struct Document: Sendable {
    /// Where the document came from.
    public var source: SourceInfo
    /// Metadata stored in the PDF itself (empty for text input).
    public var pdfMetadata: PDFMetadata
    /// The PDF outline (bookmarks), flattened in reading order.
    public var outline: [OutlineEntry]
    /// Pages in order, with their furniture and flags.
    public var pages: [Page]
    /// Body blocks in reading order, then footnote bodies (``Block/Kind/footnote``).
    public var blocks: [Block]
    /// The cleaned text, exactly as `granska text` prints it. Set by ``assemble()``.
    public private(set) var text: String = ""
    /// Recoverable problems found by any stage.
    public var diagnostics: [Diagnostic] = []
    /// Corrections made by the repair stage, with offsets into ``text``.
    public var repairEdits: [RepairEdit] = []
    /// Structured answers, filled by the structure stage.
    public var analysis: Analysis?

    public init(
        source: SourceInfo, pdfMetadata: PDFMetadata = PDFMetadata(), outline: [OutlineEntry] = [],
        pages: [Page] = [], blocks: [Block] = []
    ) {
        self.source = source
        self.pdfMetadata = pdfMetadata
        self.outline = outline
        self.pages = pages
        self.blocks = blocks
    }

    /// The heading line under which footnote bodies are gathered at the end of the text.
    public static let footnoteHeading = "Fotnoter"

    /// Renders ``blocks`` into ``text`` and sets every block's and page's span.
    ///
    /// One block per line: headings prefixed with Markdown `#` marks (one per level), table
    /// rows with ` | ` between cells, and footnote bodies at the end under a line
    /// ``footnoteHeading``. A block's span covers its own text, not the `#` marks.
    public mutating func assemble() {
        var output = String.UnicodeScalarView()
        var offset = 0
        func append(_ s: String) {
            output.append(contentsOf: s.unicodeScalars)
            offset += s.unicodeScalars.count
        }
        var pageStart: [Int: Int] = [:]
        var pageEnd: [Int: Int] = [:]
        var wroteFootnoteHeading = false
        for i in blocks.indices {
            if blocks[i].kind == .footnote && !wroteFootnoteHeading {
                append(Document.footnoteHeading + "\n")
                wroteFootnoteHeading = true
            }
            if blocks[i].kind == .heading {
                append(String(repeating: "#", count: max(1, blocks[i].level ?? 1)) + " ")
            }
            let start = offset
            append(blocks[i].text)
            blocks[i].span = TextSpan(start: start, end: offset)
            append("\n")
            let page = blocks[i].page
            if pageStart[page] == nil { pageStart[page] = start }
            pageEnd[page] = offset
        }
        text = String(output)
        for i in pages.indices {
            let n = pages[i].number
            if let s = pageStart[n], let e = pageEnd[n] {
                pages[i].span = TextSpan(start: s, end: e)
            } else {
                pages[i].span = nil
            }
        }
    }

    /// The text of a span (clamped to the document).
    public func substring(_ span: TextSpan) -> String {
        let scalars = text.unicodeScalars
        let count = scalars.count
        let start = min(max(0, span.start), count)
        let end = min(max(start, span.end), count)
        let a = scalars.index(scalars.startIndex, offsetBy: start)
        let b = scalars.index(a, offsetBy: end - start)
        return String(scalars[a..<b])
    }

    /// The index of the block containing a text offset, if any.
    public func blockIndex(containing offset: Int) -> Int? {
        var low = 0
        var high = blocks.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let span = blocks[mid].span
            if offset < span.start {
                high = mid - 1
            } else if offset >= span.end + 1 {
                low = mid + 1
            } else {
                return mid
            }
        }
        return nil
    }
}

/// Where a document came from.
public struct SourceInfo: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case pdf
        case text
    }

    public var path: String
    public var kind: Kind
    public var byteCount: Int

    enum CodingKeys: String, CodingKey {
        case path, kind
        case byteCount = "byte_count"
    }

    public init(path: String, kind: Kind, byteCount: Int) {
        self.path = path
        self.kind = kind
        self.byteCount = byteCount
    }
}

/// The PDF's document information dictionary.
public struct PDFMetadata: Codable, Hashable, Sendable {
    public var title: String?
    public var author: String?
    public var subject: String?
    public var keywords: String?
    public var creator: String?
    public var producer: String?
    /// ISO 8601 timestamps.
    public var creationDate: String?
    public var modificationDate: String?

    enum CodingKeys: String, CodingKey {
        case title, author, subject, keywords, creator, producer
        case creationDate = "creation_date"
        case modificationDate = "modification_date"
    }

    public init(
        title: String? = nil, author: String? = nil, subject: String? = nil,
        keywords: String? = nil, creator: String? = nil, producer: String? = nil,
        creationDate: String? = nil, modificationDate: String? = nil
    ) {
        self.title = title
        self.author = author
        self.subject = subject
        self.keywords = keywords
        self.creator = creator
        self.producer = producer
        self.creationDate = creationDate
        self.modificationDate = modificationDate
    }
}

/// One entry of the PDF outline.
public struct OutlineEntry: Codable, Hashable, Sendable {
    public var title: String
    /// 1-based level in the outline tree.
    public var level: Int
    /// 1-based destination page, where the outline names one.
    public var page: Int?

    public init(title: String, level: Int, page: Int?) {
        self.title = title
        self.level = level
        self.page = page
    }
}

/// One page of the input.
public struct Page: Codable, Hashable, Sendable {
    public enum Flag: String, Codable, Sendable {
        /// The page has no text layer at all (an image-only scan).
        case noTextLayer = "no-text-layer"
        /// The text layer is mostly `(cid:n)` or U+FFFD garbage.
        case garbageText = "garbage-text"
        /// The page looks like an OCR text layer (invisible text over an image).
        case ocrTextLayer = "ocr-text-layer"
        /// The page is the table of contents.
        case tableOfContents = "table-of-contents"
    }

    /// 1-based page number.
    public var number: Int
    public var width: Double
    public var height: Double
    /// The part of ``Document/text`` that came from this page's body, if any.
    public var span: TextSpan?
    /// Running headers, footers and page numbers removed from the body.
    public var furniture: [Furniture]
    public var flags: [Flag]

    public init(
        number: Int, width: Double, height: Double, span: TextSpan? = nil,
        furniture: [Furniture] = [], flags: [Flag] = []
    ) {
        self.number = number
        self.width = width
        self.height = height
        self.span = span
        self.furniture = furniture
        self.flags = flags
    }
}

/// A running header, footer or page number, kept out of the body text.
public struct Furniture: Codable, Hashable, Sendable {
    public enum Position: String, Codable, Sendable {
        case header, footer
    }

    public var text: String
    public var position: Position
    public var bbox: BoundingBox?
    /// Whether the line is (or ends in) the page number.
    public var isPageNumber: Bool

    enum CodingKeys: String, CodingKey {
        case text, position, bbox
        case isPageNumber = "is_page_number"
    }

    public init(text: String, position: Position, bbox: BoundingBox?, isPageNumber: Bool) {
        self.text = text
        self.position = position
        self.bbox = bbox
        self.isPageNumber = isPageNumber
    }
}

/// A unit of body text: one line of `granska text` output.
public struct Block: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case heading
        case paragraph
        case listItem = "list-item"
        case tableRow = "table-row"
        case tocEntry = "toc-entry"
        case footnote
    }

    public var kind: Kind
    /// The block's text on one line (no line breaks), NFC.
    public var text: String
    /// 1-based page where the block starts.
    public var page: Int
    /// Bounding box on that page (nil for text input).
    public var bbox: BoundingBox?
    /// Where the block stands in ``Document/text``. Set by ``Document/assemble()``.
    public var span: TextSpan = TextSpan(start: 0, end: 0)
    /// Heading level (1 = top), for headings.
    public var level: Int?
    /// Printed heading number such as "3.1.2", for numbered headings.
    public var number: String?
    /// Cell texts, for table rows.
    public var cells: [String]?
    /// Which table a row belongs to (rows of one table share it).
    public var table: Int?
    /// Dominant font size in points (nil for text input).
    public var fontSize: Double?
    /// Whether the dominant font is bold.
    public var isBold: Bool
    /// For footnote bodies: the marker ("1", "²").
    public var footnoteMarker: String?

    enum CodingKeys: String, CodingKey {
        case kind, text, page, bbox, span, level, number, cells, table
        case fontSize = "font_size"
        case isBold = "is_bold"
        case footnoteMarker = "footnote_marker"
    }

    public init(
        kind: Kind, text: String, page: Int, bbox: BoundingBox? = nil, level: Int? = nil,
        number: String? = nil, cells: [String]? = nil, table: Int? = nil,
        fontSize: Double? = nil, isBold: Bool = false, footnoteMarker: String? = nil
    ) {
        self.kind = kind
        self.text = text
        self.page = page
        self.bbox = bbox
        self.level = level
        self.number = number
        self.cells = cells
        self.table = table
        self.fontSize = fontSize
        self.isBold = isBold
        self.footnoteMarker = footnoteMarker
    }
}

/// One correction made by the repair stage.
public struct RepairEdit: Codable, Hashable, Sendable {
    /// The word as it stood in the input.
    public var original: String
    /// The word written instead.
    public var replacement: String
    /// Where the replacement stands in ``Document/text`` (or in the repaired text, for
    /// `granska repair`).
    public var span: TextSpan
    /// 1-based page, where known.
    public var page: Int?
    /// Posterior probability of the replacement, 0...1.
    public var confidence: Double
    /// What decided it, e.g. "lexicon", "compound", "context:bigram", "context:word-class",
    /// "document-consistency".
    public var evidence: [String]

    public init(
        original: String, replacement: String, span: TextSpan, page: Int? = nil,
        confidence: Double, evidence: [String]
    ) {
        self.original = original
        self.replacement = replacement
        self.span = span
        self.page = page
        self.confidence = confidence
        self.evidence = evidence
    }
}
