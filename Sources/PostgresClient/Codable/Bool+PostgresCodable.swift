extension Bool: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { .text(self ? "t" : "f") }
    /// PostgreSQL prints `t` and `f`; the long forms are accepted too.
    public init(postgresText: String) throws {
        switch postgresText {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw PostgresTextDecodingFailure()
        }
    }
}
