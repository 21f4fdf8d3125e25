import Foundation
import Glibc
import Synchronization

/// A test peer written in Python (`Tests/tls/*.py`: an https receiver, an SMTP relay with STARTTLS and AUTH),
/// run as a child process: it prints `PORT <n>` when it listens, then one JSON object per line for each
/// request or message it received. `stop()` ends it.
public final class PythonPeer: Sendable {
    public let port: Int
    private let process: Process
    private let output: Output

    final class Output: Sendable {
        let lines = Mutex<[String]>([])
        let port = Mutex<Int?>(nil)
    }

    /// The folder of the Python peers, found from this file's path (…/Sources/TestSupport → …/Tests/tls).
    public static let scriptsFolder: String = {
        var parts = URL(fileURLWithPath: #filePath).pathComponents
        parts.removeLast(3)
        return NSString.path(withComponents: parts + ["Tests", "tls"])
    }()

    /// Starts `Tests/tls/<script>` with `arguments` and waits (at most `startTimeout`) until it listens.
    public init(script: String, arguments: [String], startTimeout: Duration = .seconds(20)) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "\(Self.scriptsFolder)/\(script)"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        let output = Output()
        try process.run()
        let reader = out.fileHandleForReading
        Thread {
            var pending = Data()
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { return }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 10) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    if line.hasPrefix("PORT "), let p = Int(line.dropFirst(5)) {
                        output.port.withLock { $0 = p }
                    } else {
                        output.lines.withLock { $0.append(line) }
                    }
                }
            }
        }.start()
        let deadline = ContinuousClock.now + startTimeout
        while output.port.withLock({ $0 }) == nil {
            guard process.isRunning, ContinuousClock.now < deadline else {
                process.terminate()
                throw PythonPeerError(message: "\(script) did not start listening")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        self.port = output.port.withLock { $0 }!
        self.process = process
        self.output = output
    }

    /// The JSON objects printed so far.
    public var records: [[String: Any]] {
        output.lines.withLock { $0 }.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Waits until at least `count` records were printed (at most `timeout`); returns them. The peer prints a
    /// record before it answers, so this only waits for the pipe.
    public func records(atLeast count: Int, timeout: Duration = .seconds(10)) -> [[String: Any]] {
        let deadline = ContinuousClock.now + timeout
        while output.lines.withLock({ $0.count }) < count && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.02) }
        return records
    }

    public func stop() {
        // SIGKILL: a child started from a dispatch thread inherits its blocked signals, so SIGTERM may never arrive.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

public struct PythonPeerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// A certificate authority made for one test with `openssl`, a server certificate it signed (for `localhost`
/// and 127.0.0.1), and a self-signed certificate for the same names that the authority did not sign.
public struct TestCertificates: Sendable {
    public let folder: String
    public var caFile: String { folder + "/ca.pem" }
    public var serverCert: String { folder + "/server.pem" }
    public var serverKey: String { folder + "/server.key" }
    public var selfSignedCert: String { folder + "/self.pem" }
    public var selfSignedKey: String { folder + "/self.key" }

    public static func make() throws -> TestCertificates {
        let folder = NSTemporaryDirectory() + "kraamzorg-tls-" + UUID().uuidString.lowercased()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let names = "subjectAltName=DNS:localhost,IP:127.0.0.1"
        try "\(names)\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n".write(
            toFile: folder + "/server.ext", atomically: true, encoding: .utf8)
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(
            ["req", "-x509"] + key + [
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Kraamzorg Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ], in: folder)
        try openssl(["req"] + key + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"], in: folder)
        try openssl(
            [
                "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
                "-days", "2", "-extfile", "server.ext",
            ], in: folder)
        try openssl(
            ["req", "-x509"] + key + [
                "-keyout", "self.key", "-out", "self.pem", "-days", "2", "-subj", "/CN=localhost",
                "-addext", names,
            ], in: folder)
        return TestCertificates(folder: folder)
    }

    public func remove() { try? FileManager.default.removeItem(atPath: folder) }

    static func openssl(_ arguments: [String], in folder: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["openssl"] + arguments
        p.currentDirectoryURL = URL(fileURLWithPath: folder)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw PythonPeerError(message: "openssl \(arguments.first ?? "") failed") }
    }
}
