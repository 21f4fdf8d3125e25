import Glibc

/// An IPv4 or IPv6 network in CIDR form (`10.0.0.0/8`, `fd00::/8`, or one address), for
/// `TRUSTED_PROXIES`. IPv4 is held as IPv4-mapped IPv6, so `::ffff:10.0.0.1` and `10.0.0.1` are one.
public struct AddressRange: Sendable, Equatable, CustomStringConvertible {
    let network: [UInt8]  // 16 bytes
    let prefixLength: Int
    public let description: String

    /// nil for anything that is not an address with an optional `/prefix` in range.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = AddressRange.bytes(of: String(parts[0])) else { return nil }
        let isV4 = !parts[0].contains(":")
        let maxPrefix = isV4 ? 32 : 128
        var prefix = maxPrefix
        if parts.count == 2 {
            guard let p = Int(parts[1]), (0...maxPrefix).contains(p) else { return nil }
            prefix = p
        }
        prefixLength = isV4 ? prefix + 96 : prefix
        network = AddressRange.masked(address, prefixLength)
        description = text
    }

    /// Whether `address` (IP text, as the server prints peers) lies in the range.
    public func contains(_ address: String) -> Bool {
        guard let bytes = AddressRange.bytes(of: address) else { return false }
        return AddressRange.masked(bytes, prefixLength) == network
    }

    /// Parses a comma-separated list (`TRUSTED_PROXIES`); nil names the first entry that is not a range.
    public static func list(_ text: String) -> Result<[AddressRange], ParseFailure> {
        var out: [AddressRange] = []
        for item in text.split(separator: ",") {
            let trimmed = item.trimmingASCIISpaces()
            guard !trimmed.isEmpty else { continue }
            guard let range = AddressRange(trimmed) else { return .failure(ParseFailure(entry: trimmed)) }
            out.append(range)
        }
        return .success(out)
    }

    public struct ParseFailure: Error, Sendable, Equatable {
        public let entry: String
    }

    /// The 16 bytes of an IPv6 address, or of an IPv4 address mapped into IPv6; nil for anything else.
    static func bytes(of text: String) -> [UInt8]? {
        var v6 = in6_addr()
        if text.contains(":") {
            guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        var v4 = in_addr()
        guard inet_pton(AF_INET, text, &v4) == 1 else { return nil }
        return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] + withUnsafeBytes(of: &v4) { Array($0) }
    }

    static func masked(_ bytes: [UInt8], _ prefix: Int) -> [UInt8] {
        var out = bytes
        for i in 0..<16 {
            let bits = max(0, min(8, prefix - i * 8))
            out[i] &= bits == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
        }
        return out
    }
}

extension StringProtocol {
    func trimmingASCIISpaces() -> String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }
}
