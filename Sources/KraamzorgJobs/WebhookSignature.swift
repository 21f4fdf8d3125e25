import FoundationEssentials
import Hashing
import DatesAndIDs

/// `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the subscription's secret>`.
public enum WebhookSignature {
    public static func header(secret: String, timestamp: Int, body: [UInt8]) -> String {
        header(secrets: [secret], timestamp: timestamp, body: body)
    }

    /// After a rotation, for 24 hours: `t=…,v1=<new>,v1=<old>`; a receiver accepts any `v1` it can verify.
    public static func header(secrets: [String], timestamp: Int, body: [UInt8]) -> String {
        (["t=\(timestamp)"] + secrets.map { "v1=\(sign(secret: $0, timestamp: timestamp, body: body))" }).joined(separator: ",")
    }

    public static func sign(secret: String, timestamp: Int, body: [UInt8]) -> String {
        Hex.encode(HMAC_SHA256.authenticate(message: Array("\(timestamp).".utf8) + body, key: Array(secret.utf8)))
    }

    /// What a receiver does: recompute and compare in constant time, and refuse old timestamps.
    public static func verify(header: String, secret: String, body: [UInt8], now: Date = Date(), tolerance: TimeInterval = 300) -> Bool {
        var t: Int?, v1: [String] = []
        for part in header.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { continue }
            if kv[0] == "t" { t = Int(kv[1]) } else if kv[0] == "v1" { v1.append(kv[1]) }
        }
        guard let t, abs(now.timeIntervalSince1970 - Double(t)) <= tolerance else { return false }
        let expected = HMAC_SHA256.authenticate(message: Array("\(t).".utf8) + body, key: Array(secret.utf8))
        return v1.contains { Hex.decode($0).map { SecretToken.constantTimeEquals(expected, $0) } ?? false }
    }
}
