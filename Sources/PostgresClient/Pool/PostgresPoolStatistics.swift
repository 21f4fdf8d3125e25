/// A snapshot of the pool, e.g. for a health endpoint or metrics.
public struct PostgresPoolStatistics: Sendable, Hashable {
    /// Connections open or being opened.
    public var open: Int
    /// Lent out or being opened.
    public var inUse: Int
    public var idle: Int
    /// Callers waiting for a connection.
    public var waiting: Int
    public var maxSize: Int
}

public enum PostgresIsolation: Sendable, Hashable {
    case readCommitted, repeatableRead, serializable

    var sql: String {
        switch self {
        case .readCommitted: "BEGIN ISOLATION LEVEL READ COMMITTED"
        case .repeatableRead: "BEGIN ISOLATION LEVEL REPEATABLE READ"
        case .serializable: "BEGIN ISOLATION LEVEL SERIALIZABLE"
        }
    }
}
