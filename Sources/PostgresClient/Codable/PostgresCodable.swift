/// A Swift value that can be sent as a query parameter.
public protocol PostgresEncodable: Sendable {
    var postgresBind: PostgresBind { get }
}

/// A Swift value that can be read from a result column in PostgreSQL's text output format.
///
/// Throw any error for text that does not parse; `PostgresRow.decode` replaces it with a
/// `PostgresError(kind: .decoding)` naming the column, so the error never carries the value.
public protocol PostgresDecodable {
    init(postgresText: String) throws

    /// What SQL NULL decodes to: `nil` (the default) means NULL is an error for this type.
    /// `Optional` answers `.some(nil)`.
    static var postgresNull: Self? { get }
}

extension PostgresDecodable {
    public static var postgresNull: Self? { nil }
}

/// Shorthand for types that go both ways.
public typealias PostgresCodable = PostgresEncodable & PostgresDecodable

/// Thrown by the decoders of this module; `PostgresRow` turns it into a `PostgresError`.
struct PostgresTextDecodingFailure: Error {}
