import CLibCurl
import Glibc
import OutboundSockets

/// An HTTP(S) answer: the status and at most `responseLimit` bytes of its body.
public struct HTTPResult: Sendable {
    public let status: Int
    public let body: [UInt8]
    /// The address the request went to.
    public let address: String
}

/// HTTP(S) POST through libcurl. Blocking: call it off the cooperative pool.
public enum CurlHTTP {
    /// POSTs `body` to `url`. With `pinned`, curl resolves the URL's host to exactly those addresses
    /// (CURLOPT_RESOLVE) and may open a connection to no other (the open-socket check), so the address
    /// that was checked is the one connected to. No redirects, no proxy, certificates verified against
    /// the system store or `caFile`.
    public static func post(
        url: String, host: String, port: Int, headers: [(String, String)], body: [UInt8], pinned: [ResolvedAddress]?,
        connectTimeout: Duration = .seconds(5), timeout: Duration = .seconds(10), caFile: String? = nil, responseLimit: Int = 16_384,
        userAgent: String = "kraamzorg-webhooks/2"
    ) throws(CurlError) -> HTTPResult {
        let easy = try CurlEasy(responseLimit: responseLimit)
        easy.set(CURLOPT_URL, url)
        easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        easy.set(CURLOPT_POST, 1)
        easy.setLarge(CURLOPT_POSTFIELDSIZE_LARGE, Int64(body.count))
        easy.copy(CURLOPT_COPYPOSTFIELDS, body)
        easy.set(CURLOPT_USERAGENT, userAgent)
        var lines = headers.map { "\(clean($0.0)): \(clean($0.1))" }
        lines.append("Expect:")  // no 100-continue round trip
        easy.set(CURLOPT_HTTPHEADER, list: lines)
        easy.timeouts(connect: connectTimeout, total: timeout)
        easy.trust(caFile: caFile)
        if let pinned {
            // A name resolves to the checked addresses only (curl's DNS cache, pre-filled); a literal address is not
            // looked up at all. Either way the open-socket check refuses any other address.
            if !isLiteralAddress(host) {
                let name = host.contains(":") ? "[\(host)]" : host
                let addresses = pinned.map { $0.family == AF_INET6 ? "[\($0)]" : "\($0)" }.joined(separator: ",")
                easy.set(CURLOPT_RESOLVE, list: ["\(name):\(port):\(addresses)"])
            }
            for a in pinned { easy.allow(family: a.family, bytes: a.bytes) }
        }
        try easy.perform()
        return HTTPResult(status: easy.responseCode, body: easy.responseBody, address: easy.primaryIP)
    }

    static func isLiteralAddress(_ host: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, host, &buffer) == 1 || inet_pton(AF_INET6, host, &buffer) == 1
    }

    /// Header text never carries line breaks (header injection).
    static func clean(_ s: String) -> String { String(s.filter { $0 != "\r" && $0 != "\n" }) }
}
