import Dispatch
import FoundationEssentials
import OutboundSockets

/// Where to send mail. A relay without TLS: run a local relay that does TLS onward.
public struct SMTPConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The name we give in EHLO.
    public var heloName: String
    public var timeout: Duration

    public init(host: String, port: Int = 25, heloName: String = "localhost", timeout: Duration = .seconds(20)) {
        self.host = host
        self.port = port
        self.heloName = heloName
        self.timeout = timeout
    }
}

/// An SMTP failure; `permanent` for 5xx replies (retrying will not help).
public enum SMTPError: Error, Sendable, CustomStringConvertible {
    case connection(OutboundError)
    case reply(command: String, code: Int, text: String)
    case malformedReply(String)

    public var permanent: Bool {
        if case .reply(_, let code, _) = self { return code >= 500 }
        return false
    }

    public var description: String {
        switch self {
        case .connection(let e): return "SMTP connection: \(e)"
        case .reply(let command, let code, let text): return "SMTP \(command): \(code) \(text)"
        case .malformedReply(let line): return "SMTP: malformed reply \(line.prefix(80))"
        }
    }
}

/// A small SMTP client (RFC 5321): one connection per `send`, EHLO (HELO fallback), MAIL, RCPT, DATA, QUIT.
/// `send` blocks; call it through `sendAsync`, which runs it on a dedicated queue.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration
    private let queue = DispatchQueue(label: "smtp-client")

    public init(configuration: SMTPConfiguration) {
        self.configuration = configuration
    }

    public func sendAsync(_ message: MailMessage) async throws {
        let client = self
        try await BlockingIO.run(on: queue) { try client.send(message) }
    }

    public func send(_ message: MailMessage) throws(SMTPError) {
        let timeout = Int32(clamping: configuration.timeout.components.seconds * 1000)
        let socket: BlockingSocket
        do {
            let addresses = try ResolvedAddress.resolve(host: configuration.host, port: configuration.port)
            socket = try BlockingSocket(addresses: addresses, timeoutMilliseconds: timeout)
        } catch {
            throw .connection(error)
        }
        defer { socket.close() }
        let session = Session(socket: socket)
        try session.expect("greeting", 220)
        do {
            try session.command("EHLO \(configuration.heloName)", expect: 250)
        } catch .reply(_, let code, _) where code >= 500 {
            try session.command("HELO \(configuration.heloName)", expect: 250)
        }
        try session.command("MAIL FROM:<\(Self.address(message.from))>", expect: 250)
        for recipient in message.to { try session.command("RCPT TO:<\(Self.address(recipient))>", expect: 250, 251) }
        try session.command("DATA", expect: 354)
        var data = MailFormat.dotStuff(MailFormat.render(message))
        data += Array(".\r\n".utf8)
        try session.raw(data, name: "DATA (message)", expect: 250)
        try? session.command("QUIT", expect: 221)
    }

    /// The bare address (no display name, no line breaks or brackets).
    static func address(_ s: String) -> String {
        var a = s
        if let open = a.lastIndex(of: "<"), let close = a.lastIndex(of: ">"), open < close { a = String(a[a.index(after: open)..<close]) }
        return String(a.filter { !"\r\n<> ".contains($0) })
    }

    final class Session {
        let socket: BlockingSocket
        init(socket: BlockingSocket) { self.socket = socket }

        func command(_ line: String, expect codes: Int...) throws(SMTPError) {
            try raw(Array((line + "\r\n").utf8), name: String(line.prefix(while: { $0 != " " && $0 != ":" })), expect: codes)
        }

        func raw(_ bytes: [UInt8], name: String, expect codes: Int...) throws(SMTPError) {
            try raw(bytes, name: name, expect: codes)
        }

        func raw(_ bytes: [UInt8], name: String, expect codes: [Int]) throws(SMTPError) {
            do { try socket.write(bytes) } catch { throw .connection(error) }
            try expect(name, codes)
        }

        func expect(_ name: String, _ codes: Int...) throws(SMTPError) { try expect(name, codes) }

        /// Reads a reply, multi-line ("250-…" lines then "250 …").
        func expect(_ name: String, _ codes: [Int]) throws(SMTPError) {
            var text: [String] = []
            var code = 0
            while true {
                let line: String
                do { line = try socket.readLine() } catch { throw .connection(error) }
                let chars = Array(line.utf8)
                guard chars.count >= 3, let c = Int(String(decoding: chars[0..<3], as: UTF8.self)) else { throw .malformedReply(line) }
                code = c
                text.append(chars.count > 4 ? String(decoding: chars[4...], as: UTF8.self) : "")
                if chars.count == 3 || chars[3] == UInt8(ascii: " ") { break }
                guard chars[3] == UInt8(ascii: "-") else { throw .malformedReply(line) }
            }
            guard codes.contains(code) else { throw .reply(command: name, code: code, text: text.joined(separator: " ")) }
        }
    }
}
