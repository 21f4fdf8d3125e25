extension Int: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { .text(String(self)) }
    public init(postgresText: String) throws {
        guard let value = Int(postgresText) else { throw PostgresTextDecodingFailure() }
        self = value
    }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { .text(String(self)) }
    public init(postgresText: String) throws {
        guard let value = Int64(postgresText) else { throw PostgresTextDecodingFailure() }
        self = value
    }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { .text(String(self)) }
    public init(postgresText: String) throws {
        guard let value = Int32(postgresText) else { throw PostgresTextDecodingFailure() }
        self = value
    }
}

extension Int16: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { .text(String(self)) }
    public init(postgresText: String) throws {
        guard let value = Int16(postgresText) else { throw PostgresTextDecodingFailure() }
        self = value
    }
}
