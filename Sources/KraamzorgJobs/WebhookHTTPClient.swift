import CurlTransport
import Dispatch
import FoundationEssentials
import KraamzorgUseCases
import OutboundSockets

/// Webhook deliveries over http and https through libcurl: one POST per delivery, the URL's host resolved
/// and checked here (no loopback or private address unless `allowPrivate`), and curl pinned to exactly the
/// checked addresses, so a name that resolves differently a moment later (DNS rebinding) is never connected to.
/// TLS certificates are verified against the system store, or `caFile` (`SSL_CERT_FILE`) when set.
public struct WebhookHTTPClient: Sendable {
    public var timeout: Duration
    public var allowPrivate: Bool
    public var caFile: String?
    private let queue = DispatchQueue(label: "webhook-client", attributes: .concurrent)

    public init(timeout: Duration = .seconds(10), allowPrivate: Bool, caFile: String? = nil) {
        self.timeout = timeout
        self.allowPrivate = allowPrivate
        self.caFile = caFile
    }

    /// POSTs the body; returns the response status. Throws on connection and TLS failures and refused URLs.
    public func post(url: String, body: [UInt8], headers: [(String, String)]) async throws -> Int {
        let client = self
        return try await BlockingIO.run(on: queue) { try client.postBlocking(url: url, body: body, headers: headers) }
    }

    func postBlocking(url text: String, body: [UInt8], headers: [(String, String)]) throws -> Int {
        let url = try WebhookURL(text)
        let addresses = try url.resolve(allowPrivate: allowPrivate)
        do {
            return try CurlHTTP.post(
                url: text, host: url.host, port: url.port, headers: headers, body: body, pinned: addresses,
                connectTimeout: min(timeout, .seconds(5)), timeout: timeout, caFile: caFile
            ).status
        } catch let e where e.refusedAddress {
            throw WebhookURLError(message: "the connection went to an address that was not checked; refused")
        }
    }
}
