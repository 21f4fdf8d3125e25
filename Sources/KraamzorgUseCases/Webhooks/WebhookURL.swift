import FoundationEssentials
import OutboundSockets

/// Why a webhook URL is refused (at subscription and again at delivery).
public struct WebhookURLError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// A parsed http(s) URL.
public struct WebhookURL: Sendable {
    public let scheme: String
    public let host: String
    public let port: Int
    public let pathAndQuery: String

    /// Only http and https, a host, no user info.
    public init(_ text: String) throws(WebhookURLError) {
        guard let c = URLComponents(string: text), let scheme = c.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw WebhookURLError(message: "must be an http or https URL")
        }
        guard let host = c.host, !host.isEmpty else { throw WebhookURLError(message: "must name a host") }
        guard c.user == nil, c.password == nil else { throw WebhookURLError(message: "must not carry a user name or password") }
        self.scheme = scheme
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        self.port = c.port ?? (scheme == "https" ? 443 : 80)
        let path = c.percentEncodedPath.isEmpty ? "/" : c.percentEncodedPath
        self.pathAndQuery = path + (c.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    /// The host's addresses, refusing loopback and private ones unless `allowPrivate`.
    public func resolve(allowPrivate: Bool) throws -> [ResolvedAddress] {
        let addresses = try ResolvedAddress.resolve(host: host, port: port)
        if !allowPrivate, let bad = addresses.first(where: \.isLoopbackOrPrivate) {
            throw WebhookURLError(message: "\(host) resolves to a loopback or private address (\(bad)); not allowed")
        }
        return addresses
    }
}
