import FoundationEssentials
import DatesAndIDs

extension UUID: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { .text(lowercasedString) }
    public init(postgresText: String) throws {
        guard let value = UUID(hyphenatedHex: postgresText) else { throw PostgresTextDecodingFailure() }
        self = value
    }
}

extension UUID: PostgresArrayElement {}
