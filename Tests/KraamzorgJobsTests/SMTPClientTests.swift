import Foundation
import SMTPClient
import Testing
import TestSupport

@Suite("SMTP client against a real sink")
struct SMTPClientTests {
    func message(subject: String = "Hello", body: String = "Line one\nLine two", to: [String] = ["anna@example.nl"]) -> MailMessage {
        MailMessage(
            from: "noreply@kraamzorg.test", to: to, subject: subject, body: body,
            messageId: "\(UUID().uuidString.lowercased())@kraamzorg.test")
    }

    @Test("a message arrives once, with Date, Message-ID, From, To, Subject, MIME headers and its body")
    func arrivesWithHeaders() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let client = SMTPClient(configuration: .init(host: "127.0.0.1", port: sink.port))
        let m = message()
        try await client.sendAsync(m)
        let received = sink.messages
        #expect(received.count == 1)
        let r = try #require(received.first)
        #expect(r.mailFrom == "<noreply@kraamzorg.test>")
        #expect(r.recipients == ["<anna@example.nl>"])
        #expect(r.header("Message-ID") == "<\(m.messageId)>")
        #expect(r.header("From") == "noreply@kraamzorg.test")
        #expect(r.header("To") == "anna@example.nl")
        #expect(r.header("Subject") == "Hello")
        #expect(r.header("Date")?.hasSuffix("+0000") == true)
        #expect(r.header("MIME-Version") == "1.0")
        #expect(r.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(r.decodedBody == "Line one\r\nLine two")
    }

    @Test("a non-ASCII subject is sent as RFC 2047 encoded-words and decodes back")
    func nonASCIISubject() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let client = SMTPClient(configuration: .init(host: "127.0.0.1", port: sink.port))
        let subject = "Cliënt geplaatst — wachtlijst Zuidoost-Brabant ✓ met een lange onderwerpregel die gesplitst wordt"
        try await client.sendAsync(message(subject: subject, body: "Één regel met ë en €"))
        let r = try #require(sink.messages.first)
        let raw = try #require(r.header("Subject"))
        #expect(raw.hasPrefix("=?utf-8?B?"))
        #expect(raw.allSatisfy { $0.isASCII })
        let decoded = raw.replacingOccurrences(of: "?==?", with: "?= =?").split(separator: " ").map { word -> String in
            let inner = word.dropFirst("=?utf-8?B?".count).dropLast(2)
            return String(decoding: Data(base64Encoded: String(inner)) ?? Data(), as: UTF8.self)
        }.joined()
        #expect(decoded == subject)
        #expect(r.header("Content-Transfer-Encoding") == "quoted-printable")
        #expect(r.decodedBody == "Één regel met ë en €")
    }

    @Test("lines starting with a dot survive (dot-stuffing), and bare LF and CR become CRLF")
    func dotStuffing() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let client = SMTPClient(configuration: .init(host: "127.0.0.1", port: sink.port))
        try await client.sendAsync(message(body: ".\n.hidden line\r..two dots\rlast"))
        let r = try #require(sink.messages.first)
        #expect(r.decodedBody == ".\r\n.hidden line\r\n..two dots\r\nlast")
    }

    @Test("a server that refuses the greeting is an error naming the reply; a closed port a connection error")
    func failures() async throws {
        let sink = try SMTPSink()
        sink.setDown(true)
        let client = SMTPClient(configuration: .init(host: "127.0.0.1", port: sink.port))
        await #expect(throws: SMTPError.self) { try await client.sendAsync(message()) }
        do { try await client.sendAsync(message()) } catch { #expect("\(error)".contains("421")) }
        sink.stop()
        let closed = SMTPClient(configuration: .init(host: "127.0.0.1", port: sink.port, timeout: .seconds(2)))
        do { try await closed.sendAsync(message()); Issue.record("sent to a closed port") } catch {
            #expect("\(error)".contains("connect"))
        }
        #expect(sink.messages.isEmpty)
    }

    @Test("dot-stuffing and quoted-printable on literal bytes")
    func formatting() {
        #expect(MailFormat.dotStuff(Array(".a\nb\r\n.c".utf8)) == Array("..a\r\nb\r\n..c\r\n".utf8))
        #expect(MailFormat.quotedPrintable("a=b ") == "a=3Db=20")
        #expect(MailFormat.encodeHeader("plain") == "plain")
        let long = MailFormat.quotedPrintable(String(repeating: "é", count: 40))
        #expect(long.components(separatedBy: "=\r\n").allSatisfy { $0.count <= 76 })
    }
}
