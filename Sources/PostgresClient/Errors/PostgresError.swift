/// Every failure of this module.
///
/// `description` is safe to log: it never contains SQL text or bind values. The server's
/// `message` can quote a value (`invalid input syntax for type integer: "abc"`), so `description`
/// masks every double-quoted part of it, and `detail` (which often holds the offending key
/// values, `Key (email)=(…) already exists.`) is kept out of `description` entirely.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Could not connect, or the connection broke; the connection has been discarded.
        case connection
        /// The server answered with an error; see `sqlState`.
        case server
        /// A value could not be converted to the requested Swift type, or a column is unknown.
        case decoding
        /// No connection became free within the pool's `acquireTimeout`.
        case timeout
        /// The pool has been closed.
        case poolClosed
    }

    public var kind: Kind
    public var sqlState: SQLState?
    /// The server's primary message (or libpq's message for connection errors). May quote values.
    public var message: String
    /// The server's detail; often quotes row values, so never logged by `description`.
    public var detail: String?
    public var hint: String?
    public var constraint: String?
    public var table: String?
    public var column: String?
    /// Where the failing call was made (`#fileID`), when known.
    public var file: String?
    public var line: Int?

    public init(
        kind: Kind, sqlState: SQLState? = nil, message: String, detail: String? = nil, hint: String? = nil,
        constraint: String? = nil, table: String? = nil, column: String? = nil,
        file: String? = nil, line: Int? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.table = table
        self.column = column
        self.file = file
        self.line = line
    }

    public var description: String {
        var text = "PostgresError.\(kind)"
        if let sqlState { text += " \(sqlState.rawValue)" }
        text += ": " + (kind == .server ? Self.maskQuoted(message) : message)
        var fields: [String] = []
        if let constraint { fields.append("constraint: \(constraint)") }
        if let table { fields.append("table: \(table)") }
        if let column { fields.append("column: \(column)") }
        if !fields.isEmpty { text += " (" + fields.joined(separator: ", ") + ")" }
        if let file, let line { text += " at \(file):\(line)" }
        return text
    }

    /// True for errors after which retrying the whole transaction may succeed (40001, 40P01).
    public var isTransactionRetryable: Bool {
        sqlState == .serializationFailure || sqlState == .deadlockDetected
    }

    func at(file: String, line: Int) -> PostgresError {
        var copy = self
        if copy.file == nil {
            copy.file = file
            copy.line = line
        }
        return copy
    }

    /// `invalid input syntax for type integer: "secret"` → `…: "…"`.
    static func maskQuoted(_ message: String) -> String {
        var result = ""
        result.reserveCapacity(message.utf8.count)
        var inQuotes = false
        for character in message {
            if character == "\"" {
                if inQuotes { result += "…\"" } else { result.append("\"") }
                inQuotes.toggle()
            } else if !inQuotes {
                result.append(character)
            }
        }
        if inQuotes { result += "…" }
        return result
    }
}
