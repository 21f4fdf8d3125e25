import FoundationEssentials

/// Writes JSON by hand, for the few answers too large to go through `Encodable` quickly (a batch answer has
/// 10,000 results). Strings, numbers and timestamps come out exactly as `JSONOutputEncoder` writes them;
/// the caller writes keys in the order it wants.
public struct JSONWriter {
    private let out = ByteBuffer(capacity: 1 << 16)

    public init() {}

    /// Everything written so far.
    public var bytes: [UInt8] { out.array() }

    /// JSON text written as is: punctuation, or a literal the caller knows to be valid.
    public mutating func raw(_ text: StaticString) { text.withUTF8Buffer { out.append($0) } }

    /// JSON encoded elsewhere (a member written by `JSONOutputEncoder`), appended as is.
    public mutating func json(_ encoded: [UInt8]) { out.append(encoded) }

    /// `"name":`
    public mutating func key(_ name: StaticString) {
        out.append(UInt8(ascii: "\""))
        raw(name)
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    public mutating func string(_ value: String) { ByteWriter.string(value, to: out) }
    public mutating func optionalString(_ value: String?) { if let value { string(value) } else { raw("null") } }
    public mutating func int(_ value: Int) { ByteWriter.integer(value, to: out) }
    public mutating func bool(_ value: Bool) { if value { raw("true") } else { raw("false") } }
    /// An object of strings, its keys in the encoder's order, as `JSONOutputEncoder` writes a `[String: String]`.
    public mutating func object(_ members: [String: String]) {
        raw("{")
        for (i, key) in members.keys.sorted(by: Frame.precedes).enumerated() {
            if i > 0 { raw(",") }
            string(key)
            raw(":")
            string(members[key]!)
        }
        raw("}")
    }

    /// RFC 3339 in UTC to the second, as the `.iso8601` strategy writes dates.
    public mutating func timestamp(_ value: Date) { ByteWriter.date(value, to: out) }
}
