import FoundationEssentials

/// A parsed document and what the decoder needs to track its keys.
public struct JSONDocument: Sendable {
    public let root: JSONValue
    /// Objects and keys in the whole document.
    public let objectCount: Int
    public let keyCount: Int
}

/// Reads RFC 8259 JSON, strictly: UTF-8 only (a leading byte order mark is skipped, as `JSONDecoder` skips it),
/// any value at the top, nesting up to `maximumDepth`, and no object with the same key twice. Everything is
/// checked up front, also in values no type will look at: escapes, UTF-8, the number grammar.
public enum JSONReader {
    /// As `JSONDecoder`.
    public static let maximumDepth = 512

    public static func parse(_ bytes: [UInt8]) throws(JSONInputError) -> JSONDocument {
        let result: Result<JSONDocument, JSONInputError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(bytes: buffer)
            do throws(Parser.Failure) {
                let root = try parser.document()
                return .success(JSONDocument(root: root, objectCount: parser.objectCount, keyCount: parser.keyCount))
            } catch {
                return .failure(error.inputError(bomLength: parser.bomLength))
            }
        }
        return try result.get()
    }
}

private struct Parser {
    enum Failure: Error {
        case syntax(offset: Int, reason: String)
        /// The path in reverse: the duplicate key first, then each enclosing key or index as the error unwinds.
        case duplicate(reversedPath: [JSONPath.Component])

        func inputError(bomLength: Int) -> JSONInputError {
            switch self {
            case .syntax(let offset, let reason): .syntax(offset: offset - bomLength, reason: reason)
            case .duplicate(let reversed): .duplicateKey(JSONPath(reversed.reversed()))
            }
        }

        func inside(_ component: JSONPath.Component) -> Failure {
            guard case .duplicate(var reversed) = self else { return self }
            reversed.append(component)
            return .duplicate(reversedPath: reversed)
        }
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0
    var depth = 0
    var objectCount = 0
    var keyCount = 0
    var bomLength = 0
    /// Reused for strings with escapes.
    var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func document() throws(Failure) -> JSONValue {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            i = 3
            bomLength = 3
        }
        skipWhitespace()
        guard i < bytes.count else { throw fail(bytes.isEmpty ? "the document is empty" : "no value") }
        let value = try value()
        skipWhitespace()
        guard i == bytes.count else { throw fail("more after the value") }
        return value
    }

    func fail(_ reason: String) -> Failure { .syntax(offset: i, reason: reason) }

    @inline(__always)
    mutating func skipWhitespace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x0A, 0x0D, 0x09: i += 1
            default: return
            }
        }
    }

    mutating func value() throws(Failure) -> JSONValue {
        guard i < bytes.count else { throw fail("unexpected end") }
        switch bytes[i] {
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw fail("unexpected character")
        }
    }

    mutating func literal(_ word: StaticString) throws(Failure) {
        let n = word.utf8CodeUnitCount
        guard bytes.count - i >= n else { throw fail("unexpected end") }
        let w = word.utf8Start
        for k in 0..<n where bytes[i + k] != w[k] { throw fail("unexpected character") }
        i += n
    }

    mutating func enter() throws(Failure) {
        guard depth < JSONReader.maximumDepth else { throw fail("nested deeper than \(JSONReader.maximumDepth)") }
        depth += 1
    }

    mutating func array() throws(Failure) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        i += 1  // [
        var values: [JSONValue] = []
        skipWhitespace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "]") {
            i += 1
            return .array(values)
        }
        while true {
            skipWhitespace()
            do throws(Failure) {
                values.append(try value())
            } catch {
                throw error.inside(.index(values.count))
            }
            skipWhitespace()
            guard i < bytes.count else { throw fail("unexpected end in an array") }
            switch bytes[i] {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "]"): i += 1; return .array(values)
            default: throw fail("expected , or ] in an array")
            }
        }
    }

    mutating func object() throws(Failure) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        i += 1  // {
        var keys: [String] = []
        var values: [JSONValue] = []
        var index: [String: Int]?
        skipWhitespace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                skipWhitespace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                    throw fail(i < bytes.count ? "expected a key" : "unexpected end in an object")
                }
                let key = try string()
                if index != nil {
                    guard index!.updateValue(keys.count, forKey: key) == nil else { throw Failure.duplicate(reversedPath: [.key(key)]) }
                } else {
                    for k in keys where k == key { throw Failure.duplicate(reversedPath: [.key(key)]) }
                    if keys.count == JSONObject.indexThreshold {
                        var built = [String: Int](minimumCapacity: 2 * JSONObject.indexThreshold)
                        for (n, k) in keys.enumerated() { built[k] = n }
                        built[key] = keys.count
                        index = built
                    }
                }
                skipWhitespace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
                    throw fail(i < bytes.count ? "expected : after a key" : "unexpected end in an object")
                }
                i += 1
                skipWhitespace()
                do throws(Failure) {
                    values.append(try value())
                } catch {
                    throw error.inside(.key(key))
                }
                keys.append(key)
                skipWhitespace()
                guard i < bytes.count else { throw fail("unexpected end in an object") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; break }
                throw fail("expected , or } in an object")
            }
        }
        let object = JSONObject(keys: keys, values: values, id: objectCount, firstSlot: keyCount, index: index)
        objectCount += 1
        keyCount += keys.count
        return .object(object)
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, kept as text.
    mutating func number() throws(Failure) -> String {
        let start = i
        @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        func digits(_ p: inout Parser) throws(Failure) {
            guard p.i < p.bytes.count, isDigit(p.bytes[p.i]) else { throw p.fail("a number needs a digit here") }
            while p.i < p.bytes.count && isDigit(p.bytes[p.i]) { p.i += 1 }
        }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, isDigit(bytes[i]) else { throw fail("a number needs a digit here") }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < bytes.count && isDigit(bytes[i]) { throw fail("a number may not start with 0") }
        } else {
            try digits(&self)
        }
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            i += 1
            try digits(&self)
        }
        if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            try digits(&self)
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
    }

    mutating func string() throws(Failure) -> String {
        i += 1  // "
        let start = i
        var high: UInt8 = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let text = UnsafeBufferPointer(rebasing: bytes[start..<i])
                i += 1
                if high < 0x80 { return String(decoding: text, as: UTF8.self) }
                guard let s = String(validating: text, as: UTF8.self) else {
                    throw Failure.syntax(offset: start, reason: "a string that is not UTF-8")
                }
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw fail("a control character in a string") }
            high |= b
            i += 1
        }
        guard i < bytes.count else { throw fail("unexpected end in a string") }
        // Escapes: the text is built in `scratch`, then checked as UTF-8 as a whole.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                i += 1
                guard let s = String(validating: scratch, as: UTF8.self) else {
                    throw Failure.syntax(offset: start, reason: "a string that is not UTF-8")
                }
                return s
            case UInt8(ascii: "\\"):
                i += 1
                guard i < bytes.count else { throw fail("unexpected end in a string") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(e)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = UInt32(try hex4())
                    if UTF16.isLeadSurrogate(UInt16(scalar)) {
                        guard bytes.count - i >= 2, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                            throw fail("a high surrogate without its low surrogate")
                        }
                        i += 2
                        let low = try hex4()
                        guard UTF16.isTrailSurrogate(low) else { throw fail("a high surrogate without its low surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail("a low surrogate without its high surrogate") }
                    scratch.append(contentsOf: UTF8.encode(u)!)
                default:
                    i -= 1
                    throw fail("an unknown escape")
                }
            default:
                if b < 0x20 { throw fail("a control character in a string") }
                scratch.append(b)
                i += 1
            }
        }
        throw fail("unexpected end in a string")
    }

    mutating func hex4() throws(Failure) -> UInt16 {
        guard bytes.count - i >= 4 else { throw fail("unexpected end in a \\u escape") }
        var v: UInt16 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let d: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - UInt8(ascii: "A") + 10
            default: throw fail("a \\u escape needs four hex digits")
            }
            v = v << 4 | UInt16(d)
            i += 1
        }
        return v
    }
}
