import FoundationEssentials

/// Decodes `Decodable` types like Foundation's `JSONDecoder` (default options, or `.iso8601` dates), from a
/// document `JSONReader` checked strictly, and then refuses keys no type asked for.
///
/// Same values as `JSONDecoder`: numbers are converted from their text as it converts them (`1e18` is an `Int`,
/// `1.5` is not, `1.0000000000000001` is 1); `null` and an absent key are both nil for `decodeIfPresent`; `Date`,
/// `Data` (Base64), `URL` and `Decimal` are read as it reads them. The same errors, mostly: the kind, the path and
/// the message of `keyNotFound`, `valueNotFound` and `typeMismatch` match. Where `JSONDecoder` gives up with "The
/// given data was not valid JSON." at the top (a number that does not fit the type), this throws `dataCorrupted`
/// at the value's path, and a bad ISO 8601 date is reported at its own key (not at its container's).
///
/// Unknown keys: a key of an object is known when some type that opened a keyed container on that object asked
/// about it (`decode…`, `contains`, `decodeNil`, `nestedContainer`, `superDecoder(forKey:)`), or when the
/// container's key type can represent it (`Key(stringValue:)` is not nil: a case of its `CodingKeys`, so a type
/// that reads some keys only in some cases still knows all of them, and a dictionary knows every key). After the
/// type has decoded, every other key of every object it opened is reported (`JSONInputError.unknownKeys`), with
/// its path; objects no type opened (a value only tested with `contains`) are not looked into. A type that
/// reports unknown keys itself takes them with `StrictDecoder.claimUnknownKeys()`.
public struct StrictJSONDecoder: Sendable {
    public enum DateDecodingStrategy: Sendable {
        /// `Date(from:)`: seconds since 2001-01-01 as a number (JSONDecoder's default).
        case deferredToDate
        /// `Date.ISO8601FormatStyle()`, as `JSONDecoder.DateDecodingStrategy.iso8601`.
        case iso8601
    }

    public var dateDecodingStrategy: DateDecodingStrategy = .deferredToDate
    /// When true, an explicit `null` where a type asks `decodeIfPresent` is a `DecodingError.valueNotFound` at its
    /// key instead of nil: a field that may be left out is not thereby nullable. Types that take `null` on purpose
    /// (to clear a value) ask `decodeNil(forKey:)` first. Default false, as `JSONDecoder`.
    public var refusesNullForAbsentableKeys = false

    public init() {}

    /// Throws `JSONInputError` (not JSON, a duplicate key, unknown keys), `DecodingError`, or what the type threw.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try decode(type, from: try JSONReader.parse(bytes))
    }

    public func decode<T: Decodable>(_ type: T.Type, from document: JSONDocument) throws -> T {
        let session = DecodingSession(document: document, dates: dateDecodingStrategy, refusesNull: refusesNullForAbsentableKeys)
        let value: T
        do {
            value = try session.unwrap(document.root, as: T.self, path: [])
        } catch let error as DecodingError {
            let unknown = session.unknownKeyPaths()
            if unknown.isEmpty { throw error }
            throw JSONInputError.unknownKeys(unknown, decodingError: error)
        }
        let unknown = session.unknownKeyPaths()
        guard unknown.isEmpty else { throw JSONInputError.unknownKeys(unknown, decodingError: nil) }
        return value
    }
}

/// The decoder a type is handed by `StrictJSONDecoder`.
public protocol StrictDecoder: Decoder {
    /// The keys of the object being decoded that nothing has asked for so far, in document order; they are no
    /// longer reported afterwards, so the type reports them itself (a batch item reports them as its own problem
    /// instead of failing the batch). Empty when the value is not an object.
    func claimUnknownKeys() -> [String]
}
