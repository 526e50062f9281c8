// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "zscim",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SCIMCore", targets: ["SCIMCore"]),
        .library(name: "ZscalerAPI", targets: ["ZscalerAPI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.0.0"),
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
        // HTTP client for the Zscaler admin APIs (ZIA legacy + OneAPI, ZPA, ZPA SCIM): auth, models, rate
        // limiter, retries, paging. Knows nothing of SCIM the bridge speaks; only of Zscaler's wire.
        .target(
            name: "ZscalerAPI",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ZscalerAPITests",
            dependencies: [
                "ZscalerAPI",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
