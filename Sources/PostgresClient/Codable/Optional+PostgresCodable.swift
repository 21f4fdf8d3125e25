extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresBind: PostgresBind {
        switch self {
        case .none: .null
        case .some(let value): value.postgresBind
        }
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init(postgresText: String) throws {
        self = .some(try Wrapped(postgresText: postgresText))
    }

    public static var postgresNull: Wrapped?? { .some(nil) }
}

/// `[UUID?]` ↔ `uuid[]` with NULL elements (e.g. one column of a multi-row `unnest`).
extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement & PostgresEncodable & PostgresDecodable {}
