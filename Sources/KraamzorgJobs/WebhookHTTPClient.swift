import Dispatch
import FoundationEssentials
import KraamzorgUseCases
import OutboundSockets

/// A minimal HTTP/1.1 client for webhook deliveries on our own sockets: one POST per connection,
/// `Connection: close`. https is refused (no TLS without packages): point webhooks at an http
/// endpoint, e.g. a local TLS-terminating proxy.
public struct WebhookHTTPClient: Sendable {
    public var timeout: Duration
    public var allowPrivate: Bool
    private let queue = DispatchQueue(label: "webhook-client", attributes: .concurrent)

    public init(timeout: Duration = .seconds(10), allowPrivate: Bool) {
        self.timeout = timeout
        self.allowPrivate = allowPrivate
    }

    /// POSTs the body; returns the response status. Throws on connection failures and refused URLs.
    public func post(url: String, body: [UInt8], headers: [(String, String)]) async throws -> Int {
        let client = self
        return try await BlockingIO.run(on: queue) { try client.postBlocking(url: url, body: body, headers: headers) }
    }

    func postBlocking(url text: String, body: [UInt8], headers: [(String, String)]) throws -> Int {
        let url = try WebhookURL(text)
        guard url.scheme == "http" else {
            throw WebhookURLError(
                message: "https delivery is not supported by this service (no TLS library); use an http URL behind a TLS proxy")
        }
        let addresses = try url.resolve(allowPrivate: allowPrivate)
        let socket = try BlockingSocket(addresses: addresses, timeoutMilliseconds: Int32(clamping: timeout.components.seconds * 1000))
        defer { socket.close() }
        let hostHeader = url.host.contains(":") ? "[\(url.host)]" : url.host
        var head = "POST \(url.pathAndQuery) HTTP/1.1\r\nHost: \(hostHeader):\(url.port)\r\nConnection: close\r\n"
        head += "User-Agent: kraamzorg-webhooks/1\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        try socket.write(Array(head.utf8) + body)
        let status = try socket.readLine(limit: 8192)
        let parts = status.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let code = Int(parts[1]) else {
            throw WebhookURLError(message: "the receiver did not answer with HTTP")
        }
        return code
    }
}
