extension Double: PostgresEncodable, PostgresDecodable {
    /// Swift prints the shortest text that reads back to the same value; infinities and NaN are
    /// spelled the way PostgreSQL prints them.
    public var postgresBind: PostgresBind {
        if isNaN { return .text("NaN") }
        if isInfinite { return .text(self < 0 ? "-Infinity" : "Infinity") }
        return .text(String(self))
    }

    public init(postgresText: String) throws {
        switch postgresText {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default:
            guard let value = Double(postgresText) else { throw PostgresTextDecodingFailure() }
            self = value
        }
    }
}
