/// A whole result, read into memory: every cell's bytes in one buffer, turned into Swift values
/// only when a column is decoded.
public struct PostgresRows: Sendable, RandomAccessCollection {
    /// Rows returned, or rows changed by INSERT/UPDATE/DELETE (the command tag's count).
    public var affectedRows: Int
    public var columns: [String] { storage.columns }

    let storage: PostgresResultStorage

    init(storage: PostgresResultStorage, affectedRows: Int) {
        self.storage = storage
        self.affectedRows = affectedRows
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.rowCount }

    public subscript(position: Int) -> PostgresRow {
        precondition(position >= 0 && position < storage.rowCount, "row index out of range")
        return PostgresRow(storage: storage, row: position)
    }
}

/// One row of a `PostgresRows`; cheap to copy (it shares the result's buffer).
public struct PostgresRow: Sendable {
    @usableFromInline let storage: PostgresResultStorage
    @usableFromInline let row: Int

    init(storage: PostgresResultStorage, row: Int) {
        self.storage = storage
        self.row = row
    }

    public var columns: [String] { storage.columns }

    // `decode` is inlinable so that it is specialized for `T` where it is called: unspecialized, every cell looked up
    // the metadata of `T?` and `T??` at run time, most of a 100-row page's decoding (issue 23).

    /// NULL decodes only into an Optional; a missing column or unparsable text throws
    /// `PostgresError(kind: .decoding)` naming the column, never the value.
    @inlinable
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let index = storage.columnIndex(column) else { throw Self.missing(column) }
        return try decodeCell(index, as: type)
    }

    @inlinable
    public func decode<T: PostgresDecodable>(_ index: Int, as type: T.Type = T.self) throws -> T {
        guard index >= 0 && index < storage.columns.count else { throw Self.missing(index: index) }
        return try decodeCell(index, as: type)
    }

    /// False for an unknown column.
    public func isNull(_ column: String) -> Bool {
        guard let index = storage.columnIndex(column) else { return false }
        return storage.text(row: row, column: index) == nil
    }

    public func isNull(_ index: Int) -> Bool {
        guard index >= 0 && index < storage.columns.count else { return false }
        return storage.text(row: row, column: index) == nil
    }

    @inlinable
    func decodeCell<T: PostgresDecodable>(_ index: Int, as type: T.Type) throws -> T {
        guard let text = storage.text(row: row, column: index) else {
            if let null = T.postgresNull { return null }
            throw Self.null(storage.columns[index], "\(T.self)")
        }
        do {
            return try T(postgresText: text)
        } catch {
            throw Self.unreadable(storage.columns[index], "\(T.self)")
        }
    }

    @usableFromInline
    static func missing(_ column: String) -> PostgresError {
        PostgresError(kind: .decoding, message: "no column named \"\(column)\" in the result", column: column)
    }

    @usableFromInline
    static func missing(index: Int) -> PostgresError {
        PostgresError(kind: .decoding, message: "no column at index \(index) in the result")
    }

    @usableFromInline
    static func null(_ column: String, _ type: String) -> PostgresError {
        PostgresError(kind: .decoding, message: "column \"\(column)\" is NULL; decode it as \(type)? instead", column: column)
    }

    @usableFromInline
    static func unreadable(_ column: String, _ type: String) -> PostgresError {
        PostgresError(kind: .decoding, message: "column \"\(column)\" can not be read as \(type)", column: column)
    }
}

/// Immutable after creation, so sharing it between threads is safe.
@usableFromInline
final class PostgresResultStorage: Sendable {
    @usableFromInline let columns: [String]
    let rowCount: Int
    /// All non-NULL cell bytes, back to back.
    let bytes: [UInt8]
    /// Per cell (row-major): start offset in `bytes`, and length or -1 for NULL.
    let cells: [(start: Int32, length: Int32)]

    init(columns: [String], rowCount: Int, bytes: [UInt8], cells: [(start: Int32, length: Int32)]) {
        self.columns = columns
        self.rowCount = rowCount
        self.bytes = bytes
        self.cells = cells
    }

    @usableFromInline
    func columnIndex(_ name: String) -> Int? {
        columns.firstIndex(of: name)
    }

    @usableFromInline
    func text(row: Int, column: Int) -> String? {
        let cell = cells[row * columns.count + column]
        guard cell.length >= 0 else { return nil }
        let start = Int(cell.start)
        return bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<start + Int(cell.length)]), as: UTF8.self)
        }
    }
}
