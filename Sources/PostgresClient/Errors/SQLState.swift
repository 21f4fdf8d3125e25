/// A five-character SQLSTATE code from the server, e.g. `23505`.
///
/// Match on these constants, never on message text: messages are localized and change between versions.
public struct SQLState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The first two characters: `23` is integrity constraint violation, `08` connection exception.
    public var errorClass: Substring { rawValue.prefix(2) }

    /// Class 08 (connection exception) and 57P01–57P03 (the server is shutting down or not yet up):
    /// the connection can not be used any more.
    public var isConnectionError: Bool {
        errorClass == "08" || self == .adminShutdown || self == .crashShutdown || self == .cannotConnectNow
    }

    public var description: String { rawValue }

    public static let uniqueViolation = SQLState("23505")
    public static let foreignKeyViolation = SQLState("23503")
    public static let exclusionViolation = SQLState("23P01")
    public static let checkViolation = SQLState("23514")
    public static let notNullViolation = SQLState("23502")
    public static let serializationFailure = SQLState("40001")
    public static let deadlockDetected = SQLState("40P01")
    /// Also what `statement_timeout` raises.
    public static let queryCanceled = SQLState("57014")
    public static let adminShutdown = SQLState("57P01")
    public static let crashShutdown = SQLState("57P02")
    public static let cannotConnectNow = SQLState("57P03")
    public static let invalidTextRepresentation = SQLState("22P02")
    public static let characterNotInRepertoire = SQLState("22021")
    public static let raiseException = SQLState("P0001")
    public static let invalidSQLStatementName = SQLState("26000")
    public static let featureNotSupported = SQLState("0A000")
    public static let inFailedTransaction = SQLState("25P02")
    public static let undefinedTable = SQLState("42P01")
    public static let syntaxError = SQLState("42601")
}
