import PostgresClient
import Synchronization

/// Group commit for the audit events of reads: every caller still returns only once its event is committed,
/// but events that arrive while an insert is under way go to the database together in the next one
/// (one statement and one commit for many reads under load, exactly one per read when quiet).
///
/// The first caller to find no insert under way leads: it writes everything queued, then hands the lead to
/// the oldest caller still waiting, if any. No long-lived background task, nothing buffered past a caller's return.
final class AuditBatcher: Sendable {
    private enum Turn { case lead, written, failed(any Error) }
    private struct Waiting { let event: AuditEvent; let continuation: CheckedContinuation<Turn, Never> }
    private struct State { var queue: [Waiting] = []; var writing = false }

    private let pool: PostgresPool
    private let state = Mutex(State())
    /// Events per INSERT, so one statement's arrays stay small.
    static let maxBatch = 200

    init(pool: PostgresPool) { self.pool = pool }

    func record(_ event: AuditEvent) async throws {
        let turn = await withCheckedContinuation { (continuation: CheckedContinuation<Turn, Never>) in
            let lead = state.withLock { s -> Bool in
                s.queue.append(Waiting(event: event, continuation: continuation))
                if s.writing { return false }
                s.writing = true
                return true
            }
            if lead { continuation.resume(returning: .lead) }
        }
        switch turn {
        case .written: return
        case .failed(let error): throw error
        case .lead: try await writeQueued()
        }
    }

    /// Writes the queue's head (which holds the leader's own event), resumes those callers, passes the lead on.
    private func writeQueued() async throws {
        // The queue is never empty here: the leader's own event is its head.
        let batch = state.withLock { s -> [Waiting] in
            let batch = Array(s.queue.prefix(AuditBatcher.maxBatch))
            s.queue.removeFirst(batch.count)
            return batch
        }
        let outcomes = await write(batch.map(\.event))
        let next = state.withLock { s -> Waiting? in
            guard !s.queue.isEmpty else { s.writing = false; return nil }
            return s.queue[0]
        }
        for (waiting, outcome) in zip(batch, outcomes).dropFirst() {
            waiting.continuation.resume(returning: outcome.map { .failed($0) } ?? .written)
        }
        next?.continuation.resume(returning: .lead)
        if let outcome = outcomes[0] { throw outcome }
    }

    /// Writes the events, one error (or nil) per event. In a task of its own, so that the leader's request
    /// being cancelled (its client went away) does not fail the others' reads; and when the shared insert
    /// fails, each event is tried alone, so one unwritable event fails only its own read.
    private func write(_ events: [AuditEvent]) async -> [(any Error)?] {
        await Task {
            do {
                try await AuditLog.record(events, on: self.pool)
                return [(any Error)?](repeating: nil, count: events.count)
            } catch  where events.count > 1 {
                var outcomes: [(any Error)?] = []
                for event in events {
                    do { try await AuditLog.record([event], on: self.pool); outcomes.append(nil) } catch { outcomes.append(error) }
                }
                return outcomes
            } catch {
                return [error]
            }
        }.value
    }
}
