// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "zscim",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SCIMCore", targets: ["SCIMCore"])
    ],
    dependencies: [
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        // Pure SCIM engine: JSON, schemas, paths, filters, PATCH, projection. No I/O beyond reading schema files.
        .target(name: "SCIMCore"),
        .testTarget(
            name: "SCIMCoreTests",
            dependencies: [
                "SCIMCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .executableTarget(
            name: "SCIMCoreBenchmarks",
            dependencies: [
                "SCIMCore",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SCIMCoreBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // libxml2 from the system (Debian: libxml2-dev). Only SAMLMetadata imports it.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]),
        // Hardened SAML metadata parsing (the only target that sees a C pointer), the metadata
        // model, certificates, and the Zscaler cloud / org / base-URL inference.
        .target(
            name: "SAMLMetadata",
            dependencies: [
                "CLibXML2",
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        // Fixtures are read by path (hostile files must not be rewritten by a resource step).
        .testTarget(name: "SAMLMetadataTests", dependencies: ["SAMLMetadata"], exclude: ["Fixtures"]),
        // The zscim command line; subcommands live in folders (Metadata/, …).
        .executableTarget(
            name: "zscim",
            dependencies: [
                "SAMLMetadata",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
