import FoundationEssentials
import Hashing
import DatesAndIDs

/// One page of a list: API.md's `{"items", "total", "nextCursor"}`.
public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    public let total: Int
    public let nextCursor: String?

    public init(items: [Item], total: Int, nextCursor: String?) {
        self.items = items
        self.total = total
        self.nextCursor = nextCursor
    }
}

/// A keyset position (sort key text + id) carried as an opaque base64url string, so clients cannot
/// depend on its shape and pages stay stable while rows are added.
public struct PageCursor: Sendable, Equatable {
    public let key: String
    public let id: UUID

    public init(key: String, id: UUID) { self.key = key; self.id = id }

    public init?(encoded: String) {
        guard let bytes = Base64URL.decode(encoded), let text = String(validating: bytes, as: UTF8.self),
            let bar = text.lastIndex(of: "|"), let id = UUID(uuidString: String(text[text.index(after: bar)...]))
        else { return nil }
        self.key = String(text[..<bar])
        self.id = id
    }

    public var encoded: String { Base64URL.encode(Array("\(key)|\(id.lowercasedString)".utf8)) }
}

/// `?limit=` bounds from API.md: default 50, at most 500.
public struct PageRequest: Sendable {
    public let limit: Int
    public let after: PageCursor?

    public static let defaultLimit = 50
    public static let maxLimit = 500

    public init(limit: Int = PageRequest.defaultLimit, after: PageCursor? = nil) {
        self.limit = min(max(limit, 1), PageRequest.maxLimit)
        self.after = after
    }

    /// A whole list from its start, up to `count` rows, past the page bound (a spreadsheet export).
    public static func whole(upTo count: Int) -> PageRequest { PageRequest(unbounded: count) }

    private init(unbounded count: Int) {
        limit = count
        after = nil
    }
}
