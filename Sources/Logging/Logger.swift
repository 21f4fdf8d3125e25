import Glibc
import CLinuxSystem

/// A one-line JSON logger: `{"ts":…,"level":…,"msg":…,<fields sorted by name>}` per call.
public struct Logger: Sendable {
    public enum Level: Int, Comparable, Sendable, CustomStringConvertible {
        case debug, info, warn, error

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        /// Parses `LOG_LEVEL` values: `debug`, `info`, `warn` (or `warning`), `error`, in any case.
        public init?(name: String) {
            switch name.lowercased() {
            case "debug": self = .debug
            case "info": self = .info
            case "warn", "warning": self = .warn
            case "error": self = .error
            default: return nil
            }
        }

        public var description: String {
            switch self {
            case .debug: return "debug"
            case .info: return "info"
            case .warn: return "warn"
            case .error: return "error"
            }
        }
    }

    public let level: Level
    private let sink: @Sendable (String) -> Void
    /// True for the default sink: batches of lines then leave in one write.
    private let writesToStandardOutput: Bool

    /// `sink` receives each line without its newline. The default writes the line and a newline to
    /// standard output with one `write` call.
    public init(level: Level = .info, sink: (@Sendable (String) -> Void)? = nil) {
        self.level = level
        self.sink = sink ?? Logger.standardOutput
        self.writesToStandardOutput = sink == nil
    }

    /// Emits several formatted lines (the event loops batch access-log lines per iteration).
    public func emit(_ lines: [String]) {
        if writesToStandardOutput {
            var text = ""
            text.reserveCapacity(lines.reduce(0) { $0 + $1.utf8.count + 1 })
            for line in lines {
                text += line
                text += "\n"
            }
            Logger.writeAll(text)
        } else {
            for line in lines { sink(line) }
        }
    }

    /// The access-log line of one request (fields in the same sorted order as `log` uses).
    /// `path` is nil for a request that matched a route: path parameters can be credentials (link
    /// tokens) or personal data, so a matched request is logged by its route pattern only.
    public static func accessLine(
        requestId: String, method: String, path: String?, route: String, status: Int,
        durationMs: Double, bytes: Int, remote: String, traceId: String? = nil
    ) -> String {
        var line = "{\"ts\":\""
        line.reserveCapacity(256 + (path?.utf8.count ?? 0))
        appendTimestamp(to: &line)
        line += "\",\"level\":\"info\",\"msg\":\"request\",\"bytes\":"
        line += String(bytes)
        line += ",\"durationMs\":"
        LogValue.double(durationMs).append(to: &line)
        line += ",\"method\":"
        appendJSONString(method, to: &line)
        if let path {
            line += ",\"path\":"
            appendJSONString(path, to: &line)
        }
        line += ",\"remote\":"
        appendJSONString(remote, to: &line)
        line += ",\"requestId\":"
        appendJSONString(requestId, to: &line)
        line += ",\"route\":"
        appendJSONString(route, to: &line)
        line += ",\"status\":"
        line += String(status)
        if let traceId {
            line += ",\"traceId\":"
            appendJSONString(traceId, to: &line)
        }
        line += "}"
        return line
    }

    /// Cheap check before building fields that will be dropped.
    @inline(__always)
    public func isEnabled(_ level: Level) -> Bool { level >= self.level }

    public func log(_ level: Level, _ message: String, _ fields: [String: String] = [:]) {
        guard level >= self.level else { return }
        log(level, message, typed: fields.mapValues { LogValue.string($0) })
    }

    /// A line whose values keep their JSON types: numbers as numbers, booleans as booleans (`.null` fields are left out).
    public func log(_ level: Level, _ message: String, typed fields: [String: LogValue]) {
        guard level >= self.level else { return }
        var line = "{\"ts\":\""
        line.reserveCapacity(128 + message.utf8.count + fields.count * 32)
        Logger.appendTimestamp(to: &line)
        line += "\",\"level\":\""
        line += level.description
        line += "\",\"msg\":"
        Logger.appendJSONString(message, to: &line)
        for key in fields.keys.sorted() {
            let value = fields[key]!
            if case .null = value { continue }
            line += ","
            Logger.appendJSONString(key, to: &line)
            line += ":"
            value.append(to: &line)
        }
        line += "}"
        sink(line)
    }

    public func debug(_ message: String, _ fields: [String: String] = [:]) { log(.debug, message, fields) }
    public func info(_ message: String, _ fields: [String: String] = [:]) { log(.info, message, fields) }
    public func warn(_ message: String, _ fields: [String: String] = [:]) { log(.warn, message, fields) }
    public func error(_ message: String, _ fields: [String: String] = [:]) { log(.error, message, fields) }
    public func debug(_ message: String, _ fields: [String: LogValue]) { log(.debug, message, typed: fields) }
    public func info(_ message: String, _ fields: [String: LogValue]) { log(.info, message, typed: fields) }
    public func warn(_ message: String, _ fields: [String: LogValue]) { log(.warn, message, typed: fields) }
    public func error(_ message: String, _ fields: [String: LogValue]) { log(.error, message, typed: fields) }

    /// Writes `line` + "\n" to fd 1 (one write for lines up to PIPE_BUF, so concurrent lines do not interleave).
    public static let standardOutput: @Sendable (String) -> Void = { line in
        writeAll(line + "\n")
    }

    private static func writeAll(_ text: String) {
        var text = text
        text.withUTF8 { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(1, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    return
                }
                offset += n
            }
        }
    }

    /// RFC 3339 UTC with milliseconds, e.g. 2025-01-31T12:00:00.123Z.
    static func appendTimestamp(to line: inout String) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let millis = Int(now.tv_nsec / 1_000_000)
        line += String(parts.tm_year + 1900)
        line += "-"; pad2(Int(parts.tm_mon + 1), &line)
        line += "-"; pad2(Int(parts.tm_mday), &line)
        line += "T"; pad2(Int(parts.tm_hour), &line)
        line += ":"; pad2(Int(parts.tm_min), &line)
        line += ":"; pad2(Int(parts.tm_sec), &line)
        line += "."
        if millis < 100 { line += "0" }
        if millis < 10 { line += "0" }
        line += String(millis)
        line += "Z"
    }

    private static func pad2(_ value: Int, _ line: inout String) {
        if value < 10 { line += "0" }
        line += String(value)
    }

    /// Appends `value` as a JSON string literal (quotes, backslashes and control characters escaped).
    public static func appendJSONString(_ value: String, to line: inout String) {
        line += "\""
        var needsEscaping = false
        for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F {
            needsEscaping = true
            break
        }
        if !needsEscaping {
            line += value
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": line += "\\\""
                case "\\": line += "\\\\"
                case "\n": line += "\\n"
                case "\r": line += "\\r"
                case "\t": line += "\\t"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F {
                        let hex = String(scalar.value, radix: 16)
                        line += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        line.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        line += "\""
    }
}

/// A log field's value with its JSON type.
public enum LogValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    /// Left out of the line.
    case null

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    func append(to line: inout String) {
        switch self {
        case .string(let s): Logger.appendJSONString(s, to: &line)
        case .int(let n): line += String(n)
        case .double(let d): line += d.isFinite ? String(d) : "null"
        case .bool(let b): line += b ? "true" : "false"
        case .null: line += "null"
        }
    }
}
