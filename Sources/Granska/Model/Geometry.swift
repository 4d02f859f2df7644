/// A rectangle on a PDF page in PDF points, origin top-left, y growing downward
/// (poppler's convention for text layout).
public struct BoundingBox: Codable, Hashable, Sendable {
    public var x0: Double
    public var y0: Double
    public var x1: Double
    public var y1: Double

    public init(x0: Double, y0: Double, x1: Double, y1: Double) {
        self.x0 = x0
        self.y0 = y0
        self.x1 = x1
        self.y1 = y1
    }

    public var width: Double { x1 - x0 }
    public var height: Double { y1 - y0 }
    public var midY: Double { (y0 + y1) / 2 }

    /// The smallest box containing both.
    public func union(_ other: BoundingBox) -> BoundingBox {
        BoundingBox(
            x0: min(x0, other.x0), y0: min(y0, other.y0),
            x1: max(x1, other.x1), y1: max(y1, other.y1))
    }
}

/// A half-open range of Unicode scalar offsets into ``Document/text``.
///
/// Offsets count Unicode scalars (code points) of the NFC text, the unit Python, JavaScript's
/// `codePointAt` iteration and most JSON consumers index by, and stable under Swift's
/// grapheme clustering choices.
public struct TextSpan: Codable, Hashable, Sendable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    public var length: Int { end - start }
    public func contains(_ offset: Int) -> Bool { offset >= start && offset < end }
}
