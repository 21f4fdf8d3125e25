import Testing
@testable import HTTPServer
import DatesAndIDs

@Suite("Request parser, random input")
struct ParserFuzzTests {
    static let corpus: [String] = [
        "GET /v1/users/42?x=1&y=%20 HTTP/1.1\r\nHost: example\r\nAccept: */*\r\n\r\n",
        "POST /v1/items HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"name\":\"x\"}\n",
        "PUT /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;e=1\r\nabc\r\n0\r\nT: 1\r\n\r\n",
        "HEAD / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "DELETE /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nz",
        "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n",
    ]

    static let interesting: [[UInt8]] = [
        [0x0D], [0x0A], [0x0D, 0x0A], [0x00], [0x20], [0x09], [0x3A], [0x7F], [0xFF], [0xC3, 0xA9],
        Array("Content-Length: 5\r\n".utf8), Array("Transfer-Encoding: chunked\r\n".utf8), Array("\r\n\r\n".utf8),
        Array("Host: b\r\n".utf8), Array("FFFFFFFFFFFFFFFF".utf8), Array("%".utf8), Array(" HTTP/1.1".utf8),
    ]

    /// Mutates a valid request at random; returns the mutated bytes.
    static func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        let rounds = 1 + Int(rng.next() % 4)
        for _ in 0..<rounds {
            let position = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
            switch rng.next() % 7 {
            case 0 where !bytes.isEmpty:
                bytes[position] = UInt8(truncatingIfNeeded: rng.next())
            case 1:
                bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: position)
            case 2 where !bytes.isEmpty:
                bytes.remove(at: position)
            case 3:
                bytes.insert(contentsOf: interesting[Int(rng.next() % UInt64(interesting.count))], at: position)
            case 4 where !bytes.isEmpty:
                bytes = Array(bytes[..<position])
            case 5 where bytes.count > 2:
                let end = min(bytes.count, position + 1 + Int(rng.next() % 32))
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            default:
                if !bytes.isEmpty { bytes[position] ^= 1 << UInt8(rng.next() % 8) }
            }
        }
        return bytes
    }

    @Test func survivesSixThousandMutatedRequests() {
        var rng = SplitMix64(seed: 0x5EED_1234_ABCD)
        var requests = 0, errors = 0, incomplete = 0
        let limits = ParserLimits(
            maxRequestLineLength: 256, maxHeaderBytes: 512, maxHeaderCount: 10,
            defaultBodyLimit: 64, maxBodyLimit: 64)
        for iteration in 0..<6000 {
            let base = Array(Self.corpus[iteration % Self.corpus.count].utf8)
            let bytes = Self.mutate(base, &rng)
            // Split the input at a random point too, to exercise resumption.
            let split = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count + 1))
            var parser = RequestParser(limits: limits)
            var finished = false
            var steps = 0
            for chunk in [bytes[..<split], bytes[split...]] where !finished {
                parser.append(Array(chunk))
                inner: while true {
                    steps += 1
                    #expect(steps < 10_000, "parser does not terminate on iteration \(iteration)")
                    if steps >= 10_000 { return }
                    switch parser.next() {
                    case .needMore:
                        break inner
                    case .head(let head):
                        #expect(!head.method.rawValue.isEmpty)
                        #expect(head.target.hasPrefix("/") || head.target == "*")
                    case .body(let body):
                        #expect(body.count <= 64)
                        requests += 1
                    case .error(let error):
                        #expect((400..<600).contains(error.status.code), "iteration \(iteration): \(error)")
                        errors += 1
                        finished = true
                        break inner
                    }
                }
            }
            if !finished { incomplete += 1 }
        }
        // The mutations must reach both outcomes, or the test proves little.
        #expect(requests > 500)
        #expect(errors > 1000)
    }
}
