import FoundationEssentials
import KraamzorgRules
import PostgresClient
import DatesAndIDs

/// A practitioner as stored. Status and standing are derived with the rules (`RegisterStanding`).
public struct PractitionerRecord: Sendable, Equatable {
    public let id: UUID
    public let registrationNumber: String
    public let firstName: String
    public let lastName: String
    public let email: String
    public let dateOfBirth: CivilDate?
    public let diplomaObtainedOn: CivilDate?
    public let reentrant: Bool
    public let entryDeadline: CivilDate?
    public let struckOffOn: CivilDate?
    public let struckOffReason: String?
    public let deregisteredOn: CivilDate?
    public let createdAt: Date

    public var name: String { "\(firstName) \(lastName)" }
}

/// A period as stored, with the rules' value for evaluation.
public struct PeriodRecord: Sendable, Equatable {
    public let id: UUID
    public let practitionerId: UUID
    public let period: RegistrationPeriod
    public let submittedOn: CivilDate?
}

public struct PeriodDateChange: Sendable {
    public let id: UUID
    public let periodId: UUID
    public let kind: String
    public let oldStartDate: CivilDate
    public let oldEndDate: CivilDate
    public let oldEffectiveEndDate: CivilDate
    public let newStartDate: CivilDate
    public let newEndDate: CivilDate
    public let newEffectiveEndDate: CivilDate
    public let reason: String
    public let specialCircumstances: String?
    public let changedByName: String?
    public let changedAt: Date
}

public struct CertificateRecord: Sendable {
    public let id: UUID
    public let practitionerId: UUID
    public let periodId: UUID
    public let verificationCode: String
    public let registrationNumber: String
    public let name: String
    public let validFrom: CivilDate
    public let validUntil: CivilDate
    public let annotations: [String]
    public let issuedOn: CivilDate
}

public struct CourseRecord: Sendable {
    public let id: UUID
    public let providerId: UUID
    public let providerName: String
    public let externalId: String?
    public let title: String
    public let format: String
    public let startDate: CivilDate
    public let endDate: CivilDate?
    public let location: String?
    public let contact: String?
    /// In force (the accredited version's lines), or as proposed while the course was never accredited.
    public let lines: [AccreditationLine]
    public let deleted: Bool
    /// `pending`, `accredited` or `refused` (DOMAIN §3a): accredited while a version is in force.
    public let status: String
    /// The version in force for new bookings; nil until one is accredited.
    public let accreditedVersion: Int?
    /// Every version of its lines, oldest first.
    public let versions: [CourseVersion]

    /// The application awaiting a decision, if any.
    public var pendingVersion: CourseVersion? { versions.last { $0.status == "pending" } }
}

/// One version of a course's lines: an application and the register's decision on it.
public struct CourseVersion: Sendable, Decodable {
    public let version: Int
    public let status: String
    public let lines: [AccreditationLine]
    public let decidedAt: Date?
    public let reason: String?

    private enum Keys: String, CodingKey { case version, status, lines, decidedAt, reason }

    /// From the row's JSON: `decidedAt` as seconds since 1970.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        version = try c.decode(Int.self, forKey: .version)
        status = try c.decode(String.self, forKey: .status)
        lines = try c.decode([AccreditationLine].self, forKey: .lines)
        decidedAt = try c.decodeIfPresent(Double.self, forKey: .decidedAt).map { Date(timeIntervalSince1970: $0) }
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
    }
}

public struct AccreditationRecord: Sendable {
    public let id: UUID
    public let courseId: UUID
    public let courseTitle: String
    public let providerId: UUID
    public let practitionerId: UUID
    public let registrationNumber: String
    public let completedOn: CivilDate
    public let recordedAt: Date
    public let recordedOn: CivilDate
    public let late: Bool
    public let withdrawnAt: Date?
    public let lines: [AccreditationLine]

    public init(
        id: UUID, courseId: UUID, courseTitle: String, providerId: UUID, practitionerId: UUID, registrationNumber: String,
        completedOn: CivilDate, recordedAt: Date, recordedOn: CivilDate, late: Bool, withdrawnAt: Date?, lines: [AccreditationLine]
    ) {
        self.id = id; self.courseId = courseId; self.courseTitle = courseTitle; self.providerId = providerId
        self.practitionerId = practitionerId; self.registrationNumber = registrationNumber; self.completedOn = completedOn
        self.recordedAt = recordedAt; self.recordedOn = recordedOn; self.late = late; self.withdrawnAt = withdrawnAt; self.lines = lines
    }

    /// The rules' value: a fact with its course's lines.
    public var completion: Completion {
        Completion(
            id: id.lowercasedString, courseId: courseId.lowercasedString, courseTitle: courseTitle,
            completedOn: completedOn, recordedAt: recordedOn, withdrawn: withdrawnAt != nil, lines: lines)
    }
}

public struct EhboRecord: Sendable {
    public let id: UUID
    public let practitionerId: UUID
    public let obtainedOn: CivilDate
    public let validUntil: CivilDate
    public let status: EhboCertificate.Status
    public let contentType: String?
    public let fileSize: Int?
    public let reviewReason: String?
    public let reviewedAt: Date?
    public let createdAt: Date

    public var certificate: EhboCertificate {
        EhboCertificate(id: id.lowercasedString, obtainedOn: obtainedOn, validUntil: validUntil, status: status)
    }
}

public struct PeriodRequestRecord: Sendable {
    public let id: UUID
    public let practitionerId: UUID
    public let registrationNumber: String
    public let periodId: UUID
    public let kind: String
    public let until: CivilDate?
    public let nextStart: CivilDate?
    public let reason: String
    public let specialCircumstances: Bool
    public let status: String
    public let evidenceContentType: String?
    public let evidenceSize: Int?
    public let decisionMessage: String?
    public let decidedAt: Date?
    public let createdAt: Date
}

/// Registration numbers: canonical upper case, surrounding white space ignored (DOMAIN §1).
public enum RegistrationNumber {
    public static func canonical(_ raw: String) -> String { raw.trimmingSpaces().uppercased() }

    /// `KCKZ-` + 4 to 8 digits (imports keep their number when it matches).
    public static func isValid(_ canonical: String) -> Bool {
        guard canonical.hasPrefix("KCKZ-") else { return false }
        let digits = canonical.utf8.dropFirst(5)
        return (4...8).contains(digits.count) && digits.allSatisfy { $0 >= 48 && $0 <= 57 }
    }
}

// MARK: row decoding

enum RegisterColumns {
    static let practitioner = """
        p.id AS p_id, p.registration_number AS p_number, p.first_name AS p_first_name, p.last_name AS p_last_name,
        p.email AS p_email, p.date_of_birth::text AS p_dob, p.diploma_obtained_on::text AS p_diploma, p.reentrant AS p_reentrant,
        p.entry_deadline::text AS p_deadline, p.struck_off_on::text AS p_struck_on, p.struck_off_reason AS p_struck_reason,
        p.deregistered_on::text AS p_dereg_on, p.created_at AS p_created_at
        """
    static let period = """
        rp.id AS rp_id, rp.practitioner_id AS rp_practitioner_id, rp.start_date::text AS rp_start, rp.end_date::text AS rp_end,
        rp.extended_until::text AS rp_extended, rp.registered_on::text AS rp_registered_on, rp.norm_code AS rp_norm,
        rp.status AS rp_status, rp.submitted_on::text AS rp_submitted_on,
        (SELECT min(s.submitted_on) FROM submissions s WHERE s.period_id = rp.id)::text AS rp_first_submitted_on
        """
    static let certificate = """
        c.id AS c_id, c.practitioner_id AS c_practitioner_id, c.period_id AS c_period_id, c.verification_code AS c_code,
        c.registration_number AS c_number, c.name AS c_name, c.valid_from::text AS c_from, c.valid_until::text AS c_until,
        c.annotations AS c_annotations, c.issued_on::text AS c_issued_on
        """
    static let course = """
        co.id AS co_id, co.provider_id AS co_provider_id, o.name AS co_provider_name, co.external_id AS co_external_id,
        co.title AS co_title, co.format AS co_format, co.start_date::text AS co_start, co.end_date::text AS co_end,
        co.location AS co_location, co.contact AS co_contact, co.lines::text AS co_lines, (co.deleted_at IS NOT NULL) AS co_deleted,
        co.status AS co_status, co.accredited_version AS co_accredited_version,
        (SELECT json_agg(json_build_object('version', cv.version, 'status', cv.status, 'lines', cv.lines,
                                           'decidedAt', extract(epoch FROM cv.decided_at), 'reason', cv.reason) ORDER BY cv.version)::text
         FROM course_versions cv WHERE cv.course_id = co.id) AS co_versions
        """
    static let accreditation = """
        a.id AS a_id, a.course_id AS a_course_id, co.title AS a_course_title, co.provider_id AS a_provider_id,
        a.practitioner_id AS a_practitioner_id, p.registration_number AS a_number, a.completed_on::text AS a_completed_on,
        a.recorded_at AS a_recorded_at, a.recorded_on::text AS a_recorded_on, a.late AS a_late, a.withdrawn_at AS a_withdrawn_at,
        (SELECT cv.lines::text FROM course_versions cv WHERE cv.course_id = a.course_id AND cv.version = a.course_version) AS a_lines
        """
    static let ehbo = """
        e.id AS e_id, e.practitioner_id AS e_practitioner_id, e.obtained_on::text AS e_obtained_on, e.valid_until::text AS e_valid_until,
        e.status AS e_status, e.content_type AS e_content_type, e.file_size AS e_file_size, e.review_reason AS e_review_reason,
        e.reviewed_at AS e_reviewed_at, e.created_at AS e_created_at
        """
    static let periodRequest = """
        r.id AS r_id, r.practitioner_id AS r_practitioner_id, p.registration_number AS r_number, r.period_id AS r_period_id,
        r.kind AS r_kind, r.until::text AS r_until, r.next_start::text AS r_next_start, r.reason AS r_reason,
        r.special_circumstances AS r_special, r.status AS r_status, r.evidence_content_type AS r_evidence_type,
        r.evidence_size AS r_evidence_size, r.decision_message AS r_decision_message, r.decided_at AS r_decided_at,
        r.created_at AS r_created_at
        """
}

struct CorruptRow: Error, CustomStringConvertible {
    let what: String
    var description: String { "a stored row could not be read: \(what)" }
}

extension PostgresRow {
    func date(_ column: String) throws -> CivilDate {
        guard let d = CivilDate(iso: try decode(column, as: String.self)) else { throw CorruptRow(what: column) }
        return d
    }

    func optionalDate(_ column: String) throws -> CivilDate? {
        guard let text = try decode(column, as: String?.self) else { return nil }
        guard let d = CivilDate(iso: text) else { throw CorruptRow(what: column) }
        return d
    }

    func lines(_ column: String) throws -> [AccreditationLine] {
        try CourseLinesMemo.lines(try decode(column, as: String.self))
    }
}

extension PractitionerRecord {
    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode("p_id"), registrationNumber: try row.decode("p_number"),
            firstName: try row.decode("p_first_name"), lastName: try row.decode("p_last_name"),
            email: try row.decode("p_email"), dateOfBirth: try row.optionalDate("p_dob"),
            diplomaObtainedOn: try row.optionalDate("p_diploma"), reentrant: try row.decode("p_reentrant"),
            entryDeadline: try row.optionalDate("p_deadline"), struckOffOn: try row.optionalDate("p_struck_on"),
            struckOffReason: try row.decode("p_struck_reason"), deregisteredOn: try row.optionalDate("p_dereg_on"),
            createdAt: try row.decode("p_created_at"))
    }
}

extension PeriodRecord {
    init(row: PostgresRow) throws {
        let id: UUID = try row.decode("rp_id")
        guard let status = PeriodStatus(rawValue: try row.decode("rp_status", as: String.self)) else { throw CorruptRow(what: "rp_status") }
        self.init(
            id: id, practitionerId: try row.decode("rp_practitioner_id"),
            period: RegistrationPeriod(
                id: id.lowercasedString, startDate: try row.date("rp_start"),
                endDate: try row.date("rp_end"), extendedUntil: try row.optionalDate("rp_extended"),
                registeredOn: try row.date("rp_registered_on"), normCode: try row.decode("rp_norm"),
                status: status, firstSubmittedOn: try row.optionalDate("rp_first_submitted_on")),
            submittedOn: try row.optionalDate("rp_submitted_on"))
    }
}

extension CertificateRecord {
    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode("c_id"), practitionerId: try row.decode("c_practitioner_id"), periodId: try row.decode("c_period_id"),
            verificationCode: try row.decode("c_code"), registrationNumber: try row.decode("c_number"),
            name: try row.decode("c_name"), validFrom: try row.date("c_from"), validUntil: try row.date("c_until"),
            annotations: try row.decode("c_annotations"), issuedOn: try row.date("c_issued_on"))
    }
}

extension CourseRecord {
    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode("co_id"), providerId: try row.decode("co_provider_id"), providerName: try row.decode("co_provider_name"),
            externalId: try row.decode("co_external_id"), title: try row.decode("co_title"), format: try row.decode("co_format"),
            startDate: try row.date("co_start"), endDate: try row.optionalDate("co_end"), location: try row.decode("co_location"),
            contact: try row.decode("co_contact"), lines: try row.lines("co_lines"), deleted: try row.decode("co_deleted"),
            status: try row.decode("co_status"), accreditedVersion: try row.decode("co_accredited_version"),
            versions: try JSONDecoder().decode(
                [CourseVersion].self, from: Data((try row.decode("co_versions", as: String?.self) ?? "[]").utf8)))
    }
}

extension AccreditationRecord {
    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode("a_id"), courseId: try row.decode("a_course_id"), courseTitle: try row.decode("a_course_title"),
            providerId: try row.decode("a_provider_id"), practitionerId: try row.decode("a_practitioner_id"),
            registrationNumber: try row.decode("a_number"), completedOn: try row.date("a_completed_on"),
            recordedAt: try row.decode("a_recorded_at"), recordedOn: try row.date("a_recorded_on"), late: try row.decode("a_late"),
            withdrawnAt: try row.decode("a_withdrawn_at"), lines: try row.lines("a_lines"))
    }
}

extension EhboRecord {
    init(row: PostgresRow) throws {
        guard let status = EhboCertificate.Status(rawValue: try row.decode("e_status", as: String.self)) else {
            throw CorruptRow(what: "e_status")
        }
        self.init(
            id: try row.decode("e_id"), practitionerId: try row.decode("e_practitioner_id"), obtainedOn: try row.date("e_obtained_on"),
            validUntil: try row.date("e_valid_until"), status: status, contentType: try row.decode("e_content_type"),
            fileSize: try row.decode("e_file_size"), reviewReason: try row.decode("e_review_reason"),
            reviewedAt: try row.decode("e_reviewed_at"), createdAt: try row.decode("e_created_at"))
    }
}

extension PeriodRequestRecord {
    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode("r_id"), practitionerId: try row.decode("r_practitioner_id"), registrationNumber: try row.decode("r_number"),
            periodId: try row.decode("r_period_id"), kind: try row.decode("r_kind"), until: try row.optionalDate("r_until"),
            nextStart: try row.optionalDate("r_next_start"), reason: try row.decode("r_reason"),
            specialCircumstances: try row.decode("r_special"), status: try row.decode("r_status"),
            evidenceContentType: try row.decode("r_evidence_type"), evidenceSize: try row.decode("r_evidence_size"),
            decisionMessage: try row.decode("r_decision_message"), decidedAt: try row.decode("r_decided_at"),
            createdAt: try row.decode("r_created_at"))
    }
}
