import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import DatesAndIDs

/// The course agenda's changes that need a decision: a course belongs to a course provider, and the register
/// decides what it is worth (DOMAIN §3a). A provider's course is an application (`pending`) until register
/// staff accredit it (lines as approved) or refuse it; the register's own courses and line changes are
/// accredited at once. A booked completion keeps the version it was booked under.
public struct CourseWorkflows: Sendable {
    let store: RegisterStore

    public init(store: RegisterStore) { self.store = store }

    /// The register's decision on an application.
    public enum Decision: Sendable {
        /// Accredit, with the lines as approved (nil: as proposed).
        case accredit(lines: [AccreditationLine]?)
        case refuse(reason: String)
    }

    /// A new course of a course provider (and of no other kind of organisation): an application, or accredited
    /// at once when the register (`byRegister`) creates it.
    public func createCourse(providerId: UUID, _ fields: CourseFields, byRegister: Bool, by actor: AuditActor) async throws
        -> CourseRecord
    {
        defer { store.courseAgendaChanged() }  // after the commit: this instance shows its own change at once
        return try await store.pool.withTransaction { conn in
            guard try await IdentityStore.organization(id: providerId, on: conn)?.kind == .courseProvider else {
                throw StoreError.refused([RegisterRefusals.notACourseProvider])
            }
            let course = try await RegisterStore.insertCourse(providerId: providerId, fields, accredited: byRegister, by: actor, on: conn)
            try await AuditLog.record(.create, objectType: "course", objectId: course.id, by: actor, on: conn)
            return course
        }
    }

    /// Changes a course. Title, dates, place and the like change freely. New lines (`newLines`, when they differ
    /// from the latest version's) are a new application by a provider: an application still pending is amended,
    /// otherwise a new `pending` version opens and the accredited one stays in force until it is decided. The
    /// register's own change of lines is accredited at once (and so decides a pending application).
    public func updateCourse(id: UUID, _ fields: CourseFields, newLines: [AccreditationLine]?, byRegister: Bool, by actor: AuditActor)
        async throws -> CourseRecord
    {
        defer { store.courseAgendaChanged() }
        return try await store.pool.withTransaction { conn in
            guard let course = try await RegisterStore.course(id: id, lock: true, on: conn), !course.deleted else {
                throw StoreError.notFound("course")
            }
            try await RegisterStore.updateCourseFields(id: id, fields, on: conn)
            let pending = course.pendingVersion
            if let lines = newLines, lines != (pending?.lines ?? course.lines) {
                let version: Int
                if let pending {
                    version = pending.version
                    if byRegister {
                        try await RegisterStore.decideVersion(
                            courseId: id, version: version, accredited: true, lines: lines, reason: nil, by: actor, on: conn)
                    } else {
                        try await RegisterStore.amendPendingVersion(courseId: id, version: version, lines: lines, on: conn)
                    }
                } else {
                    version = (course.versions.map(\.version).max() ?? 0) + 1
                    try await RegisterStore.insertVersion(
                        courseId: id, version: version, lines: lines, accredited: byRegister, by: actor, on: conn)
                }
                if byRegister {
                    try await RegisterStore.setInForce(courseId: id, status: "accredited", version: version, lines: lines, on: conn)
                    try await CourseWorkflows.tell(course, .accredit(lines: lines), version: version, proposed: lines, on: conn)
                } else if course.accreditedVersion == nil {
                    // Never accredited: the course shows the lines it applies with.
                    try await RegisterStore.setInForce(courseId: id, status: "pending", version: nil, lines: lines, on: conn)
                }
            }
            try await AuditLog.record(.update, objectType: "course", objectId: id, by: actor, on: conn)
            guard let updated = try await RegisterStore.course(id: id, lock: false, on: conn) else { throw StoreError.notFound("course") }
            return updated
        }
    }

    /// Register staff decide the course's pending application; the provider is told by email and event.
    /// 404 for an unknown (or deleted) course, 409 when nothing awaits a decision.
    public func review(courseId: UUID, _ decision: Decision, by actor: AuditActor) async throws -> CourseRecord {
        defer { store.courseAgendaChanged() }
        return try await store.pool.withTransaction { conn in
            guard let course = try await RegisterStore.course(id: courseId, lock: true, on: conn), !course.deleted else {
                throw StoreError.notFound("course")
            }
            guard let pending = course.pendingVersion else { throw StoreError.conflict(RegisterRefusals.noPendingApplication(course)) }
            switch decision {
            case .accredit(let approved):
                let lines = approved ?? pending.lines
                try await RegisterStore.decideVersion(
                    courseId: courseId, version: pending.version, accredited: true, lines: lines, reason: nil, by: actor, on: conn)
                try await RegisterStore.setInForce(
                    courseId: courseId, status: "accredited", version: pending.version, lines: lines, on: conn)
                try await CourseWorkflows.tell(course, .accredit(lines: lines), version: pending.version, proposed: pending.lines, on: conn)
            case .refuse(let reason):
                try await RegisterStore.decideVersion(
                    courseId: courseId, version: pending.version, accredited: false, lines: nil, reason: reason, by: actor, on: conn)
                if course.accreditedVersion == nil {
                    try await RegisterStore.setInForce(courseId: courseId, status: "refused", version: nil, lines: course.lines, on: conn)
                }
                try await CourseWorkflows.tell(course, decision, version: pending.version, proposed: pending.lines, on: conn)
            }
            try await AuditLog.record(.update, objectType: "course", objectId: courseId, by: actor, on: conn)
            guard let decided = try await RegisterStore.course(id: courseId, lock: false, on: conn) else {
                throw StoreError.notFound("course")
            }
            return decided
        }
    }

    /// Takes the course off the agenda; a course with bookings is never deleted (409).
    public func deleteCourse(id: UUID, by actor: AuditActor) async throws {
        defer { store.courseAgendaChanged() }
        try await store.pool.withTransaction { conn in
            guard let course = try await RegisterStore.course(id: id, lock: true, on: conn), !course.deleted else {
                throw StoreError.notFound("course")
            }
            let bookings = try await RegisterStore.bookingCount(courseId: id, on: conn)
            guard bookings == 0 else { throw StoreError.conflict(RegisterRefusals.courseHasBookings(bookings)) }
            try await RegisterStore.markCourseDeleted(id: id, on: conn)
            try await AuditLog.record(.delete, objectType: "course", objectId: id, by: actor, on: conn)
        }
    }

    /// The provider is told the decision: an email to its members and a domain event for its systems.
    static func tell(_ course: CourseRecord, _ decision: Decision, version: Int, proposed: [AccreditationLine], on conn: PostgresConnection)
        async throws
    {
        let message: Message
        var data = ["courseId": course.id.lowercasedString, "version": String(version)]
        let kind: DomainEvents.Kind
        switch decision {
        case .accredit(let lines):
            let approved = lines ?? proposed
            message = CourseMessages.accredited(course, version: version, lines: approved, changed: approved != proposed)
            kind = .courseAccredited
        case .refuse(let reason):
            message = CourseMessages.refused(course, version: version, reason: reason, stillInForce: course.accreditedVersion)
            kind = .courseRefused
            data["reason"] = reason
        }
        try await Outbox.enqueueToOrganizations(
            .reviewOutcome, [course.providerId], clientId: nil, subject: message.subject, body: message.body, on: conn)
        try await DomainEvents.record(kind, organizationId: course.providerId, data: data, on: conn)
    }
}
