import Foundation
import Hashing
import Logging
import KraamzorgJobs
import KraamzorgStore
import KraamzorgUseCases
import KraamzorgRules
import PostgresClient
import SMTPClient
import Testing
import TestSupport

/// DOMAIN §8, second round: "stored only as a hash" holds everywhere a secret is kept. After a whole flow,
/// mails sent and webhooks delivered, a data dump of the database holds no credential that was handed out.
@Suite struct SecretsInADumpTests {
    /// The service with its background work (outbox sender to an SMTP sink, webhook deliverer) on a database of its own.
    struct Flow {
        let app: TestApp
        let databaseURL: String
        let sink: SMTPSink
        let sender: OutboxSender
        let deliverer: WebhookDeliverer

        static func start() async throws -> Flow {
            let url = try await IsolatedDatabase.url()
            let app = try await TestApp.start(databaseURL: url)
            let sink = try SMTPSink()
            let logger = Logger(level: .error)
            return Flow(
                app: app, databaseURL: url, sink: sink,
                sender: OutboxSender(
                    delivery: OutboxDelivery(pool: app.pool),
                    mailer: SMTPClient(configuration: .init(host: "127.0.0.1", port: sink.port, timeout: .seconds(5))),
                    from: "noreply@kraamzorg.test", logger: logger),
                deliverer: WebhookDeliverer(
                    store: WebhookStore(pool: app.pool, secretKey: app.webhookKey), waitlists: WaitlistStore(pool: app.pool),
                    clients: ClientStore(pool: app.pool), http: WebhookHTTPClient(timeout: .seconds(5), allowPrivate: true),
                    logger: logger))
        }

        /// Sends what the outbox holds; then the token that followed `prefix` in the mail to `email`.
        func mailedToken(to email: String, prefix: String) async throws -> String {
            _ = try await sender.runOnce(now: Date())
            let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
            for message in sink.messages.reversed() where message.recipients.contains(where: { $0.contains(email) }) {
                let body = message.decodedBody
                guard let range = body.range(of: prefix) else { continue }
                let token = String(body[range.upperBound...].prefix { alphabet.contains($0) })
                if !token.isEmpty { return token }
            }
            throw TestAppError.fixture("no mail to \(email) with \(prefix)")
        }

        /// Invitation (mailed), acceptance through the mailed link, confirmation (mailed): (client id, her address, invitation token, client-link token).
        func placedClient(_ world: WaitlistWorld, dueDate: String) async throws -> (
            id: String, email: String, invitation: String, link: String
        ) {
            let email = "dump-\(UUID().uuidString.prefix(8).lowercased())@example.nl"
            let invited = try await app.call(
                "POST", "/v1/waitlists/\(world.waitlistId)/invitations", token: world.insurer,
                json: [
                    "clientNumber": "CN-\(UUID().uuidString.prefix(8))", "email": email, "postcode": world.postcode, "dueDate": dueDate,
                ])
            guard invited.status == 201, let id = try invited.object()["clientId"] as? String else {
                throw TestAppError.fixture("invite \(invited.status) \(invited.text)")
            }
            let invitation = try await mailedToken(to: email, prefix: "/uitnodiging/")
            let accepted = try await app.call("POST", "/v1/invitations/\(invitation)/accept", json: world.acceptance(dueDate: dueDate))
            guard accepted.status == 201 else { throw TestAppError.fixture("accept \(accepted.status) \(accepted.text)") }
            return (id, email, invitation, try await mailedToken(to: email, prefix: "/aanmelding/"))
        }

        /// `pg_dump --data-only` of this database (`TEST_PG_BIN`, else `pg_dump` on the PATH).
        func dump() throws -> String {
            let process = Process()
            if let bin = ProcessInfo.processInfo.environment["TEST_PG_BIN"], !bin.isEmpty {
                process.executableURL = URL(fileURLWithPath: bin + "/pg_dump")
                process.arguments = ["--data-only", "--no-owner", "--dbname=\(databaseURL)"]
            } else {
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = ["pg_dump", "--data-only", "--no-owner", "--dbname=\(databaseURL)"]
            }
            let out = Pipe(), err = Pipe()
            process.standardOutput = out
            process.standardError = err
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            let problems = err.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw TestAppError.fixture("pg_dump: \(process.terminationStatus) \(String(decoding: problems, as: UTF8.self))")
            }
            return String(decoding: data, as: UTF8.self)
        }

        func stop() async {
            sink.stop()
            await app.stop()
        }
    }

    @Test func aDataDumpAfterAWholeFlowHoldsNoBearerTokenNoLinkTokenAndNoWebhookSecret() async throws {
        let flow = try await Flow.start()
        let app = flow.app
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let world = try await WaitlistWorld.make(app: app, providers: 1)

        // Bearer tokens: the bootstrap admin's, every member's first token, a manager's, and one made by rotation.
        let manager = try await app.user(role: "insurer", organizationId: world.insurerId, avgAccess: true, manager: true).token
        let rotated = try await app.call("POST", "/v1/tokens", token: manager, json: ["expiresInDays": 30])
        #expect(rotated.status == 201)
        let rotatedToken = try #require(try rotated.object()["token"] as? String)
        let bearer =
            [
                app.adminToken, manager, rotatedToken, world.coordinator, world.coordinatorGroup1, world.insurer, world.insurerGroup1,
                world.otherInsurer, world.label, world.strangerProvider.token,
            ] + world.providers.flatMap { [$0.token, $0.group1] }

        // The webhook subscription: its secret is shown once.
        let subscribed = try await app.call(
            "POST", "/v1/webhooks", token: manager,
            json: [
                "url": receiver.url, "events": ["client.placed", "client.enrolled", "client.released", "client.withdrawn"],
            ])
        #expect(subscribed.status == 201)
        let secret = try #require(try subscribed.object()["secret"] as? String)

        // Client 1: invited, accepts through the mailed link, enrolled, released, withdraws through her own link.
        let first = try await flow.placedClient(world, dueDate: day(100))
        #expect(try await app.call("POST", "/v1/clients/\(first.id)/enrolment", token: world.providers[0].token).status == 201)
        #expect(
            try await app.call("POST", "/v1/clients/\(first.id)/release", token: world.providers[0].token, json: ["reason": "geen plek"])
                .status == 200)
        #expect(try await app.call("POST", "/v1/client-links/\(first.link)/withdrawal", json: ["reason": "zelf geregeld"]).status == 200)

        // Client 2: placed with her due date tomorrow, erased by the retention six months later.
        let second = try await flow.placedClient(world, dueDate: day(1))
        // The admins' view of the outbox: her messages were sent, their links are gone (before her erasure).
        let outbox = try await app.admin("GET", "/v1/notifications?to=\(second.email)")
        #expect(outbox.status == 200 && outbox.text.contains("placementConfirmation"))
        for token in [second.invitation, second.link] { #expect(!outbox.text.contains(token)) }
        #expect(try app.items(outbox).allSatisfy { $0["link"] == nil && $0["status"] as? String == "sent" })

        let later = DutchTime.startOfDay(CivilDate.todayForTests().adding(days: 1).adding(months: 6)).addingTimeInterval(12 * 3600)
        #expect(try await ClientWorkflows(pool: app.pool, clock: .fixed(later)).erasePersonalData().contains(UUID(uuidString: second.id)!))

        // Everything is sent and delivered, each delivery signed with the secret from the 201.
        _ = try await flow.sender.runOnce(now: Date())
        #expect(try await app.count("SELECT count(*) FROM notifications WHERE status = 'pending'") == 0)
        try await app.eventsSettled()
        let delivered = try await flow.deliverer.runOnce(now: Date())
        #expect(delivered.delivered >= 4)
        #expect(receiver.hits.count == delivered.delivered)
        for hit in receiver.hits {
            let header = try #require(hit.signature)
            #expect(WebhookSignature.verify(header: header, secret: secret, body: hit.body))
        }

        // The dump: the flow is in it (ids, the subscription, the deliveries, the tokens' hashes), its credentials are not.
        let dump = try flow.dump()
        #expect(dump.contains(first.id) && dump.contains(second.id))
        #expect(dump.contains("webhook_deliveries") && dump.contains(receiver.url))
        #expect(dump.contains(SecretToken.hashHex(first.link)) && dump.contains(SecretToken.hashHex(manager)))
        for token in bearer { #expect(!dump.contains(token), "a bearer token is in the dump") }
        for token in [first.invitation, first.link, second.invitation, second.link] {
            #expect(!dump.contains(token), "a link token is in the dump")
        }
        #expect(!dump.contains(secret), "the webhook secret is in the dump")
        #expect(!dump.contains(String(secret.dropFirst(WebhookSecretKey.secretPrefix.count))), "the webhook secret is in the dump")
        await flow.stop()
    }
}
