import KraamzorgRules
import PostgresClient

/// PostgreSQL `date` ↔ `CivilDate`: both are plain calendar dates, exchanged as `YYYY-MM-DD`.
extension CivilDate: PostgresEncodable {
    public var postgresBind: PostgresBind { .text(iso) }
}

extension CivilDate: PostgresDecodable {
    public init(postgresText: String) throws {
        guard let date = CivilDate(iso: postgresText) else { throw CivilDateDecodingError() }
        self = date
    }
}

struct CivilDateDecodingError: Error, CustomStringConvertible {
    var description: String { "a date column did not hold a YYYY-MM-DD date" }
}
