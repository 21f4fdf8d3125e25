import FoundationEssentials
import KraamzorgRules
import PostgresClient

// Decoding of identity rows. Column lists live next to the decoders so they cannot drift apart.

enum IdentityColumns {
    static let organization =
        "o.id AS org_id, o.kind AS org_kind, o.name AS org_name, o.parent_id AS org_parent_id, o.agb_code AS org_agb_code, o.kvk_number AS org_kvk_number, o.created_at AS org_created_at, o.contact_phone AS org_contact_phone, o.contact_email AS org_contact_email, o.contact_website AS org_contact_website"
    static let user =
        "u.id AS user_id, u.name AS user_name, u.email AS user_email, u.created_at AS user_created_at, u.revoked_at AS user_revoked_at"
    static let membership =
        "m.id AS m_id, m.user_id AS m_user_id, m.organization_id AS m_organization_id, m.role AS m_role, m.avg_access AS m_avg_access, m.manager AS m_manager, m.practitioner_id AS m_practitioner_id, m.region_ids AS m_region_ids, m.created_at AS m_created_at, m.revoked_at AS m_revoked_at"
}

struct UnknownEnumValue: Error, CustomStringConvertible {
    let column: String
    var description: String { "unknown value in column \(column)" }
}

extension Organization {
    init(row: PostgresRow) throws {
        guard let kind = OrganizationKind(rawValue: try row.decode("org_kind", as: String.self)) else {
            throw UnknownEnumValue(column: "organizations.kind")
        }
        self.init(
            id: try row.decode("org_id"), kind: kind, name: try row.decode("org_name"),
            parentId: try row.decode("org_parent_id"), agbCode: try row.decode("org_agb_code"),
            kvkNumber: try row.decode("org_kvk_number"), createdAt: try row.decode("org_created_at"),
            contact: OrganizationContact(
                phone: try row.decode("org_contact_phone"), email: try row.decode("org_contact_email"),
                website: try row.decode("org_contact_website")))
    }
}

extension User {
    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode("user_id"), name: try row.decode("user_name"), email: try row.decode("user_email"),
            createdAt: try row.decode("user_created_at"), revokedAt: try row.decode("user_revoked_at"))
    }
}

extension Membership {
    init(row: PostgresRow) throws {
        guard let role = Role(rawValue: try row.decode("m_role", as: String.self)) else {
            throw UnknownEnumValue(column: "memberships.role")
        }
        self.init(
            id: try row.decode("m_id"), userId: try row.decode("m_user_id"), organizationId: try row.decode("m_organization_id"),
            role: role, avgAccess: try row.decode("m_avg_access"), manager: try row.decode("m_manager"),
            practitionerId: try row.decode("m_practitioner_id"), regionIds: try row.decode("m_region_ids"),
            createdAt: try row.decode("m_created_at"), revokedAt: try row.decode("m_revoked_at"))
    }
}
