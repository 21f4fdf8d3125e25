import Foundation
import Glibc
import CLinuxSystem
import Synchronization

/// The shared test database that `scripts/with-test-postgres.sh` starts, or nil outside it.
public func testDatabaseURL() -> String? {
    guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else { return nil }
    return url
}

/// A private, throwaway PostgreSQL cluster for tests that stop and start the server (which must never
/// happen to the shared `DATABASE_URL` cluster, since other suites run against it in parallel).
///
/// `initdb` runs at init (about a second); `start()`/`stop()` block until the server is up or down, so
/// call them off Swift's cooperative threads. The port stays the same across restarts. Trust auth as
/// role `postgres` on 127.0.0.1. Removed on `remove()` or deinit.
public final class PostgresTestCluster: Sendable {
    public let directory: String
    public let port: Int
    public let binDirectory: String
    public var url: String { "postgresql://postgres@127.0.0.1:\(port)/postgres" }

    private let running = Mutex(false)
    private let removed = Mutex(false)

    public init() throws {
        binDirectory = try Self.findBinDirectory()
        var template = Array("/tmp/postgres-test-cluster.XXXXXX".utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw ClusterError(message: "mkdtemp failed: errno \(errno)")
        }
        directory = String(cString: created)
        chmod(directory, 0o755)
        port = try Self.freePort()
        let dataParent = directory + "/cluster"
        mkdir(dataParent, 0o700)
        if getuid() == 0 {
            guard let user = getpwnam("postgres") else { throw ClusterError(message: "no postgres OS user") }
            chown(dataParent, user.pointee.pw_uid, user.pointee.pw_gid)
        }
        do {
            try runAsPostgres(
                binDirectory + "/initdb",
                ["-D", dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    deinit { remove() }

    private var dataDirectory: String { directory + "/cluster/pgdata" }

    public func start() throws {
        try runAsPostgres(
            binDirectory + "/pg_ctl",
            [
                "-D", dataDirectory, "-l", directory + "/cluster/postgres.log", "-w", "-t", "60",
                "-o", "-p \(port) -k \(directory)/cluster -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50",
                "start",
            ])
        running.withLock { $0 = true }
    }

    /// Fast shutdown: open sessions are terminated, as in a real restart.
    public func stop() throws {
        try runAsPostgres(binDirectory + "/pg_ctl", ["-D", dataDirectory, "-m", "fast", "-w", "stop"])
        running.withLock { $0 = false }
    }

    public func remove() {
        let first = removed.withLock { removed in
            defer { removed = true }
            return !removed
        }
        guard first else { return }
        if running.withLock({ $0 }) { try? stop() }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// posix_spawn + waitpid rather than Foundation's `Process`, whose SIGCHLD-based monitoring was seen
    /// to miss the exit of `runuser pg_ctl start` (a zombie, and `waitUntilExit` never returning).
    private func runAsPostgres(_ executable: String, _ arguments: [String]) throws {
        var argv = [executable] + arguments
        if getuid() == 0 {
            let runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first {
                FileManager.default.isExecutableFile(atPath: $0)
            }
            guard let runuser else { throw ClusterError(message: "runuser not found") }
            argv = [runuser, "-u", "postgres", "--"] + argv
        }
        let errorLog = directory + "/command-\(UUID().uuidString).log"
        defer { unlink(errorLog) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errorLog, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        guard spawned == 0 else { throw ClusterError(message: "posix_spawn \(argv[0]) failed: \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw ClusterError(message: "waitpid failed: errno \(errno)") }
        }
        let exited = (status & 0x7f) == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let output = (try? String(contentsOfFile: errorLog, encoding: .utf8)) ?? ""
            let name = URL(fileURLWithPath: executable).lastPathComponent
            throw ClusterError(message: "\(name) failed (status \(status)): \(output)")
        }
    }

    private static func findBinDirectory() throws -> String {
        if let bin = ProcessInfo.processInfo.environment["TEST_PG_BIN"], !bin.isEmpty { return bin }
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let newest = versions.compactMap(Int.init).max()
        guard let newest else { throw ClusterError(message: "no PostgreSQL server binaries under \(root)") }
        return "\(root)/\(newest)/bin"
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClusterError(message: "socket failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw ClusterError(message: "bind failed: errno \(errno)") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw ClusterError(message: "getsockname failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    public struct ClusterError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
