/// The address a request comes from. Behind a proxy the socket peer is the proxy; only when the peer is
/// one of `trusted` is the client taken from `X-Forwarded-For` (or, without it, RFC 7239 `Forwarded`):
/// the nearest hop that is not itself a trusted proxy. Anyone else's headers are ignored, so a client
/// cannot choose its own rate-limit bucket.
enum ClientAddress {
    static func resolve(peer: String, headers: HTTPHeaders, trusted: [AddressRange]) -> String {
        guard !trusted.isEmpty, trusted.contains(where: { $0.contains(peer) }) else { return peer }
        var hops: [String] = []
        let forwardedFor = headers.values(for: "X-Forwarded-For")
        if !forwardedFor.isEmpty {
            for line in forwardedFor { hops += line.split(separator: ",").map { $0.trimmingASCIISpaces() } }
        } else {
            for line in headers.values(for: "Forwarded") {
                for element in line.split(separator: ",") {
                    for pair in element.split(separator: ";") {
                        let kv = pair.split(separator: "=", maxSplits: 1)
                        if kv.count == 2, kv[0].trimmingASCIISpaces().lowercased() == "for" { hops.append(kv[1].trimmingASCIISpaces()) }
                    }
                }
            }
        }
        // Right to left: the last hop was added by our own (trusted) proxy.
        for hop in hops.reversed() {
            guard let address = plainAddress(hop) else { return peer }
            if !trusted.contains(where: { $0.contains(address) }) { return address }
        }
        return hops.first.flatMap(plainAddress) ?? peer
    }

    /// `1.2.3.4`, `1.2.3.4:80`, `"[2001:db8::1]:443"`, `2001:db8::1` → the address alone; nil for
    /// `unknown`, obfuscated identifiers and anything that is not an IP address.
    static func plainAddress(_ hop: String) -> String? {
        var text = Substring(hop)
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            text = text[text.index(after: text.startIndex)..<close]
        } else if text.filter({ $0 == ":" }).count == 1 {
            text = text[..<text.firstIndex(of: ":")!]
        }
        var address = String(text)
        guard AddressRange.bytes(of: address) != nil else { return nil }
        if address.hasPrefix("::ffff:"), address.contains(".") { address.removeFirst(7) }
        return address
    }
}
