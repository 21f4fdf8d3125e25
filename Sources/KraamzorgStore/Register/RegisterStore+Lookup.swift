import FoundationEssentials
import Hashing
import JSONInput
import KraamzorgRules
import PostgresClient
import Synchronization
import DatesAndIDs

extension RegisterStore {
    // MARK: certificates

    public func certificates(practitionerId: UUID) async throws -> [CertificateRecord] {
        let rows = try await pool.query(
            """
            SELECT \(unsafeRaw: RegisterColumns.certificate) FROM certificates c WHERE c.practitioner_id = \(practitionerId)
            ORDER BY c.issued_on, c.created_at
            """)
        return try rows.map(CertificateRecord.init(row:))
    }

    public func certificate(code: String) async throws -> CertificateRecord? {
        let rows = try await pool.query(
            "SELECT \(unsafeRaw: RegisterColumns.certificate) FROM certificates c WHERE c.verification_code = \(code)")
        return try rows.first.map(CertificateRecord.init(row:))
    }

    // MARK: public lookup

    /// Practitioners with their periods and certificates, for many registration numbers at once.
    public func lookup(numbers: [String]) async throws -> [String: (PractitionerRecord, [PeriodRecord], [CertificateRecord])] {
        guard !numbers.isEmpty else { return [:] }
        let pRows = try await pool.query(
            "SELECT \(unsafeRaw: RegisterColumns.practitioner) FROM practitioners p WHERE p.registration_number = ANY(\(numbers))")
        let practitioners = try pRows.map(PractitionerRecord.init(row:))
        guard !practitioners.isEmpty else { return [:] }
        let ids = practitioners.map(\.id)
        let periods = try await self.periods(practitionerIds: ids)
        let cRows = try await pool.query(
            """
            SELECT \(unsafeRaw: RegisterColumns.certificate) FROM certificates c WHERE c.practitioner_id = ANY(\(ids))
            ORDER BY c.valid_from, c.created_at
            """)
        var certificates: [UUID: [CertificateRecord]] = [:]
        for row in cRows {
            let c = try CertificateRecord(row: row)
            certificates[c.practitionerId, default: []].append(c)
        }
        var result: [String: (PractitionerRecord, [PeriodRecord], [CertificateRecord])] = [:]
        for p in practitioners { result[p.registrationNumber] = (p, periods[p.id] ?? [], certificates[p.id] ?? []) }
        return result
    }

    /// One practitioner for the public lookup: a single statement, batched with other lookups (`sharedRead`).
    public func lookup(number: String) async throws -> (PractitionerRecord, [PeriodRecord], [CertificateRecord])? {
        let rows = try await pool.sharedRead(
            """
            SELECT \(unsafeRaw: RegisterColumns.practitioner),
                   (SELECT coalesce(json_agg(json_build_array(rp.id, rp.start_date, rp.end_date, rp.extended_until, rp.registered_on, rp.norm_code, rp.status,
                                                                (SELECT min(s.submitted_on) FROM submissions s WHERE s.period_id = rp.id))
                                              ORDER BY rp.start_date), '[]')::text
                    FROM registration_periods rp WHERE rp.practitioner_id = p.id) AS periods,
                   (SELECT coalesce(json_agg(json_build_array(c.id, c.period_id, c.verification_code, c.valid_from, c.valid_until, c.annotations, c.issued_on, c.name)
                                              ORDER BY c.valid_from, c.created_at), '[]')::text
                    FROM certificates c WHERE c.practitioner_id = p.id) AS certificates
            FROM practitioners p WHERE p.registration_number = \(number)
            """)
        guard let row = rows.first else { return nil }
        let p = try PractitionerRecord(row: row)
        // Read with the project's own JSON reader, not `JSONDecoder`: that was the costliest part of the lookup in user space.
        var periods: [PeriodRecord] = []
        for a in try Self.jsonRows(row, "periods") {
            guard a.count == 8, let id = a[0].string.flatMap(UUID.init(uuidString:)), let start = a[1].date, let end = a[2].date,
                let registered = a[4].date, let norm = a[5].string, let status = a[6].string.flatMap(PeriodStatus.init(rawValue:))
            else {
                throw CorruptRow(what: "periods")
            }
            periods.append(
                PeriodRecord(
                    id: id, practitionerId: p.id,
                    period: RegistrationPeriod(
                        id: id.lowercasedString, startDate: start, endDate: end,
                        extendedUntil: a[3].date, registeredOn: registered, normCode: norm, status: status,
                        firstSubmittedOn: a[7].date),
                    submittedOn: nil))
        }
        var certificates: [CertificateRecord] = []
        for a in try Self.jsonRows(row, "certificates") {
            guard a.count == 8, let id = a[0].string.flatMap(UUID.init(uuidString:)),
                let periodId = a[1].string.flatMap(UUID.init(uuidString:)),
                let code = a[2].string, let from = a[3].date, let until = a[4].date, let issued = a[6].date, let name = a[7].string
            else {
                throw CorruptRow(what: "certificates")
            }
            certificates.append(
                CertificateRecord(
                    id: id, practitionerId: p.id, periodId: periodId, verificationCode: code,
                    registrationNumber: p.registrationNumber, name: name, validFrom: from, validUntil: until,
                    annotations: a[5].strings, issuedOn: issued))
        }
        return (p, periods, certificates)
    }
}

extension RegisterStore {
    /// A `json_agg` of `json_build_array`s: its rows, each an array of values.
    fileprivate static func jsonRows(_ row: PostgresRow, _ column: String) throws -> [[JSONValue]] {
        let text = try row.decode(column, as: String.self)
        guard case .array(let rows) = try? JSONReader.parse(Array(text.utf8)).root else { throw CorruptRow(what: column) }
        return try rows.map { value in
            guard case .array(let elements) = value else { throw CorruptRow(what: column) }
            return elements
        }
    }
}

/// A `json_build_array` element as the lookup reads it.
extension JSONValue {
    fileprivate var string: String? { if case .string(let s) = self { return s }; return nil }
    fileprivate var date: CivilDate? { string.flatMap { CivilDate(iso: $0) } }
    /// A `text[]` (annotations); null, or an array with a null in it: none.
    fileprivate var strings: [String] {
        guard case .array(let elements) = self else { return [] }
        let strings = elements.compactMap(\.string)
        return strings.count == elements.count ? strings : []
    }
}
