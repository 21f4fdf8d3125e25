/// A W3C Trace Context `traceparent` header (version-traceid-parentid-flags, lowercase hex). Only a valid
/// one is kept: version 00 exactly, or a later version (not ff) with the same first four fields.
public struct TraceParent: Sendable, Equatable {
    /// The header as received (a valid one).
    public let header: String
    /// 32 hex digits, not all zero.
    public let traceId: String

    public init?(_ value: String) {
        let bytes = Array(value.utf8)
        guard bytes.count >= 55, bytes[2] == 0x2D, bytes[35] == 0x2D, bytes[52] == 0x2D else { return nil }
        func hex(_ range: Range<Int>) -> Bool { bytes[range].allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) } }
        func zero(_ range: Range<Int>) -> Bool { bytes[range].allSatisfy { $0 == 0x30 } }
        guard hex(0..<2), hex(3..<35), hex(36..<52), hex(53..<55), !zero(3..<35), !zero(36..<52) else { return nil }
        let version = String(decoding: bytes[0..<2], as: UTF8.self)
        guard version != "ff" else { return nil }
        if version == "00" {
            guard bytes.count == 55 else { return nil }
        } else if bytes.count > 55 {
            guard bytes[55] == 0x2D else { return nil }
        }
        // What is passed on is the part this version understands.
        self.header = String(decoding: bytes[0..<55], as: UTF8.self)
        self.traceId = String(decoding: bytes[3..<35], as: UTF8.self)
    }
}

extension HTTPRequest {
    /// The request's valid `traceparent`, if any.
    public var traceParent: TraceParent? { headers["traceparent"].flatMap(TraceParent.init) }
}
