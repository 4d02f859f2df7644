// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Granska",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Granska", targets: ["Granska"]),
        .executable(name: "granska", targets: ["granska"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // poppler-glib, found by pkg-config; only the Extraction stage imports it.
        .systemLibrary(
            name: "CPoppler",
            pkgConfig: "poppler-glib",
            providers: [.apt(["libpoppler-glib-dev"])]
        ),
        // OpenSSL's libcrypto, for SHA-256 content hashes of ingested documents.
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // ICU behind an opaque C shim: its public header uses plain C types only, so the
        // Swift side never sees ICU's headers (which clash with Foundation's bundled ICU).
        .target(
            name: "CICUShim",
            linkerSettings: [.linkedLibrary("icuuc"), .linkedLibrary("icui18n")]
        ),
        .target(
            name: "Granska",
            dependencies: [
                "CPoppler", "CICUShim", "CCrypto",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(
            name: "granska",
            dependencies: [
                "Granska",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "GranskaTests",
            dependencies: ["Granska", .product(name: "GRDB", package: "GRDB.swift")],
            // Read from disk by path (see Support/FixturePaths.swift), not bundled.
            exclude: ["Fixtures", "Golden", "Layout/Golden"]
        ),
    ]
)
