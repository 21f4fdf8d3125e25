import FoundationEssentials
import KraamzorgRules
import Synchronization

/// Decoded accreditation lines by their stored JSON text. A dossier lists each course's lines once per
/// completion, and a handful of courses cover most completions; the same text always decodes to the same
/// lines, so this can never go stale — it only saves the decoding.
enum CourseLinesMemo {
    private static let memo = Mutex([String: [AccreditationLine]]())
    /// Distinct line documents kept; a full memo starts over.
    static let maxEntries = 4096

    static func lines(_ text: String) throws -> [AccreditationLine] {
        if let known = memo.withLock({ $0[text] }) { return known }
        let lines = try JSONDecoder().decode([AccreditationLine].self, from: Data(text.utf8))
        memo.withLock { m in
            if m.count >= maxEntries { m.removeAll(keepingCapacity: true) }
            m[text] = lines
        }
        return lines
    }
}
