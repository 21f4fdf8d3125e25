import FoundationEssentials
import DatesAndIDs

/// Where and how to connect, and how big the pool is.
///
/// `description` never shows the password.
public struct PostgresConfiguration: Sendable, CustomStringConvertible {
    /// Host name, IP address, or a directory holding the server's Unix socket. nil: libpq's default.
    public var host: String?
    public var port: Int?
    public var user: String?
    public var password: String?
    public var database: String?
    public var applicationName: String
    /// libpq's `sslmode` (`disable`, `prefer`, `require`, `verify-full`, …). nil: libpq's default.
    public var sslMode: String?
    /// Other libpq connection keywords from the URL's query (e.g. `sslrootcert`), passed through as given.
    public var otherOptions: [String: String]

    /// Connections the pool keeps open at most.
    public var poolSize: Int = 10
    /// Server-side `statement_timeout` for every statement on every connection; exceeding it raises 57014.
    public var statementTimeout: Duration = .seconds(30)
    /// Establishing one connection; libpq counts in whole seconds, at least 2.
    public var connectTimeout: Duration = .seconds(5)
    /// Waiting for a free connection when all `poolSize` are busy; then `PostgresError(kind: .timeout)`.
    public var acquireTimeout: Duration = .seconds(10)
    /// Prepared statements kept per connection; when full, the connection deallocates all and starts over.
    public var preparedStatementCacheSize: Int = 512
    /// Pipelined connections shared by one-statement reads (`PostgresPool.sharedRead`), per traffic class, on top of
    /// `poolSize`; 0: those reads take pool connections like any other statement. URL parameter `shared_reads`.
    public var sharedReadConnections: Int = 2

    public init(
        host: String? = nil, port: Int? = nil, user: String? = nil, password: String? = nil,
        database: String? = nil, applicationName: String = "kraamzorg"
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.applicationName = applicationName
        self.sslMode = nil
        self.otherOptions = [:]
    }

    /// `postgresql://user:password@host:port/database?sslmode=require&application_name=api`
    /// (or `postgres://`). User, password and database are percent-decoded; `host` in the query
    /// (e.g. a socket directory) overrides the authority's host.
    public init(url: String) throws {
        func invalid(_ reason: String) -> PostgresError {
            PostgresError(kind: .connection, message: "invalid database URL: \(reason)")
        }
        func decode(_ part: Substring) throws -> String {
            guard let value = percentDecoded(part) else { throw invalid("bad percent-encoding") }
            return value
        }
        var rest: Substring
        if url.hasPrefix("postgresql://") {
            rest = url.dropFirst("postgresql://".count)
        } else if url.hasPrefix("postgres://") {
            rest = url.dropFirst("postgres://".count)
        } else {
            throw invalid("expected postgresql:// or postgres://")
        }
        self.init()
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var authority = rest
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            let path = rest[rest.index(after: slash)...]
            if !path.isEmpty { database = try decode(path) }
        }
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                user = try decode(userInfo[..<colon])
                password = try decode(userInfo[userInfo.index(after: colon)...])
            } else if !userInfo.isEmpty {
                user = try decode(userInfo)
            }
        }
        var hostPart = authority
        var portPart: Substring?
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { throw invalid("unclosed [ in host") }
            let after = hostPart[hostPart.index(after: close)...]
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
            if after.hasPrefix(":") { portPart = after.dropFirst() } else if !after.isEmpty { throw invalid("bad host") }
        } else if let colon = hostPart.lastIndex(of: ":") {
            portPart = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }
        if !hostPart.isEmpty { host = try decode(hostPart) }
        if let portPart {
            guard let value = Int(portPart), (1...65535).contains(value) else { throw invalid("bad port") }
            port = value
        }
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let key: String
            let value: String
            if let equals = pair.firstIndex(of: "=") {
                key = try decode(pair[..<equals])
                value = try decode(pair[pair.index(after: equals)...])
            } else {
                key = try decode(pair)
                value = ""
            }
            switch key {
            case "sslmode": sslMode = value
            case "application_name": applicationName = value
            case "host": host = value
            case "port":
                guard let number = Int(value), (1...65535).contains(number) else { throw invalid("bad port") }
                port = number
            case "user": user = value
            case "password": password = value
            case "dbname": database = value
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0 else { throw invalid("bad connect_timeout") }
                connectTimeout = .seconds(seconds)
            case "statement_timeout":
                guard let millis = Int(value), millis >= 0 else { throw invalid("bad statement_timeout") }
                statementTimeout = .milliseconds(millis)
            case "pool_size":
                guard let size = Int(value), size > 0 else { throw invalid("bad pool_size") }
                poolSize = size
            case "shared_reads":
                guard let count = Int(value), (0...16).contains(count) else { throw invalid("bad shared_reads (0…16)") }
                sharedReadConnections = count
            case "options", "client_encoding", "fallback_application_name":
                throw invalid("\(key) is set by the client itself")
            default:
                otherOptions[key] = value
            }
        }
    }

    public var description: String {
        var text = "postgresql://"
        if let user { text += user + (password == nil ? "" : ":***") + "@" }
        if let host { text += host.contains(":") ? "[\(host)]" : host }
        if let port { text += ":\(port)" }
        text += "/" + (database ?? "")
        return text
    }

    /// libpq keyword/value pairs for `PQconnectdbParams`.
    var libpqParameters: [(String, String)] {
        var parameters: [(String, String)] = []
        if let host { parameters.append(("host", host)) }
        if let port { parameters.append(("port", String(port))) }
        if let user { parameters.append(("user", user)) }
        if let password { parameters.append(("password", password)) }
        if let database { parameters.append(("dbname", database)) }
        if let sslMode { parameters.append(("sslmode", sslMode)) }
        parameters.append(("application_name", applicationName))
        parameters.append(("client_encoding", "UTF8"))
        parameters.append(("connect_timeout", String(max(2, Self.wholeSecondsRoundingUp(connectTimeout)))))
        // Dead peers are noticed within about a minute even when no query is running.
        parameters.append(("keepalives", "1"))
        parameters.append(("keepalives_idle", "30"))
        parameters.append(("keepalives_interval", "10"))
        parameters.append(("keepalives_count", "3"))
        let statementMillis = statementTimeoutMillis
        // Output formats this module decodes, whatever the server's or role's defaults are.
        parameters.append(
            (
                "options",
                "-c statement_timeout=\(statementMillis) -c bytea_output=hex -c DateStyle=ISO,MDY"
                    + " -c IntervalStyle=postgres -c extra_float_digits=3"
            ))
        for (key, value) in otherOptions.sorted(by: { $0.key < $1.key }) {
            parameters.append((key, value))
        }
        return parameters
    }

    /// `statementTimeout` as PostgreSQL takes it.
    var statementTimeoutMillis: Int { max(0, Self.milliseconds(statementTimeout)) }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }

    static func wholeSecondsRoundingUp(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) + (attoseconds > 0 ? 1 : 0)
    }
}

/// `%XX` escapes decoded, as Foundation's `removingPercentEncoding` (not in FoundationEssentials):
/// nil on a malformed escape or when the result is not UTF-8.
private func percentDecoded(_ text: Substring) -> String? {
    func hex(_ b: UInt8) -> UInt8? { Hex.value(of: b) }
    var out: [UInt8] = []
    var it = text.utf8.makeIterator()
    while let b = it.next() {
        if b == 0x25 {
            guard let hi = it.next().flatMap(hex), let lo = it.next().flatMap(hex) else { return nil }
            out.append(hi << 4 | lo)
        } else {
            out.append(b)
        }
    }
    return String(validating: out, as: UTF8.self)
}
