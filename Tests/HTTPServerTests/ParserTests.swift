import Testing
@testable import HTTPServer

/// What the parser made of some bytes.
enum Parsed: Equatable {
    case request(method: String, target: String, body: [UInt8])
    case error(Int)
}

/// Feeds `chunks` one after another and collects every complete request (and a final error).
func parse(
    chunks: [[UInt8]], limits: ParserLimits = ParserLimits(), bodyLimit: Int? = nil,
    heads: ((RequestHead) -> Void)? = nil
) -> [Parsed] {
    var parser = RequestParser(limits: limits)
    var results: [Parsed] = []
    var head: RequestHead?
    for chunk in chunks {
        parser.append(chunk)
        loop: while true {
            switch parser.next() {
            case .needMore:
                break loop
            case .head(let h):
                head = h
                heads?(h)
                if let bodyLimit { parser.setBodyLimit(bodyLimit) }
            case .body(let body):
                results.append(.request(method: head!.method.rawValue, target: head!.target, body: body))
            case .error(let error):
                results.append(.error(error.status.code))
                return results
            }
        }
    }
    return results
}

func parse(_ text: String, limits: ParserLimits = ParserLimits(), bodyLimit: Int? = nil) -> [Parsed] {
    parse(chunks: [Array(text.utf8)], limits: limits, bodyLimit: bodyLimit)
}

func head(of text: String) -> RequestHead? {
    var found: RequestHead?
    _ = parse(chunks: [Array(text.utf8)], heads: { found = $0 })
    return found
}

extension Parsed {
    static func get(_ target: String) -> Parsed { .request(method: "GET", target: target, body: []) }
}

@Suite("Request parser")
struct ParserTests {
    // MARK: Valid requests

    @Test func parsesASimpleGET() {
        #expect(parse("GET /v1/users?x=1 HTTP/1.1\r\nHost: a\r\n\r\n") == [.get("/v1/users?x=1")])
    }

    @Test func headerNamesAreCaseInsensitive() {
        let h = head(of: "GET / HTTP/1.1\r\nhOsT: a\r\nX-Thing:  spaced value \t\r\n\r\n")
        #expect(h?.headers["host"] == "a")
        #expect(h?.headers["x-thing"] == "spaced value")
    }

    @Test func parsesAPOSTWithContentLength() {
        #expect(
            parse("POST /items HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")
                == [.request(method: "POST", target: "/items", body: Array("hello".utf8))])
    }

    @Test func parsesAPipelinedPairInOneBuffer() {
        let text = "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhiGET /b HTTP/1.1\r\nHost: a\r\n\r\n"
        #expect(parse(text) == [.request(method: "POST", target: "/a", body: Array("hi".utf8)), .get("/b")])
    }

    @Test func givesTheSameResultWhenSplitAtEveryByteBoundary() {
        let text =
            "POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
            + "PUT /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nxyz\r\n2\r\n12\r\n0\r\nT: v\r\n\r\n"
            + "GET /b HTTP/1.1\r\nHost: a\r\n\r\n"
        let bytes = Array(text.utf8)
        let expected = parse(chunks: [bytes])
        #expect(expected.count == 3)
        for split in 0...bytes.count {
            #expect(parse(chunks: [Array(bytes[..<split]), Array(bytes[split...])]) == expected, "split at \(split)")
        }
        #expect(parse(chunks: bytes.map { [$0] }) == expected, "one byte at a time")
    }

    @Test func toleratesEmptyLinesBeforeARequest() {
        #expect(parse("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n") == [.get("/")])
    }

    @Test func decodesThePathAndKeepsTheRawTarget() {
        let h = head(of: "GET /a%20b/c%2Fd?q=%41 HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(h?.path == "/a b/c/d")
        #expect(h?.target == "/a%20b/c%2Fd?q=%41")
    }

    @Test func reducesAbsoluteFormToOriginForm() {
        #expect(head(of: "GET http://example.com/x?y=1 HTTP/1.1\r\nHost: example.com\r\n\r\n")?.target == "/x?y=1")
    }

    @Test func http10ClosesUnlessKeepAliveAsked() {
        #expect(head(of: "GET / HTTP/1.0\r\n\r\n")?.keepAlive == false)
        #expect(head(of: "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")?.keepAlive == true)
        #expect(head(of: "GET / HTTP/1.1\r\nHost: a\r\n\r\n")?.keepAlive == true)
        #expect(head(of: "GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n")?.keepAlive == false)
    }

    @Test func acceptsIdenticalRepeatedContentLengths() {
        #expect(
            parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok")
                == [.request(method: "POST", target: "/", body: Array("ok".utf8))])
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2, 2\r\n\r\nok").count == 1)
    }

    @Test func recognisesExpectContinue() {
        #expect(head(of: "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n")?.expectsContinue == true)
    }

    @Test func acceptsObsTextInHeaderValues() {
        let bytes = Array("GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf".utf8) + [0xC3, 0xA9] + Array("\r\n\r\n".utf8)
        #expect(parse(chunks: [bytes]) == [.get("/")])
    }

    // MARK: Bad request lines

    @Test(arguments: [
        "GET  / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1 \r\nHost: a\r\n\r\n",
        "GET /\r\nHost: a\r\n\r\n",
        "GET\r\nHost: a\r\n\r\n",
        " GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "G@T / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1x\r\nHost: a\r\n\r\n",
        "GET / http/1.1\r\nHost: a\r\n\r\n",
        "GET / HTTP/1\r\nHost: a\r\n\r\n",
        "GET foo HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET * HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /a%zz HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /a%00 HTTP/1.1\r\nHost: a\r\n\r\n",
    ])
    func rejectsAMalformedRequestLineWith400(_ text: String) {
        #expect(parse(text) == [.error(400)])
    }

    @Test(arguments: ["HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTP/3.0"])
    func rejectsAnUnsupportedVersionWith505(_ version: String) {
        #expect(parse("GET / \(version)\r\nHost: a\r\n\r\n") == [.error(505)])
    }

    @Test func rejectsNonASCIIInTheTarget() {
        let bytes = Array("GET /caf".utf8) + [0xC3, 0xA9] + Array(" HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        #expect(parse(chunks: [bytes]) == [.error(400)])
    }

    @Test func rejectsARequestLineOverTheLimitWith414() {
        let long = "GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: a\r\n\r\n"
        #expect(parse(long) == [.error(414)])
    }

    @Test func rejectsALongRequestLineBeforeItEnds() {
        // No CRLF yet, but already past the limit: answer without waiting for more.
        #expect(parse("GET /" + String(repeating: "a", count: 8300)) == [.error(414)])
    }

    @Test func acceptsARequestLineJustUnderTheLimit() {
        let target = "/" + String(repeating: "a", count: 8192 - 4 - 1 - 9)
        #expect(parse("GET \(target) HTTP/1.1\r\nHost: a\r\n\r\n") == [.get(target)])
    }

    // MARK: Headers

    @Test func rejectsAHeaderSectionOverTheLimitWith431() {
        let big = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + String(repeating: "b", count: 17000) + "\r\n\r\n"
        #expect(parse(big) == [.error(431)])
    }

    @Test func rejectsMoreThan100HeadersWith431() {
        var text = "GET / HTTP/1.1\r\nHost: a\r\n"
        for i in 0..<100 { text += "X-\(i): v\r\n" }
        #expect(parse(text + "\r\n") == [.error(431)])
    }

    @Test func rejectsADuplicateHost() {
        #expect(parse("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == [.error(400)])
    }

    @Test func rejectsHTTP11WithoutHost() {
        #expect(parse("GET / HTTP/1.1\r\n\r\n") == [.error(400)])
        #expect(parse("GET / HTTP/1.0\r\n\r\n") == [.get("/")])
    }

    @Test func rejectsObsFold() {
        #expect(parse("GET / HTTP/1.1\r\nHost: a\r\nX-A: one\r\n two\r\n\r\n") == [.error(400)])
    }

    @Test func rejectsWhitespaceBeforeTheColon() {
        #expect(parse("GET / HTTP/1.1\r\nHost : a\r\n\r\n") == [.error(400)])
        #expect(parse("GET / HTTP/1.1\r\nHost: a\r\nContent-Length\t: 0\r\n\r\n") == [.error(400)])
    }

    @Test func rejectsAHeaderLineWithoutAColon() {
        #expect(parse("GET / HTTP/1.1\r\nHost: a\r\nJunk\r\n\r\n") == [.error(400)])
    }

    @Test func rejectsNULInAHeaderValue() {
        let bytes = Array("GET / HTTP/1.1\r\nHost: a\r\nX-A: a".utf8) + [0] + Array("b\r\n\r\n".utf8)
        #expect(parse(chunks: [bytes]) == [.error(400)])
    }

    @Test func rejectsABareCRInAHeaderValue() {
        #expect(parse("GET / HTTP/1.1\r\nHost: a\r\nX-A: a\rb\r\n\r\n") == [.error(400)])
    }

    @Test func rejectsABareLF() {
        #expect(parse("GET / HTTP/1.1\nHost: a\n\n") == [.error(400)])
        #expect(parse("GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n") == [.error(400)])
    }

    @Test func rejectsNonASCIIInAHeaderName() {
        let bytes = Array("GET / HTTP/1.1\r\nHost: a\r\nX-".utf8) + [0xC3, 0xA9] + Array(": v\r\n\r\n".utf8)
        #expect(parse(chunks: [bytes]) == [.error(400)])
    }

    @Test func rejectsAnUnknownExpectationWith417() {
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nExpect: something\r\nContent-Length: 1\r\n\r\nx") == [.error(417)])
    }

    // MARK: Framing

    @Test func rejectsConflictingContentLengths() {
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc") == [.error(400)])
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2, 3\r\n\r\nabc") == [.error(400)])
    }

    @Test(arguments: ["abc", "-1", "+5", "1 2", "0x10", "", "1,", "99999999999999999999"])
    func rejectsAnInvalidContentLength(_ value: String) {
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(value)\r\n\r\n") == [.error(400)])
    }

    @Test(arguments: [
        "Content-Length: 3\r\nTransfer-Encoding: chunked",
        "Transfer-Encoding: chunked\r\nContent-Length: 3",
        "Content-Length: 3\r\nTransfer-Encoding: identity",
    ])
    func rejectsContentLengthWithTransferEncoding(_ fields: String) {
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\n\(fields)\r\n\r\n0\r\n\r\n") == [.error(400)])
    }

    @Test(arguments: [
        "chunked, identity", "identity", "gzip", "gzip, chunked", "chunked, chunked", "chunked\r\nTransfer-Encoding: chunked",
        "", "xchunked",
    ])
    func rejectsAnyTransferEncodingButASingleChunked(_ value: String) {
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \(value)\r\n\r\n0\r\n\r\n") == [.error(400)])
    }

    @Test func rejectsTransferEncodingInHTTP10() {
        #expect(parse("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") == [.error(400)])
    }

    @Test func waitsForATruncatedBody() {
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc") == [])
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab") == [])
    }

    @Test func rejectsABodyOverTheLimitWith413() {
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n", bodyLimit: 10) == [.error(413)])
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789", bodyLimit: 10).count == 1)
    }

    // MARK: Chunked bodies

    @Test func decodesAChunkedBody() {
        let text = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
        #expect(parse(text) == [.request(method: "POST", target: "/", body: Array("hello world".utf8))])
    }

    @Test func toleratesChunkExtensionsAndTrailers() {
        let text =
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"
            + "5;name=value;other\r\nhello\r\nA ; ext=\"q\"\r\n0123456789\r\n0\r\nX-Trailer: t\r\nY: z\r\n\r\n"
        #expect(parse(text) == [.request(method: "POST", target: "/", body: Array("hello0123456789".utf8))])
    }

    @Test(arguments: ["zz", "", "-1", "5 x", "0x5", " 5"])
    func rejectsABadChunkSize(_ size: String) {
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n\(size)\r\nhello\r\n0\r\n\r\n") == [.error(400)])
    }

    @Test func rejectsAnOverflowingChunkSize() {
        #expect(
            parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\nx\r\n0\r\n\r\n") == [.error(400)])
    }

    @Test func rejectsChunkDataWithoutCRLF() {
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n") == [.error(400)])
    }

    @Test func enforcesTheBodyLimitOnTheDecodedSize() {
        let text = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n5\r\n67890\r\n0\r\n\r\n"
        #expect(parse(text, bodyLimit: 10) == [.error(413)])
        #expect(parse(text, bodyLimit: 11).count == 1)
        // A huge (but representable) size is over any limit.
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFF\r\n") == [.error(413)])
    }

    @Test func rejectsAChunkSizeLineThatNeverEnds() {
        let text = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;" + String(repeating: "x", count: 5000)
        #expect(parse(text) == [.error(400)])
    }

    @Test func rejectsTrailersOverTheLimit() {
        let text =
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: " + String(repeating: "t", count: 17000) + "\r\n\r\n"
        #expect(parse(text) == [.error(431)])
    }

    @Test func parsesAPipelinedRequestAfterAChunkedBody() {
        let text =
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n"
        #expect(parse(text) == [.request(method: "POST", target: "/", body: [0x78]), .get("/next")])
    }
}
