import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient

/// The course agenda's changes that need a decision: a course belongs to a course provider.
public struct CourseWorkflows: Sendable {
    let store: RegisterStore

    public init(store: RegisterStore) { self.store = store }

    /// A new course on the agenda of a course provider (and of no other kind of organisation).
    public func createCourse(providerId: UUID, _ fields: CourseFields, by actor: AuditActor) async throws -> CourseRecord {
        defer { store.courseAgendaChanged() }  // after the commit: this instance shows its own change at once
        return try await store.pool.withTransaction { conn in
            guard try await IdentityStore.organization(id: providerId, on: conn)?.kind == .courseProvider else {
                throw StoreError.refused([RegisterRefusals.notACourseProvider])
            }
            let course = try await RegisterStore.insertCourse(providerId: providerId, fields, on: conn)
            try await AuditLog.record(.create, objectType: "course", objectId: course.id, by: actor, on: conn)
            return course
        }
    }
}
