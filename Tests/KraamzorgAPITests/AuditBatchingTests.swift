import Foundation
import KraamzorgStore
import PostgresClient
import Testing

/// Reads are audited by group commit (AuditBatcher): each caller returns once its own event is committed,
/// events that arrive together share an insert, and an event that cannot be written fails only its own read.
@Suite struct AuditBatchingTests {
    private func actor(_ request: String) -> AuditActor {
        AuditActor(userId: UUID(), userName: "Auditor", organizationId: UUID(), role: "admin", membershipId: UUID(), requestId: request)
    }

    @Test func concurrentReadsAreEachWrittenOnceWithTheirOwnDetails() async throws {
        let app = try await TestApp.shared.value
        let store = RegisterStore(pool: app.pool)
        let run = UUID().uuidString
        let objects = (0..<300).map { _ in UUID() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (i, object) in objects.enumerated() {
                group.addTask {
                    try await store.auditRead(
                        objectType: "dossier", objectId: object, details: ["periodId": "p\(i)", "run": run],
                        by: self.actor("\(run)-\(i)"))
                    // Committed by the time the call returns: visible on another connection.
                    #expect(try await app.count("SELECT count(*) FROM audit_events WHERE request_id = \("\(run)-\(i)")") == 1)
                }
            }
            try await group.waitForAll()
        }
        #expect(try await app.count("SELECT count(*) FROM audit_events WHERE details->>'run' = \(run)") == 300)
        // Rows of one insert share its transaction id: 300 reads at once did not take 300 inserts.
        #expect(try await app.count("SELECT count(DISTINCT xmin::text) FROM audit_events WHERE details->>'run' = \(run)") < 300)
        let rows = try await app.pool.query(
            "SELECT object_id, request_id, details->>'periodId' AS period, action, outcome, role, user_name FROM audit_events WHERE details->>'run' = \(run)"
        )
        for row in rows {
            let request: String = try row.decode("request_id")
            let i = Int(request.split(separator: "-").last!)!
            #expect(try row.decode("object_id", as: UUID.self) == objects[i])
            #expect(try row.decode("period", as: String.self) == "p\(i)")
            #expect(try row.decode("action", as: String.self) == "read")
            #expect(try row.decode("outcome", as: String.self) == "success")
            #expect(try row.decode("role", as: String.self) == "admin")
            #expect(try row.decode("user_name", as: String.self) == "Auditor")
        }
    }

    @Test func anUnwritableEventFailsOnlyItsOwnReadAndTheNextReadsAreWritten() async throws {
        let app = try await TestApp.shared.value
        let store = RegisterStore(pool: app.pool)
        let run = UUID().uuidString
        // jsonb refuses \u0000: the batch carrying this event cannot be written.
        let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for i in 0..<60 {
                group.addTask {
                    let details = i == 30 ? ["run": run, "bad": "\u{0}"] : ["run": run]
                    do {
                        try await store.auditRead(objectType: "dossier", objectId: UUID(), details: details, by: self.actor("\(run)-\(i)"))
                        return (i, true)
                    } catch {
                        return (i, false)
                    }
                }
            }
            var all: [Int: Bool] = [:]
            for try await (i, ok) in group { all[i] = ok }
            return all
        }
        // Only the unwritable event's read fails; the others in its batch are retried one by one and written.
        #expect(outcomes[30] == false)
        #expect(outcomes.filter { !$0.value }.map(\.key) == [30])
        // Every caller told "written" has its row; every caller told "failed" has none.
        for (i, ok) in outcomes {
            #expect(try await app.count("SELECT count(*) FROM audit_events WHERE request_id = \("\(run)-\(i)")") == (ok ? 1 : 0))
        }
        try await store.auditRead(objectType: "dossier", objectId: UUID(), details: ["run": run], by: actor("\(run)-after"))
        #expect(try await app.count("SELECT count(*) FROM audit_events WHERE request_id = \("\(run)-after")") == 1)
    }
}
