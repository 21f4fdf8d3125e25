extension String: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { .text(self) }
    public init(postgresText: String) { self = postgresText }
}

extension Substring: PostgresEncodable {
    public var postgresBind: PostgresBind { .text(String(self)) }
}
