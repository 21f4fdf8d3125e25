import FoundationEssentials

/// How a read inside a transaction locks the rows it returns, until the transaction ends.
public enum RowLock: Sendable {
    case none
    /// Others may read and share-lock them, but not change them.
    case share
    /// Others wait to lock or change them.
    case update

    var sql: String {
        switch self {
        case .none: ""
        case .share: "FOR SHARE"
        case .update: "FOR UPDATE"
        }
    }
}
