import KraamzorgRules
import Synchronization

/// The upcoming courses per norm, kept a few seconds: every dossier of the day asks for the same agenda
/// ("from today on"), and decoding it per request would cost more than the rest of the dossier.
/// The agenda is public data; a course change shows at once on the instance that made it and within
/// `maxAge` on the others.
final class AgendaCache: Sendable {
    struct Key: Hashable { let norm: String; let from: CivilDate }
    private struct Entry { let courses: [AgendaCourse]; let loadedAt: ContinuousClock.Instant }
    private struct State { var entries: [Key: Entry] = [:]; var generation = 0 }
    private let state = Mutex(State())
    static let maxAge: Duration = .seconds(10)
    /// Different `from` dates (asOf in the past) each take an entry; a full cache starts over.
    static let maxEntries = 64
    /// Courses kept per entry: callers ask for at most this many.
    static let maxCourses = 300

    /// The cached courses, or nil and the generation to hand back to `set` after loading.
    func lookup(_ key: Key) -> (courses: [AgendaCourse]?, generation: Int) {
        state.withLock { s in
            guard let entry = s.entries[key], ContinuousClock.now - entry.loadedAt < AgendaCache.maxAge else { return (nil, s.generation) }
            return (entry.courses, s.generation)
        }
    }

    /// Stores a load unless a course changed since it began (it may have read the old agenda).
    func set(_ courses: [AgendaCourse], for key: Key, loadedAtGeneration generation: Int) {
        state.withLock { s in
            guard s.generation == generation else { return }
            if s.entries.count >= AgendaCache.maxEntries { s.entries.removeAll(keepingCapacity: true) }
            s.entries[key] = Entry(courses: courses, loadedAt: .now)
        }
    }

    func clear() {
        state.withLock { s in
            s.entries.removeAll(keepingCapacity: true)
            s.generation += 1
        }
    }
}
