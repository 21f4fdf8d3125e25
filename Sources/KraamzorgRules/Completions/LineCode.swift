import Synchronization

/// Small integers for the codes an accreditation line resolves by: `(norm, category)` and
/// `(norm, category, subject)`. Equal codes mean byte-for-byte equal strings (the same equality `CodeKey`
/// gives), so `PreparedNorm` resolves a line and spots a repeated line by comparing integers.
///
/// Interned once, when a line (or a prepared norm) is made; never on the evaluation path. The table only
/// grows; past `limit` entries new triples get `unassigned` and are resolved by their strings instead.
enum LineCode {
    static let unassigned: UInt32 = .max
    static let limit = 1 << 20

    /// `(norm, category)` when `subject` is nil: a line without a subject has the same code as its category.
    static func code(norm: String, category: String, subject: String?) -> UInt32 {
        let key = Key(norm: norm, category: category, subject: subject)
        return table.withLock { t in
            if let code = t[key] { return code }
            guard t.count < limit else { return unassigned }
            let code = UInt32(t.count)
            t[key] = code
            return code
        }
    }

    private static let table = Mutex<[Key: UInt32]>([:])

    /// Compares and hashes UTF-8 bytes (not canonical equivalence), like `CodeKey`.
    private struct Key: Hashable {
        let norm: String
        let category: String
        let subject: String?

        static func == (a: Key, b: Key) -> Bool {
            guard sameBytes(a.norm, b.norm), sameBytes(a.category, b.category) else { return false }
            switch (a.subject, b.subject) {
            case (nil, nil): return true
            case let (x?, y?): return sameBytes(x, y)
            default: return false
            }
        }

        func hash(into h: inout Hasher) {
            Key.hashBytes(norm, into: &h)
            Key.hashBytes(category, into: &h)
            if let subject {
                h.combine(UInt8(1))
                Key.hashBytes(subject, into: &h)
            } else {
                h.combine(UInt8(0))
            }
        }

        private static func sameBytes(_ a: String, _ b: String) -> Bool {
            a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
        }

        private static func hashBytes(_ s: String, into h: inout Hasher) {
            var s = s
            s.withUTF8 { bytes in
                h.combine(bytes.count)
                h.combine(bytes: UnsafeRawBufferPointer(bytes))
            }
        }
    }
}
