import Glibc
import CLinuxSystem

/// An incremental HTTP/1.1 request parser over bytes as they arrive.
///
/// Feed bytes with `append`, then call `next()` until it returns `.needMore`. A request comes out in two
/// steps: `.head` (so the caller can pick the route's body limit with `setBodyLimit` and answer
/// `100 Continue`), then `.body` with the whole decoded body (empty when there is none). Pipelined
/// requests simply follow. After `.error` the parser stays failed: answer the status and close.
///
/// Strict by design (request smuggling): bare LF, obs-fold, whitespace before a colon, control bytes in
/// values, conflicting or invalid `Content-Length`, `Content-Length` with `Transfer-Encoding`, and any
/// transfer coding other than a single `chunked` are all 400.
///
/// This file frames requests (finds the end of a head, reads a `Content-Length` body, decodes a chunked
/// one); the head itself, request line and fields, is parsed by `HeadParser` (HeadParser.swift).
public struct RequestParser: Sendable {
    public enum Step: Sendable {
        case needMore
        case head(RequestHead)
        case body([UInt8])
        case error(HTTPParseError)
    }

    private enum ChunkState: Sendable {
        case sizeLine
        case data(remaining: Int)
        case dataEnd
        case trailers(bytes: Int)
    }

    private enum State: Sendable {
        case head
        case lengthBody(Int)
        case chunkedBody(ChunkState)
        case noBody
        case failed(HTTPParseError)
    }

    public let limits: ParserLimits
    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// Where the search for the end of the head resumes, and where the current line began.
    private var scanIndex = 0
    private var lineStart = 0
    private var requestLineEnd = -1
    private var headerLines = 0
    private var state: State = .head
    private var bodyLimit: Int
    private var decoded: [UInt8] = []

    public init(limits: ParserLimits = ParserLimits()) {
        self.limits = limits
        self.bodyLimit = limits.defaultBodyLimit
        buffer.reserveCapacity(2048)
    }

    /// Bytes received but not consumed yet (a pipelined request, or a partial one).
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// True between `.head` and `.body`.
    public var isReadingBody: Bool {
        switch state {
        case .lengthBody, .chunkedBody, .noBody: return true
        default: return false
        }
    }

    /// True when no byte of a next request has arrived.
    public var isIdle: Bool {
        if case .head = state { return readIndex == buffer.count }
        return false
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compactIfUseful()
        buffer.append(contentsOf: bytes.bindMemory(to: UInt8.self))
    }

    public mutating func append(_ bytes: [UInt8]) {
        compactIfUseful()
        buffer.append(contentsOf: bytes)
    }

    /// Sets the body limit of the request whose head was just returned (the route's limit).
    public mutating func setBodyLimit(_ limit: Int) {
        bodyLimit = min(limit, limits.maxBodyLimit)
    }

    public mutating func next() -> Step {
        switch state {
        case .failed(let error):
            return .error(error)
        case .head:
            return parseHead()
        case .noBody:
            finishRequest()
            return .body([])
        case .lengthBody(let length):
            if length > bodyLimit {
                return fail(HTTPParseError(.payloadTooLarge, "Content-Length exceeds the limit of \(bodyLimit) bytes"))
            }
            guard buffer.count - readIndex >= length else { return .needMore }
            let body: [UInt8]
            if readIndex == 0 && buffer.count == length {
                body = buffer
                buffer = []
                buffer.reserveCapacity(2048)
            } else {
                body = Array(buffer[readIndex..<readIndex + length])
                readIndex += length
            }
            finishRequest()
            return .body(body)
        case .chunkedBody(let chunkState):
            return parseChunked(chunkState)
        }
    }

    // MARK: - Head

    private mutating func fail(_ error: HTTPParseError) -> Step {
        state = .failed(error)
        return .error(error)
    }

    private mutating func finishRequest() {
        state = .head
        bodyLimit = limits.defaultBodyLimit
        decoded = []
        scanIndex = readIndex
        lineStart = readIndex
        requestLineEnd = -1
        headerLines = 0
    }

    private mutating func compactIfUseful() {
        if readIndex == 0 { return }
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
        } else if readIndex >= 4096 || readIndex * 2 >= buffer.count {
            buffer.removeSubrange(0..<readIndex)
        } else {
            return
        }
        scanIndex -= readIndex
        lineStart -= readIndex
        if requestLineEnd >= 0 { requestLineEnd -= readIndex }
        readIndex = 0
    }

    private mutating func parseHead() -> Step {
        // Tolerate empty lines before a request line (RFC 9112 §2.2), e.g. after a body's stray CRLF.
        if requestLineEnd < 0 && scanIndex == readIndex {
            while readIndex < buffer.count, buffer[readIndex] == 0x0D || buffer[readIndex] == 0x0A {
                readIndex += 1
            }
            scanIndex = readIndex
            lineStart = readIndex
            if readIndex == buffer.count { return .needMore }
        }
        let count = buffer.count
        let limits = self.limits
        let headStart = self.readIndex
        var scan = (position: scanIndex, lineStart: lineStart, requestLineEnd: requestLineEnd, headerLines: headerLines)
        let found: Result<Int, HTTPParseError>? = buffer.withUnsafeBufferPointer { bytes in
            let base = bytes.baseAddress!
            while scan.position < count {
                guard let hit = memchr(base + scan.position, 0x0A, count - scan.position) else { break }
                let lf = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                guard lf > headStart, bytes[lf - 1] == 0x0D else {
                    return .failure(.bad("bare LF in the request head"))
                }
                if scan.requestLineEnd < 0 {
                    scan.requestLineEnd = lf
                    if lf - 1 - headStart > limits.maxRequestLineLength {
                        return .failure(HTTPParseError(.uriTooLong, "request line longer than \(limits.maxRequestLineLength) bytes"))
                    }
                } else if lf - 1 == scan.lineStart {
                    return .success(lf + 1)  // empty line: end of head
                } else {
                    scan.headerLines += 1
                    if scan.headerLines > limits.maxHeaderCount {
                        return .failure(HTTPParseError(.requestHeaderFieldsTooLarge, "more than \(limits.maxHeaderCount) header fields"))
                    }
                }
                scan.lineStart = lf + 1
                scan.position = lf + 1
            }
            scan.position = count
            if scan.requestLineEnd < 0 {
                if count - headStart > limits.maxRequestLineLength + 1 {
                    return .failure(HTTPParseError(.uriTooLong, "request line longer than \(limits.maxRequestLineLength) bytes"))
                }
            } else if count - (scan.requestLineEnd + 1) > limits.maxHeaderBytes {
                return .failure(HTTPParseError(.requestHeaderFieldsTooLarge, "header section larger than \(limits.maxHeaderBytes) bytes"))
            }
            return nil
        }
        scanIndex = scan.position
        lineStart = scan.lineStart
        requestLineEnd = scan.requestLineEnd
        headerLines = scan.headerLines
        switch found {
        case nil:
            return .needMore
        case .failure(let error):
            return fail(error)
        case .success(let headEnd):
            if headEnd - (requestLineEnd + 1) > limits.maxHeaderBytes {
                return fail(HTTPParseError(.requestHeaderFieldsTooLarge, "header section larger than \(limits.maxHeaderBytes) bytes"))
            }
            let lineEnd = requestLineEnd
            let result = buffer.withUnsafeBufferPointer { bytes in
                HeadParser.parse(bytes, start: readIndex, requestLineEnd: lineEnd, end: headEnd)
            }
            switch result {
            case .failure(let error):
                return fail(error)
            case .success(let head):
                self.readIndex = headEnd
                scanIndex = headEnd
                lineStart = headEnd
                requestLineEnd = -1
                headerLines = 0
                switch head.framing {
                case .none: state = .noBody
                case .length(let n): state = n == 0 ? .noBody : .lengthBody(n)
                case .chunked: state = .chunkedBody(.sizeLine)
                }
                return .head(head)
            }
        }
    }

    // MARK: - Chunked body

    private mutating func parseChunked(_ start: ChunkState) -> Step {
        var chunkState = start
        while true {
            switch chunkState {
            case .sizeLine:
                guard let lf = findLF() else {
                    if buffer.count - readIndex > limits.maxChunkLineLength {
                        return fail(.bad("chunk size line too long"))
                    }
                    state = .chunkedBody(chunkState)
                    return .needMore
                }
                if lf - readIndex > limits.maxChunkLineLength { return fail(.bad("chunk size line too long")) }
                guard lf > readIndex, buffer[lf - 1] == 0x0D else { return fail(.bad("chunk size line not ended by CRLF")) }
                switch parseChunkSize(from: readIndex, to: lf - 1) {
                case .failure(let error):
                    return fail(error)
                case .success(let size):
                    readIndex = lf + 1
                    if size == 0 {
                        chunkState = .trailers(bytes: 0)
                    } else {
                        if size > bodyLimit - decoded.count {
                            return fail(HTTPParseError(.payloadTooLarge, "chunked body exceeds the limit of \(bodyLimit) bytes"))
                        }
                        if decoded.isEmpty { decoded.reserveCapacity(min(size, 64 << 10)) }
                        chunkState = .data(remaining: size)
                    }
                }
            case .data(let remaining):
                let available = buffer.count - readIndex
                if available == 0 {
                    state = .chunkedBody(chunkState)
                    return .needMore
                }
                let take = min(available, remaining)
                decoded.append(contentsOf: buffer[readIndex..<readIndex + take])
                readIndex += take
                chunkState = take == remaining ? .dataEnd : .data(remaining: remaining - take)
            case .dataEnd:
                guard buffer.count - readIndex >= 2 else {
                    state = .chunkedBody(chunkState)
                    return .needMore
                }
                guard buffer[readIndex] == 0x0D, buffer[readIndex + 1] == 0x0A else {
                    return fail(.bad("chunk data not followed by CRLF"))
                }
                readIndex += 2
                chunkState = .sizeLine
            case .trailers(let bytes):
                guard let lf = findLF() else {
                    if bytes + buffer.count - readIndex > limits.maxHeaderBytes {
                        return fail(HTTPParseError(.requestHeaderFieldsTooLarge, "trailer section too large"))
                    }
                    state = .chunkedBody(chunkState)
                    return .needMore
                }
                guard lf > readIndex, buffer[lf - 1] == 0x0D else { return fail(.bad("trailer line not ended by CRLF")) }
                let lineLength = lf + 1 - readIndex
                if lineLength == 2 {
                    readIndex = lf + 1
                    let body = decoded
                    finishRequest()
                    return .body(body)
                }
                // A trailer field: tolerated and dropped, after a basic syntax check.
                for i in readIndex..<(lf - 1) {
                    let byte = buffer[i]
                    if byte == 0 || byte == 0x0D || byte == 0x0A { return fail(.bad("invalid byte in a trailer field")) }
                }
                if bytes + lineLength > limits.maxHeaderBytes {
                    return fail(HTTPParseError(.requestHeaderFieldsTooLarge, "trailer section too large"))
                }
                readIndex = lf + 1
                chunkState = .trailers(bytes: bytes + lineLength)
            }
        }
    }

    private func findLF() -> Int? {
        let count = buffer.count
        guard readIndex < count else { return nil }
        return buffer.withUnsafeBufferPointer { bytes -> Int? in
            let base = bytes.baseAddress!
            guard let hit = memchr(base + readIndex, 0x0A, count - readIndex) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// chunk-size [ BWS ";" chunk-ext ] between `start` and `end` (the CR).
    private func parseChunkSize(from start: Int, to end: Int) -> Result<Int, HTTPParseError> {
        var index = start
        var size = 0
        var digits = 0
        while index < end, let value = PercentDecoding.hexValue(buffer[index]) {
            if size > (Int.max >> 4) { return .failure(.bad("chunk size overflows")) }
            size = size << 4 | Int(value)
            if size > 0 || value > 0 { digits += 1 }
            index += 1
        }
        if index == start { return .failure(.bad("missing chunk size")) }
        if digits > 15 { return .failure(.bad("chunk size overflows")) }
        while index < end, buffer[index] == 0x20 || buffer[index] == 0x09 { index += 1 }
        if index < end {
            guard buffer[index] == 0x3B else { return .failure(.bad("invalid chunk size")) }
            for i in index..<end {
                let byte = buffer[i]
                if (byte < 0x20 && byte != 0x09) || byte == 0x7F { return .failure(.bad("invalid chunk extension")) }
            }
        }
        return .success(size)
    }
}
