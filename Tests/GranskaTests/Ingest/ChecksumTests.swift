import Foundation
import XCTest

@testable import Granska

final class ChecksumTests: XCTestCase {
    func testKnownVectors() {
        XCTAssertEqual(
            SHA256.hex(of: Data("abc".utf8)),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            SHA256.hex(of: Data()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // Two blocks, with the padding in the second.
        XCTAssertEqual(
            SHA256.hex(of: Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testIncrementalUpdatesEqualOneUpdate() {
        var data = Data()
        for i in 0..<(1 << 20) + 13 { data.append(UInt8(truncatingIfNeeded: i &* 131 &+ 7)) }
        let digest = SHA256()
        var offset = 0
        while offset < data.count {
            let end = min(data.count, offset + 4099)
            digest.update(data[offset..<end])
            offset = end
        }
        XCTAssertEqual(digest.hexDigest(), SHA256.hex(of: data))
    }

    func testFileDigestMatchesInMemoryDigest() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("granska-checksum-\(UUID().uuidString)")
        var data = Data()
        for i in 0..<(3 << 18) { data.append(UInt8(truncatingIfNeeded: i &* 31)) }
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let file = try SHA256.hexOfFile(atPath: url.path)
        XCTAssertEqual(file.byteCount, data.count)
        XCTAssertEqual(file.hex, SHA256.hex(of: data))
    }
}
