/// An element of a Swift array that maps to a PostgreSQL value: `[String]` ↔ `text[]`,
/// `[Int]` ↔ `int8[]`, `[UUID]` ↔ `uuid[]` (as array literals, e.g. for `= ANY($1)`), and
/// `[UInt8]` ↔ `bytea`.
///
/// The array forms are static requirements so that `[UInt8]` can mean `bytea` while other arrays mean
/// PostgreSQL arrays (Swift allows one conditional conformance of `Array` per protocol).
public protocol PostgresArrayElement: Sendable {
    static func postgresArrayBind(_ elements: [Self]) -> PostgresBind
    static func postgresArray(decoding text: String) throws -> [Self]
}

extension PostgresArrayElement where Self: PostgresEncodable & PostgresDecodable {
    /// `{"a","b \"c\""}`: every element quoted, so commas, braces, spaces and the word NULL are data.
    public static func postgresArrayBind(_ elements: [Self]) -> PostgresBind {
        .text(PostgresArrayLiteral.encode(elements.map(\.postgresBind)))
    }

    public static func postgresArray(decoding text: String) throws -> [Self] {
        try PostgresArrayLiteral.decode(text).map { element in
            guard let element else {
                guard let null = Self.postgresNull else { throw PostgresTextDecodingFailure() }
                return null
            }
            return try Self(postgresText: element)
        }
    }
}

extension String: PostgresArrayElement {}
extension Int: PostgresArrayElement {}
extension Int64: PostgresArrayElement {}
extension Int32: PostgresArrayElement {}
extension Int16: PostgresArrayElement {}
extension Bool: PostgresArrayElement {}
extension Double: PostgresArrayElement {}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public var postgresBind: PostgresBind { Element.postgresArrayBind(self) }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    public init(postgresText: String) throws {
        self = try Element.postgresArray(decoding: postgresText)
    }
}

/// One-dimensional array literals in PostgreSQL's text format.
enum PostgresArrayLiteral {
    /// Built as UTF-8 bytes: a batch binds arrays of 10,000 elements, and appending unicode scalars to a String
    /// one by one took a third of such a request's time.
    static func encode(_ elements: [PostgresBind]) -> String {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(2 + elements.count * 40)
        for (index, element) in elements.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            switch element {
            case .null:
                out.append(contentsOf: "NULL".utf8)
            case .text(let value):
                out.append(UInt8(ascii: "\""))
                for byte in value.utf8 {
                    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
                    out.append(byte)
                }
                out.append(UInt8(ascii: "\""))
            case .binary(let bytes):
                // bytea inside an array literal: its hex text form.
                out.append(contentsOf: "\"\\\\x".utf8)
                out.append(contentsOf: Bytea.hex(bytes).utf8)
                out.append(UInt8(ascii: "\""))
            }
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Elements of `{a,"b c",NULL}`; nil for NULL. Throws for multi-dimensional arrays and explicit bounds.
    /// Reads the text's UTF-8 in place: a dossier decodes seven arrays per request.
    static func decode(_ text: String) throws -> [String?] {
        var text = text
        return try text.withUTF8 { bytes -> [String?] in
            guard bytes.first == UInt8(ascii: "{") else { throw PostgresTextDecodingFailure() }
            var result: [String?] = []
            var index = 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                guard index + 1 == bytes.count else { throw PostgresTextDecodingFailure() }
                return result
            }
            var element: [UInt8] = []
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "\"") {
                    index += 1
                    let start = index
                    var escaped = false
                    while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                        if bytes[index] == UInt8(ascii: "\\") { escaped = true; index += 1 }
                        index += 1
                    }
                    guard index < bytes.count else { throw PostgresTextDecodingFailure() }
                    if escaped {
                        // Rare (quotes or backslashes in the data): drop each escaping backslash.
                        element.removeAll(keepingCapacity: true)
                        var i = start
                        while i < index {
                            if bytes[i] == UInt8(ascii: "\\") { i += 1 }
                            element.append(bytes[i])
                            i += 1
                        }
                        result.append(String(decoding: element, as: UTF8.self))
                    } else {
                        result.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                    }
                    index += 1
                } else {
                    let start = index
                    while index < bytes.count, bytes[index] != UInt8(ascii: ","), bytes[index] != UInt8(ascii: "}") {
                        if bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "\"") {
                            throw PostgresTextDecodingFailure()
                        }
                        index += 1
                    }
                    guard index > start else { throw PostgresTextDecodingFailure() }
                    let token = UnsafeBufferPointer(rebasing: bytes[start..<index])
                    result.append(token.elementsEqual("NULL".utf8) ? nil : String(decoding: token, as: UTF8.self))
                }
                guard index < bytes.count else { throw PostgresTextDecodingFailure() }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "}") {
                    guard index + 1 == bytes.count else { throw PostgresTextDecodingFailure() }
                    return result
                } else {
                    throw PostgresTextDecodingFailure()
                }
            }
            throw PostgresTextDecodingFailure()
        }
    }
}
