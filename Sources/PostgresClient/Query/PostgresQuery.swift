/// SQL text with its parameters kept apart.
///
/// Interpolated values become `$1…$n` parameters, never SQL text:
/// `"SELECT * FROM t WHERE id = \(id)"` is sent as `SELECT * FROM t WHERE id = $1` with `id` bound.
/// Use `\(unsafeRaw:)` only for identifiers written in code, never for input.
public struct PostgresQuery: Sendable, Hashable, ExpressibleByStringInterpolation {
    public var sql: String
    public var binds: [PostgresBind]

    /// The SQL is sent as written: only for text from code, never built from input.
    public init(unsafeSQL: String, binds: [PostgresBind] = []) {
        self.sql = unsafeSQL
        self.binds = binds
    }

    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.init(unsafeSQL: stringInterpolation.sql, binds: stringInterpolation.binds)
    }

    public struct StringInterpolation: StringInterpolationProtocol, Sendable {
        public var sql: String
        public var binds: [PostgresBind]

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + 3 * interpolationCount)
            binds = []
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            append(value.postgresBind)
        }

        /// `nil` binds SQL NULL.
        public mutating func appendInterpolation(_ value: (some PostgresEncodable)?) {
            append(value?.postgresBind ?? .null)
        }

        /// Pastes text into the SQL itself. Only for identifiers and fragments written in code.
        public mutating func appendInterpolation(unsafeRaw: String) {
            sql += unsafeRaw
        }

        /// Pastes a fragment built the same way (`let f: PostgresQuery = "c.region_id = ANY(\(ids))"`), its
        /// parameters renumbered after the ones before it. Lets a query be composed of the conditions that
        /// apply, each still parameterized. The fragment's SQL must use `$` only for its own placeholders.
        public mutating func appendInterpolation(_ fragment: PostgresQuery) {
            let offset = binds.count
            binds.append(contentsOf: fragment.binds)
            guard offset > 0, !fragment.binds.isEmpty else {
                sql += fragment.sql
                return
            }
            var chars = fragment.sql.unicodeScalars.makeIterator()
            var pending: Unicode.Scalar? = chars.next()
            while let c = pending {
                pending = chars.next()
                sql.unicodeScalars.append(c)
                guard c == "$", let first = pending, ("0"..."9").contains(first) else { continue }
                var number = 0
                while let d = pending, ("0"..."9").contains(d) {
                    number = number * 10 + Int(d.value - 48)
                    pending = chars.next()
                }
                sql += String(number + offset)
            }
        }

        private mutating func append(_ bind: PostgresBind) {
            binds.append(bind)
            sql += "$\(binds.count)"
        }
    }
}

extension PostgresQuery {
    /// The size of the parameters' values.
    var parameterBytes: Int {
        var size = 0
        for bind in binds {
            switch bind {
            case .text(let text): size += text.utf8.count
            case .binary(let bytes): size += bytes.count
            case .null: break
            }
        }
        return size
    }
}
