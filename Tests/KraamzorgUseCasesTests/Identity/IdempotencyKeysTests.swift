import FoundationEssentials
import KraamzorgRules
import KraamzorgStore
import PostgresClient
import Testing

/// The store behind `Idempotency-Key`: claims, answers, mismatches, and the 24 hours, with the clock driven.
/// Serialized: a claim deletes every expired key, so one test's late clock would expire the other's keys.
@Suite(.serialized) struct IdempotencyKeysTests {
    static let t0 = Date(timeIntervalSince1970: 1_900_000_000)

    func membership(_ pool: PostgresPool) async throws -> UUID {
        let org = try await IdentityUseCaseFixtures.organization(.insurer, pool)
        return try await IdentityUseCaseFixtures.member(.init(organizationId: org.id, role: .insurer, avgAccess: false), pool).id
    }

    @Test func aKeyIsClaimedOnceThenReplayedUntilItExpires() async throws {
        let pool = try await IdentityUseCaseFixtures.pool()
        let keys = IdempotencyKeys(pool: pool)
        let m = try await membership(pool), key = "k-\(UUID().uuidString)"
        let hash = [UInt8](repeating: 7, count: 32), other = [UInt8](repeating: 8, count: 32)
        #expect(try await keys.claim(membershipId: m, key: key, requestHash: hash, now: Self.t0) == .claimed)
        // Still running: the same request waits, another is refused.
        #expect(try await keys.claim(membershipId: m, key: key, requestHash: hash, now: Self.t0.addingTimeInterval(1)) == .inProgress)
        #expect(try await keys.claim(membershipId: m, key: key, requestHash: other, now: Self.t0.addingTimeInterval(1)) == .mismatch)
        let answer = IdempotencyKeys.StoredResponse(
            status: 201, headers: [("Content-Type", "application/json"), ("Location", "/v1/x/1")], body: Array(#"{"id":1}"#.utf8))
        try await keys.complete(membershipId: m, key: key, response: answer)
        #expect(
            try await keys.claim(membershipId: m, key: key, requestHash: hash, now: Self.t0.addingTimeInterval(23 * 3600))
                == .replay(answer))
        // Another membership's key of the same name is its own.
        let n = try await membership(pool)
        #expect(try await keys.claim(membershipId: n, key: key, requestHash: other, now: Self.t0) == .claimed)
        // After 24 hours it is gone (deleted on the next claim) and the request runs again.
        let later = Self.t0.addingTimeInterval(24 * 3600 + 1)
        #expect(try await keys.claim(membershipId: m, key: key, requestHash: other, now: later) == .claimed)
        #expect(
            try await IdentityUseCaseFixtures.count(
                pool, "SELECT count(*) AS n FROM idempotency_keys WHERE membership_id = \(m) AND created_at < \(later)") == 0)
    }

    @Test func anAnswerThatIsNotFinalReleasesTheKeyAndAnAbandonedClaimIsTakenOver() async throws {
        let pool = try await IdentityUseCaseFixtures.pool()
        let keys = IdempotencyKeys(pool: pool)
        let m = try await membership(pool), key = "r-\(UUID().uuidString)", hash = [UInt8](repeating: 1, count: 32)
        #expect(try await keys.claim(membershipId: m, key: key, requestHash: hash, now: Self.t0) == .claimed)
        try await keys.release(membershipId: m, key: key)
        #expect(try await keys.claim(membershipId: m, key: key, requestHash: hash, now: Self.t0) == .claimed)
        // A claim whose request died is taken over after two minutes, not kept a day.
        #expect(try await keys.claim(membershipId: m, key: key, requestHash: hash, now: Self.t0.addingTimeInterval(60)) == .inProgress)
        #expect(try await keys.claim(membershipId: m, key: key, requestHash: hash, now: Self.t0.addingTimeInterval(121)) == .claimed)
    }
}
