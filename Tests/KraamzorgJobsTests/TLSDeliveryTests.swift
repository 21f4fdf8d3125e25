import CurlTransport
import Foundation
import Glibc
import KraamzorgJobs
import KraamzorgStore
import KraamzorgTestFixtures
import OutboundSockets
import PostgresClient
import SMTPClient
import Testing
import TestSupport

/// Delivery over TLS through libcurl: webhooks to an https receiver whose certificate a CA made in the test
/// signed (trusted through the CA file, as `SSL_CERT_FILE` gives it), refused when the certificate is not from
/// that CA; mail to a relay that, like a hosted provider, requires STARTTLS and AUTH. The peers are Python
/// scripts in Tests/tls.
@Suite(.serialized) struct TLSDeliveryTests {
    @Test func aWebhookReachesAnHTTPSReceiverSignedByTheTestCA() async throws {
        let certs = try TestCertificates.make()
        defer { certs.remove() }
        let receiver = try PythonPeer(script: "https_receiver.py", arguments: ["--cert", certs.serverCert, "--key", certs.serverKey])
        defer { receiver.stop() }
        let db = try await JobsDatabase.make()
        let world = try await WaitlistWorld.make(pool: db.pool, providers: 0)
        let (_, secret) = try await db.subscribe(
            organizationId: world.insurerId, url: "https://localhost:\(receiver.port)/hook", events: ["client.placed"])
        _ = try await world.placedClient()
        try await db.eventsSettled()

        // Without the test CA (system store only) the certificate is not trusted: no delivery, the reason kept.
        let untrusting = try await db.deliverer().runOnce(now: Date())
        #expect(untrusting.delivered == 0 && untrusting.retrying == 1)
        let failed = try #require(try await db.pool.query("SELECT last_error FROM webhook_deliveries").first)
        let reason = try failed.decode("last_error", as: String?.self) ?? ""
        #expect(reason.lowercased().contains("certificate") || reason.contains("SSL"))

        let r = try await db.deliverer(caFile: certs.caFile).runOnce(now: Date().addingTimeInterval(3600))
        #expect(r.delivered == 1)
        let hit = try #require(receiver.records(atLeast: 1).first)
        let headers = try #require(hit["headers"] as? [String: String])
        let body = try #require(Data(base64Encoded: hit["body"] as? String ?? ""))
        #expect(hit["path"] as? String == "/hook")
        #expect(headers["x-event-type"] == "client.placed")
        #expect(
            WebhookSignature.verify(
                header: headers["x-signature"] ?? "", secret: secret, body: Array(body), now: Date().addingTimeInterval(3600)))
        await db.close()
    }

    @Test func aSelfSignedCertificateNotInTheCAFileIsRefused() async throws {
        let certs = try TestCertificates.make()
        defer { certs.remove() }
        let receiver = try PythonPeer(
            script: "https_receiver.py", arguments: ["--cert", certs.selfSignedCert, "--key", certs.selfSignedKey])
        defer { receiver.stop() }
        let client = WebhookHTTPClient(timeout: .seconds(5), allowPrivate: true, caFile: certs.caFile)
        do {
            _ = try await client.post(url: "https://localhost:\(receiver.port)/hook", body: Array("{}".utf8), headers: [])
            Issue.record("a self-signed certificate was accepted")
        } catch let e as CurlError {
            #expect(e.tls)
        }
        #expect(receiver.records.isEmpty)
    }

    @Test func curlConnectsOnlyToTheCheckedAddress() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        // Only 127.0.0.2 was checked: curl may not open a socket to 127.0.0.1, where the receiver listens.
        let checked = try ResolvedAddress.resolve(host: "127.0.0.2", port: receiver.port)
        do {
            _ = try CurlHTTP.post(
                url: "http://127.0.0.1:\(receiver.port)/hook", host: "127.0.0.1", port: receiver.port, headers: [], body: [],
                pinned: checked, timeout: .seconds(5))
            Issue.record("connected to an address that was not checked")
        } catch {
            #expect(error.refusedAddress)
        }
        // A name is resolved to the checked addresses only (127.0.0.2: nobody listens there), never looked up again.
        do {
            _ = try CurlHTTP.post(
                url: "http://localhost:\(receiver.port)/hook", host: "localhost", port: receiver.port, headers: [], body: [],
                pinned: checked, timeout: .seconds(5))
            Issue.record("localhost was looked up again")
        } catch {
            #expect(error.unreachable || error.refusedAddress)
        }
        #expect(receiver.hits.isEmpty)
        // With the checked address the same request arrives, and the answer's body is kept (bounded).
        let ok = try CurlHTTP.post(
            url: "http://127.0.0.1:\(receiver.port)/hook", host: "127.0.0.1", port: receiver.port, headers: [("X-Event-Id", "e1")],
            body: Array("{}".utf8), pinned: try ResolvedAddress.resolve(host: "127.0.0.1", port: receiver.port), timeout: .seconds(5),
            responseLimit: 1)
        #expect(ok.status == 200 && ok.body == Array("o".utf8) && ok.address == "127.0.0.1")
        #expect(receiver.hits.count == 1 && receiver.hits[0].eventId == "e1")
        // Loopback is refused outright when private addresses are not allowed.
        await #expect(throws: (any Error).self) {
            _ = try await WebhookHTTPClient(allowPrivate: false).post(url: "https://localhost:\(receiver.port)/", body: [], headers: [])
        }
    }

    func relay(_ certs: TestCertificates) throws -> PythonPeer {
        try PythonPeer(
            script: "smtp_relay.py",
            arguments: ["--cert", certs.serverCert, "--key", certs.serverKey, "--user", "kraamzorg", "--password", "s3cret"])
    }

    func mailer(_ relay: PythonPeer, _ certs: TestCertificates, user: String?, password: String?) -> SMTPClient {
        SMTPClient(
            configuration: .init(
                host: "localhost", port: relay.port, timeout: .seconds(10), security: .starttls, username: user, password: password,
                caFile: certs.caFile))
    }

    @Test func aMessageReachesAnAuthenticatedSTARTTLSRelay() async throws {
        let certs = try TestCertificates.make()
        defer { certs.remove() }
        let relay = try relay(certs)
        defer { relay.stop() }
        let db = try await JobsDatabase.make()
        try await db.pool.withConnection { conn in
            try await Outbox.enqueue(
                .reminder, to: "anna@example.nl", clientId: nil, subject: "Herinnering", body: "Tekst\n.punt", on: conn)
        }
        let report = try await db.sender(mailer: mailer(relay, certs, user: "kraamzorg", password: "s3cret")).runOnce(now: Date())
        #expect(report.sent == 1)
        let m = try #require(relay.records(atLeast: 1).first)
        #expect(m["tls"] as? Bool == true)
        #expect(m["authenticated"] as? Bool == true)
        #expect(m["rcptTos"] as? [String] == ["anna@example.nl"])
        let content = m["content"] as? String ?? ""
        #expect(content.contains("Subject: Herinnering"))
        #expect(content.contains("\r\n.punt"))
        #expect(try await db.statuses() == ["sent": 1])
        await db.close()
    }

    @Test func wrongOrMissingCredentialsLeaveTheMessagePendingWithTheReason() async throws {
        let certs = try TestCertificates.make()
        defer { certs.remove() }
        let relay = try relay(certs)
        defer { relay.stop() }
        let db = try await JobsDatabase.make()
        try await db.pool.withConnection { conn in
            try await Outbox.enqueue(.reminder, to: "anna@example.nl", clientId: nil, subject: "Herinnering", body: "Tekst", on: conn)
        }
        let wrong = try await db.sender(mailer: mailer(relay, certs, user: "kraamzorg", password: "wrong")).runOnce(now: Date())
        #expect(wrong.sent == 0 && wrong.retrying == 1)
        var row = try await db.pool.query("SELECT status, last_error FROM notifications")[0]
        #expect(try row.decode("status", as: String.self) == "pending")
        let reason = try row.decode("last_error", as: String?.self) ?? ""
        #expect(reason.contains("535") || reason.lowercased().contains("login denied"))

        // Without credentials the relay refuses the mail (530, authentication required).
        let none = try await db.sender(mailer: mailer(relay, certs, user: nil, password: nil)).runOnce(now: Date().addingTimeInterval(3600))
        #expect(none.sent == 0)
        row = try await db.pool.query("SELECT status, last_error FROM notifications")[0]
        #expect(try row.decode("status", as: String.self) == "pending")
        #expect((try row.decode("last_error", as: String?.self) ?? "").contains("530"))
        #expect(relay.records.isEmpty)
        await db.close()
    }

    @Test func withoutARelayEachMessageIsAnEMLFileWithItsHeadersAndLink() async throws {
        let folder = NSTemporaryDirectory() + "kraamzorg-mail-" + UUID().uuidString.lowercased()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let db = try await JobsDatabase.make()
        try await db.pool.withConnection { conn in
            try await Outbox.enqueue(
                .invitation, to: "anna@example.nl", clientId: nil, subject: "Uitnodiging wachtlijst", body: "Welkom",
                link: "http://127.0.0.1:8080/aanmelding/abc", on: conn)
        }
        let report = try await db.sender(mailer: MailDirectory(path: folder)).runOnce(now: Date())
        #expect(report.sent == 1)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(files.count == 1 && files[0].hasSuffix(".eml"))
        let text = try String(contentsOfFile: folder + "/" + files[0], encoding: .utf8)
        #expect(text.contains("From: noreply@kraamzorg.test\r\n"))
        #expect(text.contains("To: anna@example.nl\r\n"))
        #expect(text.contains("Subject: Uitnodiging wachtlijst\r\n"))
        #expect(text.contains("Message-ID: <"))
        #expect(text.contains("http://127.0.0.1:8080/aanmelding/abc"))
        var info = stat()
        #expect(stat(folder + "/" + files[0], &info) == 0 && info.st_mode & 0o077 == 0)
        #expect(try await db.statuses(kind: "invitation") == ["sent": 1])
        await db.close()
    }
}
