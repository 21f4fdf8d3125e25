// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "kraamzorg",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kraamzorg-server", targets: ["KraamzorgServer"]),
    ],
    targets: [
        // C shims
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(name: "CLinuxSystem"),

        // Layers, one job each
        // JSONOutput for `@ExplicitNull` only: the rules' types say which nils their JSON shows as null.
        .target(name: "KraamzorgRules", dependencies: ["JSONOutput"], swiftSettings: strict),
        .target(name: "Hashing", swiftSettings: strict),
        // Its buffer lives in a class; exclusivity is checked by construction (one encoder per call, never shared).
        .target(name: "JSONOutput", swiftSettings: strict + [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        .target(name: "Logging", dependencies: ["CLinuxSystem"], swiftSettings: strict),
        .target(name: "HTTPServer", dependencies: ["CLinuxSystem", "Logging"], swiftSettings: strict),
        .target(name: "PostgresClient", dependencies: ["CLibPQ"], swiftSettings: strict),
        .target(name: "OutboundSockets", swiftSettings: strict),
        .target(name: "SMTPClient", dependencies: ["OutboundSockets"], swiftSettings: strict),
        .target(name: "KraamzorgStore",
                dependencies: ["PostgresClient", "KraamzorgRules", "Hashing"],
                swiftSettings: strict),
        .target(name: "KraamzorgUseCases",
                dependencies: ["KraamzorgStore", "KraamzorgRules", "Hashing", "PostgresClient", "OutboundSockets", "Logging", "JSONOutput"],
                swiftSettings: strict),
        .target(name: "KraamzorgAPI",
                dependencies: ["HTTPServer", "KraamzorgUseCases", "KraamzorgStore", "KraamzorgRules", "Hashing", "PostgresClient", "JSONOutput", "Logging"],
                swiftSettings: strict),
        .target(name: "KraamzorgJobs",
                dependencies: ["KraamzorgUseCases", "KraamzorgStore", "KraamzorgRules", "PostgresClient", "Hashing", "Logging", "SMTPClient",
                               "OutboundSockets"],
                swiftSettings: strict),
        .executableTarget(name: "KraamzorgServer",
                          dependencies: ["KraamzorgAPI", "KraamzorgStore", "KraamzorgJobs", "SMTPClient", "HTTPServer", "PostgresClient", "CLinuxSystem", "Logging",
                                         "KraamzorgUseCases"],
                          swiftSettings: strict),
        .executableTarget(name: "RulesBenchmark", dependencies: ["KraamzorgRules"],
                          path: "Benchmarks/RulesBenchmark", swiftSettings: strict),
        .executableTarget(name: "JSONBenchmark", dependencies: ["JSONOutput", "KraamzorgRules"],
                          path: "Benchmarks/JSONBenchmark", swiftSettings: strict),
        .executableTarget(name: "HTTPBenchServer", dependencies: ["HTTPServer", "JSONOutput", "Logging"],
                          path: "Benchmarks/HTTPBenchServer", swiftSettings: strict),

        // Test-only helpers and suites
        .target(name: "TestSupport", dependencies: ["CLinuxSystem"], swiftSettings: strict),
        .testTarget(name: "KraamzorgRulesTests", dependencies: ["KraamzorgRules"], swiftSettings: strict),
        .testTarget(name: "HashingTests", dependencies: ["Hashing"], swiftSettings: strict),
        .testTarget(name: "JSONOutputTests", dependencies: ["JSONOutput", "KraamzorgRules"], swiftSettings: strict),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "Logging", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "PostgresClientTests", dependencies: ["PostgresClient", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "KraamzorgAPITests",
                    dependencies: ["KraamzorgAPI", "KraamzorgStore", "KraamzorgRules", "HTTPServer", "PostgresClient", "Hashing", "TestSupport",
                                   "KraamzorgJobs", "SMTPClient", "KraamzorgUseCases", "Logging", "OutboundSockets"],
                    swiftSettings: strict),
        .testTarget(name: "KraamzorgJobsTests", dependencies: ["SMTPClient", "OutboundSockets", "TestSupport"], swiftSettings: strict),
    ]
)
