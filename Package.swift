// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

// The server targets Linux only (Glibc, epoll, libpq from Debian): sources import FoundationEssentials and
// Glibc directly, with no other-platform branches.
let package = Package(
    name: "kraamzorg",
    products: [
        .executable(name: "kraamzorg-server", targets: ["KraamzorgServer"])
    ],
    targets: [
        // C shims
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // zlib for `Content-Encoding: gzip` of large answers (HTTPServer's ResponseCompression).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "CLinuxSystem"),
        // Typed wrappers around libcurl's variadic setopt/getinfo and the transfer callbacks (Swift cannot call C variadics).
        .target(name: "CCurlShims", dependencies: ["CLibCurl"], linkerSettings: [.linkedLibrary("curl")]),

        // Layers, one job each
        // The bottom: the civil calendar, hex, UUID text, a seedable generator. Pure; every layer may use it.
        .target(name: "DatesAndIDs", swiftSettings: strict),
        // JSONOutput for `@ExplicitNull` only: the rules' types say which nils their JSON shows as null.
        .target(name: "KraamzorgRules", dependencies: ["DatesAndIDs", "JSONOutput"], swiftSettings: strict),
        .target(name: "Hashing", dependencies: ["DatesAndIDs"], swiftSettings: strict),
        // Its buffer lives in a class; exclusivity is checked by construction (one encoder per call, never shared).
        .target(
            name: "JSONOutput", dependencies: ["DatesAndIDs"], swiftSettings: strict + [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // JSON in, strictly: a reader that refuses duplicate keys and a Decoder that reports keys no type asked for.
        .target(name: "JSONInput", swiftSettings: strict),
        .target(name: "Logging", dependencies: ["CLinuxSystem"], swiftSettings: strict),
        .target(name: "HTTPServer", dependencies: ["CLinuxSystem", "CZlib", "Logging", "DatesAndIDs"], swiftSettings: strict),
        .target(name: "PostgresClient", dependencies: ["CLibPQ", "CLinuxSystem", "DatesAndIDs"], swiftSettings: strict),
        .target(name: "OutboundSockets", swiftSettings: strict),
        // Outbound HTTP(S) and SMTP(S) through libcurl (TLS, AUTH, pinned addresses); blocking, run off the cooperative pool.
        .target(name: "CurlTransport", dependencies: ["CLibCurl", "CCurlShims", "OutboundSockets"], swiftSettings: strict),
        .target(name: "SMTPClient", dependencies: ["CurlTransport", "CLibCurl", "OutboundSockets", "DatesAndIDs"], swiftSettings: strict),
        .target(
            name: "KraamzorgStore",
            dependencies: ["PostgresClient", "KraamzorgRules", "Hashing", "DatesAndIDs", "JSONInput"],
            swiftSettings: strict),
        .target(
            name: "KraamzorgUseCases",
            dependencies: [
                "KraamzorgStore", "KraamzorgRules", "Hashing", "PostgresClient", "OutboundSockets", "Logging", "DatesAndIDs",
                "JSONOutput",
            ],
            swiftSettings: strict),
        .target(
            name: "KraamzorgAPI",
            dependencies: [
                "HTTPServer", "KraamzorgUseCases", "KraamzorgStore", "KraamzorgRules", "Hashing", "PostgresClient", "JSONOutput",
                "JSONInput",
                "Logging", "DatesAndIDs",
            ],
            swiftSettings: strict),
        .target(
            name: "KraamzorgJobs",
            dependencies: [
                "KraamzorgUseCases", "KraamzorgStore", "KraamzorgRules", "PostgresClient", "Hashing", "Logging", "SMTPClient",
                "OutboundSockets", "CurlTransport", "DatesAndIDs",
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "KraamzorgServer",
            dependencies: [
                "KraamzorgAPI", "KraamzorgStore", "KraamzorgJobs", "SMTPClient", "CurlTransport", "HTTPServer", "PostgresClient",
                "CLinuxSystem", "Logging",
                "KraamzorgUseCases",
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "RulesBenchmark", dependencies: ["KraamzorgRules", "DatesAndIDs"],
            path: "Benchmarks/RulesBenchmark", swiftSettings: strict),
        .executableTarget(
            name: "JSONBenchmark", dependencies: ["JSONOutput", "JSONInput", "KraamzorgRules"],
            path: "Benchmarks/JSONBenchmark", swiftSettings: strict),
        .executableTarget(
            name: "HTTPBenchServer", dependencies: ["HTTPServer", "JSONOutput", "Logging"],
            path: "Benchmarks/HTTPBenchServer", swiftSettings: strict),

        // Test-only helpers and suites
        .target(name: "TestSupport", dependencies: ["CLinuxSystem", "CZlib"], swiftSettings: strict),
        // Store-level fixtures (databases of their own, a waitlist world, practitioners and courses) built through the
        // store, the use cases and plain SQL, never HTTP. A library only because two test targets share it: only
        // KraamzorgUseCasesTests and KraamzorgJobsTests depend on it; no product or executable does.
        .target(
            name: "KraamzorgTestFixtures",
            dependencies: [
                "KraamzorgUseCases", "KraamzorgStore", "KraamzorgRules", "PostgresClient", "Hashing", "DatesAndIDs", "TestSupport",
            ],
            swiftSettings: strict),
        .testTarget(name: "OutboundSocketsTests", dependencies: ["OutboundSockets"], swiftSettings: strict),
        .testTarget(name: "DatesAndIDsTests", dependencies: ["DatesAndIDs"], swiftSettings: strict),
        .testTarget(name: "KraamzorgRulesTests", dependencies: ["KraamzorgRules", "DatesAndIDs"], swiftSettings: strict),
        .testTarget(name: "HashingTests", dependencies: ["Hashing", "DatesAndIDs"], swiftSettings: strict),
        .testTarget(name: "JSONOutputTests", dependencies: ["JSONOutput", "KraamzorgRules", "DatesAndIDs"], swiftSettings: strict),
        // KraamzorgRules only for real types with hand-written `init(from:)` (CivilDate, Points, Norm) to decode.
        .testTarget(name: "JSONInputTests", dependencies: ["JSONInput", "KraamzorgRules", "DatesAndIDs"], swiftSettings: strict),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "Logging", "DatesAndIDs", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "PostgresClientTests", dependencies: ["PostgresClient", "DatesAndIDs", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "KraamzorgAPITests",
            dependencies: [
                "KraamzorgAPI", "KraamzorgStore", "KraamzorgRules", "HTTPServer", "PostgresClient", "Hashing", "TestSupport",
                "KraamzorgJobs", "SMTPClient", "KraamzorgUseCases", "Logging", "OutboundSockets", "DatesAndIDs",
            ],
            swiftSettings: strict),
        // The jobs on their own: data through the store, the use cases and SQL (KraamzorgTestFixtures); no API, no HTTPServer.
        .testTarget(
            name: "KraamzorgJobsTests",
            dependencies: [
                "KraamzorgJobs", "KraamzorgTestFixtures", "KraamzorgUseCases", "KraamzorgStore", "KraamzorgRules", "PostgresClient",
                "Hashing", "Logging", "SMTPClient", "OutboundSockets", "CurlTransport", "DatesAndIDs", "TestSupport",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "KraamzorgUseCasesTests",
            dependencies: [
                "KraamzorgUseCases", "KraamzorgStore", "KraamzorgRules", "PostgresClient", "TestSupport", "Hashing",
                "KraamzorgTestFixtures", "DatesAndIDs",
            ],
            swiftSettings: strict),
    ]
)
