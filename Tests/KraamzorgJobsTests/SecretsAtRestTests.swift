import Foundation
import Hashing
import KraamzorgJobs
import KraamzorgStore
import PostgresClient
import Testing
import TestSupport

/// DOMAIN §8, second round: a link token is not at rest in plain text once its message is sent (or given
/// up on), and webhook secrets are derived from a key outside the database, not stored.
@Suite struct SecretsAtRestTests {
    /// An invitation-like message with a link to `token`; returns its id.
    func enqueueLink(_ db: JobsDatabase, token: String) async throws -> UUID {
        try await db.pool.withConnection { conn in
            try await Outbox.enqueue(
                .invitation, to: "\(token.prefix(6))@example.nl", clientId: nil, subject: "Uitnodiging", body: "Beste,",
                link: "https://kraamzorg.test/uitnodiging/\(token)", on: conn)
            return try await conn.query("SELECT id FROM notifications ORDER BY created_at DESC LIMIT 1")[0].decode("id", as: UUID.self)
        }
    }

    func link(_ db: JobsDatabase, _ id: UUID) async throws -> String? {
        try await db.pool.query("SELECT link FROM notifications WHERE id = \(id)")[0].decode("link", as: String?.self)
    }

    @Test func aSentMessageNoLongerHoldsItsLinkButTheMailCarriedIt() async throws {
        let db = try await JobsDatabase.make()
        let sink = try SMTPSink()
        defer { sink.stop() }
        let token = SecretToken.generate()
        let id = try await enqueueLink(db, token: token)
        // Pending: the link is what the mail needs.
        #expect(try await link(db, id) == "https://kraamzorg.test/uitnodiging/\(token)")

        #expect(try await db.sender(sink: sink).runOnce(now: Date()).sent == 1)
        #expect(sink.messages.first?.decodedBody.contains("https://kraamzorg.test/uitnodiging/\(token)") == true)
        #expect(try await link(db, id) == nil)
        #expect(
            try await db.count("SELECT count(*) FROM notifications WHERE link LIKE \("%" + token + "%") OR body LIKE \("%" + token + "%")")
                == 0)
        await db.close()
    }

    @Test func aMessageGivenUpOnDropsItsLinkWhileOneToBeRetriedKeepsIt() async throws {
        let db = try await JobsDatabase.make()
        let doomed = try await enqueueLink(db, token: SecretToken.generate())
        let retried = try await enqueueLink(db, token: SecretToken.generate())
        let delivery = OutboxDelivery(pool: db.pool, policy: RetryPolicy(maxAttempts: 3, base: .seconds(60), lease: .seconds(120)))
        let instance = UUID(), now = Date()
        #expect(try await delivery.claim(instance: instance, now: now).count == 2)
        // 550 mailbox unknown: permanent, failed at once.
        try await delivery.markFailed(doomed, instance: instance, attempts: 1, error: "550 no such user", permanent: true, now: now)
        // 451 try later: pending, retried after the backoff, so it keeps the link it will be sent with.
        try await delivery.markFailed(retried, instance: instance, attempts: 1, error: "451 later", permanent: false, now: now)
        #expect(try await link(db, doomed) == nil)
        #expect(try await link(db, retried) != nil)

        // Out of attempts: failed, and the link goes with it.
        var t = now
        for attempt in 2...3 {
            t = t.addingTimeInterval(3600)
            #expect(try await delivery.claim(instance: instance, now: t).map(\.id) == [retried])
            try await delivery.markFailed(retried, instance: instance, attempts: attempt, error: "451 later", permanent: false, now: t)
        }
        #expect(try await db.statuses() == ["failed": 2])
        #expect(try await link(db, retried) == nil)
        await db.close()
    }

    @Test func theDatabaseRefusesALinkOnAMessageThatIsNotPending() async throws {
        let db = try await JobsDatabase.make()
        let id = try await enqueueLink(db, token: SecretToken.generate())
        await #expect(throws: PostgresError.self) {
            try await db.pool.execute("UPDATE notifications SET status = 'sent' WHERE id = \(id)")
        }
        #expect(try await db.pool.execute("UPDATE notifications SET status = 'sent', link = NULL WHERE id = \(id)") == 1)
        await db.close()
    }

    @Test func aWebhookSecretIsDerivedFromTheServerKeyTheSubscriptionAndItsSaltAndItsRowHoldsNoSecret() async throws {
        let db = try await JobsDatabase.make()
        let org = try await db.registerOrganizationId()
        let a = try await db.webhooks().create(
            organizationId: org, url: "http://127.0.0.1:9/a", eventTypes: ["client.placed"], createdBy: nil)
        let b = try await db.webhooks().create(
            organizationId: org, url: "http://127.0.0.1:9/b", eventTypes: ["client.placed"], createdBy: nil)
        #expect(a.secret.hasPrefix("whsec_") && a.secret.count == 6 + 43)
        #expect(a.secret != b.secret)

        let row = try await db.pool.query(
            "SELECT secret_salt, row_to_json(s)::text AS whole FROM webhook_subscriptions s WHERE id = \(a.subscription.id)")[0]
        let salt = try row.decode("secret_salt", as: String.self)
        #expect(salt.count >= 16)
        #expect(db.webhookKey.secret(subscriptionId: a.subscription.id, salt: salt) == a.secret)
        // Neither the secret nor its random part is in the row; another key makes another secret.
        let whole = try row.decode("whole", as: String.self)
        #expect(!whole.contains(a.secret) && !whole.contains(String(a.secret.dropFirst(6))))
        #expect(WebhookSecretKey.random().secret(subscriptionId: a.subscription.id, salt: salt) != a.secret)
        #expect(
            try await db.count(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'webhook_subscriptions' AND column_name = 'secret'")
                == 0)
        await db.close()
    }

    @Test func aKeyIsAtLeast32CharactersAndTheKeyFileIsMadeOnceForItsOwnerOnlyAndReadBackTheSame() throws {
        #expect(WebhookSecretKey(text: String(repeating: "k", count: 31)) == nil)
        #expect(WebhookSecretKey(text: "  " + String(repeating: "k", count: 31) + "\n") == nil)
        let given = try #require(WebhookSecretKey(text: String(repeating: "k", count: 32)))
        let sameWithNewline = try #require(WebhookSecretKey(text: String(repeating: "k", count: 32) + "\n"))
        let id = UUID()
        #expect(given.secret(subscriptionId: id, salt: "s") == sameWithNewline.secret(subscriptionId: id, salt: "s"))

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-key-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/data/webhook-secret.key"
        let first = try WebhookSecretKey.loadOrCreate(file: path)
        #expect(first.created)
        let second = try WebhookSecretKey.loadOrCreate(file: path)
        #expect(!second.created)
        #expect(first.key.secret(subscriptionId: id, salt: "s") == second.key.secret(subscriptionId: id, salt: "s"))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        // Nothing left aside.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/data") == ["webhook-secret.key"])
        // The file's text is the key, as WEBHOOK_SECRET_KEY would give it to another instance.
        let text = try #require(FileManager.default.contents(atPath: path))
        let asEnvironment = try #require(WebhookSecretKey(text: String(decoding: text, as: UTF8.self)))
        #expect(asEnvironment.secret(subscriptionId: id, salt: "s") == first.key.secret(subscriptionId: id, salt: "s"))

        // A file too short to be a key is refused, not replaced.
        let short = folder + "/short.key"
        #expect(FileManager.default.createFile(atPath: short, contents: Data("too short".utf8)))
        #expect(throws: WebhookSecretKey.FileError.self) { try WebhookSecretKey.loadOrCreate(file: short) }
    }
}
