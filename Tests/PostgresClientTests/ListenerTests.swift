import Foundation
import PostgresClient
import Synchronization
import Testing
import TestSupport

/// `PostgresListener`: one connection that `LISTEN`s, hands over what is `NOTIFY`d, and reconnects after losing it.
@Suite(needsDatabase) struct ListenerTests {
    final class Events: Sendable {
        let events = Mutex<[PostgresListener.Event]>([])
        func append(_ event: PostgresListener.Event) { events.withLock { $0.append(event) } }
        var all: [PostgresListener.Event] { events.withLock { $0 } }

        /// Waits (at most 5 s) until `condition` holds for the events so far.
        func wait(_ condition: ([PostgresListener.Event]) -> Bool) async throws -> Bool {
            for _ in 0..<500 {
                if condition(all) { return true }
                try await Task.sleep(for: .milliseconds(10))
            }
            return condition(all)
        }
    }

    @Test func notificationsArriveInOrderAndTheListenerComesBackAfterItsBackendIsTerminated() async throws {
        let channel = uniqueName("listen")
        let events = Events()
        var configuration = try PostgresConfiguration(url: try #require(testDatabaseOwnerURL()))
        configuration.applicationName = channel
        let listener = PostgresListener(configuration: configuration, channel: channel) { events.append($0) }
        listener.start()
        defer { listener.stop() }
        #expect(try await events.wait { $0.contains(.listening) })
        #expect(listener.isListening)

        try await makePool().using { pool in
            _ = try await pool.query("SELECT pg_notify(\(channel), 'one')")
            try await pool.withTransaction { conn in
                _ = try await conn.query("SELECT pg_notify(\(channel), 'two')")
                _ = try await conn.query("SELECT pg_notify(\(channel), 'three')")
            }
            // A rolled-back transaction notifies nobody.
            try? await pool.withTransaction { conn in
                _ = try await conn.query("SELECT pg_notify(\(channel), 'never')")
                throw ExpectedFailure()
            }
            _ = try await pool.query("SELECT pg_notify(\(channel), 'four')")
            let payloads = { (all: [PostgresListener.Event]) -> [String] in
                all.compactMap { if case .notification(_, let payload) = $0 { payload } else { nil } }
            }
            #expect(try await events.wait { payloads($0).count >= 4 })
            #expect(payloads(events.all) == ["one", "two", "three", "four"])

            // Its backend terminated: it reports the loss, reconnects, listens again and still receives.
            _ = try await pool.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = \(channel + "-listen")")
            #expect(try await events.wait { all in all.contains { if case .lost = $0 { true } else { false } } })
            #expect(try await events.wait { $0.filter { $0 == .listening }.count == 2 })
            _ = try await pool.query("SELECT pg_notify(\(channel), 'five')")
            #expect(try await events.wait { payloads($0).last == "five" })
        }
    }
}
