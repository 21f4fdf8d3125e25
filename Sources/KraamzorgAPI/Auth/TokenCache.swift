import FoundationEssentials
import KraamzorgStore
import Synchronization

/// Token hash → principal, for a short while, so that a request does not look its token up in the database.
///
/// **Revocation stays immediate.** Every change that can take a token's rights away (a token revoked or its expiry
/// changed, a membership changed or revoked, a user deactivated, an organisation changed) commits a `NOTIFY` on
/// `authChannel` (triggers of migration 0017, in the changing transaction). Each instance keeps one connection that
/// `LISTEN`s (`AuthNotifications`) and empties this cache the moment a notification arrives. While that connection
/// is not listening (not yet connected, broken, reconnecting) the cache is not used at all, and it is emptied again
/// when listening resumes, since notifications sent meanwhile are lost.
///
/// A lookup that raced with a notification (read from the database before it, stored after it) is not stored: each
/// emptying advances `generation`, and `store` only keeps what was read in the current one.
///
/// One `Mutex` around a dictionary, held for a lookup or an insert only (never across an await).
final class TokenCache: Sendable {
    static let authChannel = "kraamzorg_auth"

    struct Entry: Sendable {
        var principal: Principal
        var storedAt: ContinuousClock.Instant
        /// When this instance last recorded the token's use (`last_used_at`); nil: not since it was cached.
        var touchedAt: Date?
    }

    private struct State: Sendable {
        var entries: [[UInt8]: Entry] = [:]
        var generation: UInt64 = 0
        var listening = false
    }

    let timeToLive: Duration
    let capacity: Int
    private let state = Mutex(State())

    init(timeToLive: Duration = .seconds(30), capacity: Int = 10_000) {
        self.timeToLive = timeToLive
        self.capacity = max(1, capacity)
    }

    /// A lookup's answer: the cached principal, or the generation to store a fresh one under (nil: do not store).
    enum Lookup {
        case hit(Entry)
        case miss(generation: UInt64?)
    }

    func lookup(_ tokenHash: [UInt8], now: Date = Date()) -> Lookup {
        let instant = ContinuousClock.now
        return state.withLock { state in
            guard state.listening else { return .miss(generation: nil) }
            if let entry = state.entries[tokenHash] {
                if entry.storedAt.duration(to: instant) < timeToLive && (entry.principal.tokenExpiresAt.map { $0 > now } ?? true) {
                    return .hit(entry)
                }
                state.entries[tokenHash] = nil
            }
            return .miss(generation: state.generation)
        }
    }

    /// Keeps `principal` unless the cache was emptied since `generation` was handed out.
    func store(_ tokenHash: [UInt8], _ principal: Principal, generation: UInt64, touchedAt: Date?) {
        let instant = ContinuousClock.now
        state.withLock { state in
            guard state.listening, state.generation == generation else { return }
            if state.entries.count >= capacity && state.entries[tokenHash] == nil {
                let ttl = timeToLive
                state.entries = state.entries.filter { $0.value.storedAt.duration(to: instant) < ttl }
                if state.entries.count >= capacity { state.entries.remove(at: state.entries.startIndex) }
            }
            state.entries[tokenHash] = Entry(principal: principal, storedAt: instant, touchedAt: touchedAt)
        }
    }

    /// Notes that this instance recorded the token's use at `date`.
    func markTouched(_ tokenHash: [UInt8], at date: Date) {
        state.withLock { state in state.entries[tokenHash]?.touchedAt = date }
    }

    /// Forgets every entry (a notification arrived, or this instance changed an identity itself).
    func empty() {
        state.withLock { state in
            state.entries.removeAll(keepingCapacity: true)
            state.generation &+= 1
        }
    }

    /// Whether the cache may be used: only while the notification connection listens. Either way it starts empty.
    func setListening(_ listening: Bool) {
        state.withLock { state in
            state.listening = listening
            state.entries.removeAll(keepingCapacity: true)
            state.generation &+= 1
        }
    }

    var isListening: Bool { state.withLock { $0.listening } }
    var count: Int { state.withLock { $0.entries.count } }
}
