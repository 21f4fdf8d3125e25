import Synchronization

/// The pipelined connections of one traffic class (`PostgresConfiguration.sharedReadConnections`), opened on first
/// use. A read goes to a connection with nothing at the server if there is one, else to the one with the fewest
/// waiting; when none is open yet, or its parameters are large, it is handed back to the pool.
final class SharedReads: Sendable {
    private let connections: [PipelinedConnection]

    init(configuration: PostgresConfiguration, ids: () -> Int) {
        var parameters = configuration.libpqParameters
        // A batch is one implicit transaction: only reads may share it.
        if let index = parameters.firstIndex(where: { $0.0 == "options" }) {
            parameters[index].1 += " -c default_transaction_read_only=on"
        }
        let count = max(0, configuration.sharedReadConnections)
        connections = (0..<count).map { _ in PipelinedConnection(id: ids(), parameters: parameters) }
    }

    /// The rows, or nil when the statement is to run on the pool instead.
    func read(_ query: PostgresQuery) async throws -> PostgresRows? {
        guard !connections.isEmpty, query.parameterBytes <= PostgresSession.sendLimit else { return nil }
        var chosen: (connection: PipelinedConnection, load: Int)?
        for connection in connections {
            guard let load = connection.load else {
                connection.connectIfNeeded()
                continue
            }
            if load < chosen?.load ?? Int.max { chosen = (connection, load) }
            if load == 0 { break }
        }
        guard let chosen = chosen?.connection else { return nil }
        return try await withCheckedThrowingContinuation { continuation in
            chosen.submit(query) { outcome in
                switch outcome {
                case .rows(let rows): continuation.resume(returning: rows)
                case .failed(let error): continuation.resume(throwing: error)
                case .elsewhere: continuation.resume(returning: nil)
                }
            }
        }
    }

    var statistics: (statements: Int, batches: Int, connected: Int) {
        connections.reduce(into: (0, 0, 0)) { sum, connection in
            let counts = connection.counts
            sum.0 += counts.statements
            sum.1 += counts.batches
            sum.2 += counts.connected ? 1 : 0
        }
    }

    func close() {
        for connection in connections { connection.close() }
    }
}
