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
    /// Connections lent per traffic class (`PostgresPool.forClass`) right now; classes seen so far.
    public var inUseByClass: [String: Int] = [:]
    /// The connection kept apart for health checks: 1 once opened (it is not counted in `open`).
    public var healthConnections: Int = 0
    /// Statements run by `PostgresPool.sharedRead` on its pipelined connections, in how many batches, and those
    /// connections open now.
    public var sharedReads: Int = 0
    public var sharedReadBatches: Int = 0
    public var sharedReadConnections: Int = 0
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
