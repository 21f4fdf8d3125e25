import FoundationEssentials
import DatesAndIDs

/// `[UInt8]` is `bytea`: sent in binary format, read from the hex text form (`\x00ff…`).
extension UInt8: PostgresArrayElement {
    public static func postgresArrayBind(_ elements: [UInt8]) -> PostgresBind { .binary(elements) }
    public static func postgresArray(decoding text: String) throws -> [UInt8] { try Bytea.decode(text) }
}

extension Data: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { .binary([UInt8](self)) }
    public init(postgresText: String) throws { self = Data(try Bytea.decode(postgresText)) }
}

enum Bytea {
    static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }

    /// The hex output format, which this module asks for with `bytea_output=hex`.
    static func decode(_ text: String) throws -> [UInt8] {
        var text = text
        return try text.withUTF8 { utf8 in
            guard utf8.count >= 2, utf8.count % 2 == 0, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x")
            else { throw PostgresTextDecodingFailure() }
            let count = (utf8.count - 2) / 2
            return try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                var input = 2
                for index in 0..<count {
                    guard let high = nibble(utf8[input]), let low = nibble(utf8[input + 1]) else {
                        throw PostgresTextDecodingFailure()
                    }
                    buffer[index] = high << 4 | low
                    input += 2
                    initialized = index + 1
                }
            }
        }
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
