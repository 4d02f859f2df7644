import Foundation
import XCTest

@testable import Granska

final class PDFExtractorTests: XCTestCase {
    func testReadsMetadataOutlineAndPages() throws {
        let raw = try PDFExtractor().extract(path: FixturePaths.corpus("lindesberg-2022.pdf"))
        XCTAssertEqual(raw.pages.count, 18)
        XCTAssertEqual(raw.metadata.author, "PwC")
        XCTAssertEqual(raw.metadata.subject, "Lindesbergs kommun")
        XCTAssertTrue(raw.metadata.title?.hasPrefix("Socialnämndens och tillväxtnämndens") ?? false)
        XCTAssertNotNil(raw.metadata.creationDate)
        XCTAssertTrue(raw.outline.contains { $0.title.contains("Bakgrund") && $0.level >= 2 })
        // Every glyph has a rectangle and a font.
        let page = raw.pages[2]
        XCTAssertGreaterThan(page.lines.count, 20)
        XCTAssertTrue(page.fonts.contains { $0.isBold })
    }

    func testTextIsNFC() throws {
        let document = try Pipeline(options: .layoutOnly).extract(
            path: FixturePaths.corpus("vanersborg-2022.pdf"))
        XCTAssertEqual(document.text, ICU.normalize(document.text, .nfc))
        XCTAssertFalse(
            document.text.unicodeScalars.contains { (0x0300...0x036F).contains($0.value) })
        XCTAssertFalse(
            document.text.unicodeScalars.contains { (0xFB00...0xFB06).contains($0.value) })
    }

    func testBadInputsThrowErrorsNamingTheFile() throws {
        let dir = try FixturePaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pdf = try Data(
            contentsOf: URL(fileURLWithPath: FixturePaths.corpus("lindesberg-2022.pdf")))
        let cases: [(String, Data?, String)] = [
            ("empty.pdf", Data(), "empty"),
            ("letter.pdf", Data("Dear auditor,\n".utf8), "not-pdf"),
            ("truncated.pdf", pdf.prefix(pdf.count / 3), "damaged"),
            ("missing.pdf", nil, "not-found"),
        ]
        for (name, data, code) in cases {
            let path = dir.appendingPathComponent(name).path
            if let data { try data.write(to: URL(fileURLWithPath: path)) }
            XCTAssertThrowsError(try Pipeline().extract(path: path), name) { error in
                let e = error as? GranskaError
                XCTAssertEqual(e?.code, code, name)
                XCTAssertEqual(e?.path, path)
                XCTAssertTrue(e?.description.hasPrefix(path + ": ") ?? false)
            }
        }
        XCTAssertThrowsError(try Pipeline().extract(path: dir.path)) {
            XCTAssertEqual(($0 as? GranskaError)?.code, "is-directory")
        }
        XCTAssertThrowsError(try Pipeline().extract(path: FixturePaths.fixture("encrypted.pdf"))) {
            XCTAssertEqual(($0 as? GranskaError)?.code, "encrypted")
        }
        XCTAssertThrowsError(try Pipeline().extract(path: FixturePaths.fixture("image-only.pdf"))) {
            XCTAssertEqual(($0 as? GranskaError)?.code, "image-only")
        }
    }

    func testScanPagesAreFlaggedAsOCRTextLayer() throws {
        let document = try Pipeline(options: .layoutOnly).extract(
            path: FixturePaths.corpus("lindesberg-2022.scan.pdf"))
        XCTAssertTrue(document.pages.allSatisfy { $0.flags.contains(.ocrTextLayer) })
        let born = try Pipeline(options: .layoutOnly).extract(
            path: FixturePaths.corpus("lindesberg-2022.pdf"))
        XCTAssertFalse(born.pages.contains { $0.flags.contains(.ocrTextLayer) })
    }

    func testConcurrentExtractionAfterWarmUpAgrees() throws {
        PDFExtractor.warmUp()
        let paths = ["lindesberg-2022.pdf", "vanersborg-2022.pdf"].map(FixturePaths.corpus)
        let serial = try paths.map { try Pipeline(options: .layoutOnly).extract(path: $0).text }
        let results = ConcurrentResults(count: paths.count * 2)
        DispatchQueue.concurrentPerform(iterations: paths.count * 2) { i in
            results.set(
                i, try? Pipeline(options: .layoutOnly).extract(path: paths[i % paths.count]).text)
        }
        for i in 0..<(paths.count * 2) { XCTAssertEqual(results.get(i), serial[i % paths.count]) }
    }
}

/// A lock-protected array for collecting results from concurrent iterations.
final class ConcurrentResults: @unchecked Sendable {
    private var values: [String?]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: String?) {
        lock.lock()
        values[i] = value
        lock.unlock()
    }
    func get(_ i: Int) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return values[i]
    }
}
