extension PostgresPool {
    /// BEGIN (at `isolation`), the closure, COMMIT, all on one connection.
    ///
    /// If the closure throws, the transaction is rolled back and the closure's own error rethrown.
    /// A serialization failure (40001) or deadlock (40P01), from the closure or from COMMIT, rolls back
    /// and runs the whole closure again, up to `maxAttempts` times in all, so the closure must be safe
    /// to repeat (no side effects outside the database). If the closure swallowed a failed statement,
    /// COMMIT can only roll back: that throws 25P02 rather than pretend it committed.
    public func withTransaction<T: Sendable>(
        isolation: PostgresIsolation = .readCommitted, maxAttempts: Int = 3,
        file: String = #fileID, line: Int = #line,
        _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await withConnection(file: file, line: line) { connection in
                    try await connection.simpleQuery(unsafeSQL: isolation.sql, file: file, line: line)
                    let value: T
                    do {
                        for setting in PostgresTransactionSettings.current {
                            _ = try await connection.query(
                                "SELECT set_config(\(setting.name), \(setting.value), true)", file: file, line: line)
                        }
                        value = try await body(connection)
                    } catch {
                        try? await connection.simpleQuery(unsafeSQL: "ROLLBACK", file: file, line: line)
                        throw error
                    }
                    let tag = try await connection.commit(file: file, line: line)
                    guard tag == "COMMIT" else {
                        throw PostgresError(
                            kind: .server, sqlState: .inFailedTransaction,
                            message: "the transaction was rolled back at COMMIT because a statement in it failed",
                            file: file, line: line)
                    }
                    return value
                }
            } catch let error as PostgresError where error.isTransactionRetryable && attempt < max(1, maxAttempts) {
                attempt += 1
                // A little jitter so that two conflicting transactions do not collide again in lockstep.
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...5) * attempt))
            }
        }
    }
}

/// Transaction-local settings (`set_config(name, value, true)`) that every transaction opened by this task
/// starts with: context of the request a change is made for (its trace), which column defaults can read with
/// `current_setting(name, true)`, with no parameter through every layer in between.
public enum PostgresTransactionSettings {
    @TaskLocal public static var current: [Setting] = []

    public struct Setting: Sendable {
        public let name: String
        public let value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }
}
