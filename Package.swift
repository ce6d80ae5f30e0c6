// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "crm",
    products: [
        .executable(name: "crm", targets: ["crm"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        // HTTP for `crm serve`, without the swift-configuration trait.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // Text rules shared by every layer: folding, Romanian sort keys, display width, sanitising.
        .target(name: "CRMText", swiftSettings: strict),
        // SQLite file, schema, migrations, records and the one write path with its change log.
        .target(
            name: "CRMStore",
            dependencies: [
                "CRMText", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strict),
        // Domain values, validation and the services named by intent; where business rules live.
        .target(name: "CRMCore", dependencies: ["CRMStore", "CRMText", "CSodium"], swiftSettings: strict),
        // libsodium as a system library (Argon2id password hashes).
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        // File formats: readable text tables, JSON, xlsx and CSV exports, and the
        // streaming xlsx and CSV readers of imports, PDF documents (later MIME, UBL).
        .target(
            name: "CRMDocuments",
            dependencies: ["CRMCore", "CRMText", "CXlsxWriter", "CPangoCairo", "CGdkPixbuf", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            // The readers' byte loops run on class state; their accesses are
            // checked statically, not again at run time on every byte.
            swiftSettings: strict + [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // Pango over cairo as a system library (PDF documents: layout, fonts, pages).
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo", providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]),
        // gdk-pixbuf as a system library (JPEG logos for documents).
        .systemLibrary(name: "CGdkPixbuf", pkgConfig: "gdk-pixbuf-2.0", providers: [.apt(["libgdk-pixbuf-2.0-dev"])]),
        // libxlsxwriter as a system library (xlsx export).
        .systemLibrary(name: "CXlsxWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        // E-mail: MIME messages and their sending (SMTP through libcurl, or the local sendmail).
        .target(name: "CRMMail", dependencies: ["CRMCore", "CRMStore", "CRMText", "CCurl"], swiftSettings: strict),
        // libcurl as a system library (SMTP with STARTTLS or TLS).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // `crm serve`: the HTTP service (e-mail tracking, unsubscribing, web forms).
        .target(
            name: "CRMServe",
            dependencies: ["CRMCore", "CRMText", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strict),
        // Sync of replicas through a PostgreSQL hub (docs/sync.md).
        .target(name: "CRMSync", dependencies: ["CRMCore", "CRMStore", "CRMText", "CLibPQ"], swiftSettings: strict),
        // libpq as a system library (the PostgreSQL client: TLS, SCRAM, COPY, LISTEN).
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // Deterministic Romanian demo company built from the word lists in sample-data/.
        .target(
            name: "CRMDemo",
            dependencies: ["CRMCore", "CRMStore", "CRMText"],
            swiftSettings: strict),
        // Terminal interface toolkit: cells, screen buffer and diff, keys and key
        // maps, themes, the terminal protocol and an in-memory terminal for tests.
        .target(name: "TUIKit", dependencies: ["CRMText"], swiftSettings: strict),
        // ncursesw as a system library, and the thin backend that alone imports it.
        .systemLibrary(name: "CNcurses", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        .target(name: "TerminalBackend", dependencies: ["CNcurses", "TUIKit", "CRMText"], swiftSettings: strict),
        // The application over the toolkit: the update loop and the screens.
        .target(name: "CRMApp", dependencies: ["CRMCore", "CRMStore", "CRMText", "CRMDocuments", "CRMMail", "CRMSync", "TUIKit"], swiftSettings: strict),
        .executableTarget(
            name: "crm",
            dependencies: [
                "CRMApp", "CRMCore", "CRMStore", "CRMDocuments", "CRMDemo", "CRMMail", "CRMServe", "CRMSync", "CRMText", "TUIKit", "TerminalBackend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .testTarget(name: "CRMTextTests", dependencies: ["CRMText"], swiftSettings: strict),
        .testTarget(
            name: "CRMStoreTests",
            dependencies: ["CRMStore", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(
            name: "CRMCoreTests", dependencies: ["CRMCore", "CRMStore", "CRMDemo", "CRMText", "CRMSync", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        // Readers/: the independent readers (Python) the export tests run.
        .testTarget(name: "CLITests", dependencies: ["crm"], exclude: ["Readers"], swiftSettings: strict),
        .testTarget(name: "TUIKitTests", dependencies: ["TUIKit", "CRMText", "TerminalBackend"], swiftSettings: strict),
        .testTarget(name: "CRMAppTests", dependencies: ["CRMApp", "TUIKit", "CRMCore", "CRMStore", "CRMDemo", "CRMDocuments"], swiftSettings: strict),
    ]
)
