import CZlib

/// `Content-Encoding: gzip` for bodies over 1 KB when the request's `Accept-Encoding` allows it (q > 0).
/// Never for 204, 304, a HEAD, a body already encoded, or one whose type is compressed already. Every answer
/// that could have been compressed says `Vary: Accept-Encoding`. Any `ETag` is left as it is: it names the
/// representation before compression.
public enum ResponseCompression {
    /// Bodies up to this size are sent as they are.
    public static let threshold = 1024

    /// Compresses `response` in place when it qualifies.
    public static func apply(to response: inout HTTPResponse, acceptEncoding: String?, method: HTTPMethod) {
        let code = response.status.code
        guard response.body.count > threshold, code != 204, code != 304, (200..<600).contains(code) else { return }
        if response.headers.contains("Content-Encoding") { return }
        if let type = response.headers["Content-Type"]?.lowercased(), alreadyCompressed(type) { return }
        response.headers.addVary("Accept-Encoding")
        guard method != .HEAD, let acceptEncoding, acceptsGzip(acceptEncoding), let compressed = gzip(response.body) else { return }
        guard compressed.count < response.body.count else { return }
        response.body = compressed
        response.headers["Content-Encoding"] = "gzip"
    }

    static func alreadyCompressed(_ type: String) -> Bool {
        type.hasPrefix("image/") && !type.hasPrefix("image/svg") || type.hasPrefix("video/") || type.hasPrefix("audio/")
            || type.hasPrefix("application/zip") || type.hasPrefix("application/gzip") || type.hasPrefix("application/x-gzip")
    }

    /// RFC 9110 §12.5.3: `gzip` (or `x-gzip`) with q > 0, or `*` with q > 0 when gzip is not named.
    public static func acceptsGzip(_ header: String) -> Bool {
        var gzip: Double?, any: Double?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";")
            guard let first = parts.first else { continue }
            let coding = first.trimmingWhitespace().lowercased()
            var q = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].trimmingWhitespace().lowercased() == "q" {
                    q = Double(pair[1].trimmingWhitespace()) ?? 0
                }
            }
            if coding == "gzip" || coding == "x-gzip" { gzip = max(gzip ?? 0, q) } else if coding == "*" { any = q }
        }
        if let gzip { return gzip > 0 }
        return (any ?? 0) > 0
    }

    /// The gzip (RFC 1952) form of `input`; nil if zlib fails.
    public static func gzip(_ input: [UInt8], level: Int32 = 6) -> [UInt8]? {
        var stream = z_stream()
        guard czlib_gzip_init(&stream, level) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        // Room for the worst case plus the gzip header and trailer.
        let capacity = Int(deflateBound(&stream, uLong(input.count))) + 32
        var output = [UInt8](repeating: 0, count: capacity)
        var input = input
        let result: Int32 = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else { return nil }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }
}

extension HTTPHeaders {
    /// Adds `token` to `Vary` unless it is there already.
    public mutating func addVary(_ token: String) {
        guard let current = self["Vary"] else {
            self["Vary"] = token
            return
        }
        let tokens = current.split(separator: ",").map { $0.trimmingWhitespace().lowercased() }
        if tokens.contains("*") || tokens.contains(token.lowercased()) { return }
        self["Vary"] = current + ", " + token
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
