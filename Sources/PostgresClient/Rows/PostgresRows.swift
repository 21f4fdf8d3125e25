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
    let storage: PostgresResultStorage
    let row: Int

    public var columns: [String] { storage.columns }

    /// NULL decodes only into an Optional; a missing column or unparsable text throws
    /// `PostgresError(kind: .decoding)` naming the column, never the value.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let index = storage.columnIndex(column) else {
            throw PostgresError(kind: .decoding, message: "no column named \"\(column)\" in the result", column: column)
        }
        return try decodeCell(index, as: type)
    }

    public func decode<T: PostgresDecodable>(_ index: Int, as type: T.Type = T.self) throws -> T {
        guard index >= 0 && index < storage.columns.count else {
            throw PostgresError(kind: .decoding, message: "no column at index \(index) in the result")
        }
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

    private func decodeCell<T: PostgresDecodable>(_ index: Int, as type: T.Type) throws -> T {
        let name = storage.columns[index]
        guard let text = storage.text(row: row, column: index) else {
            if let null = T.postgresNull { return null }
            throw PostgresError(
                kind: .decoding, message: "column \"\(name)\" is NULL; decode it as \(T.self)? instead", column: name)
        }
        do {
            return try T(postgresText: text)
        } catch {
            throw PostgresError(kind: .decoding, message: "column \"\(name)\" can not be read as \(T.self)", column: name)
        }
    }
}

/// Immutable after creation, so sharing it between threads is safe.
final class PostgresResultStorage: Sendable {
    let columns: [String]
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

    func columnIndex(_ name: String) -> Int? {
        columns.firstIndex(of: name)
    }

    func text(row: Int, column: Int) -> String? {
        let cell = cells[row * columns.count + column]
        guard cell.length >= 0 else { return nil }
        let start = Int(cell.start)
        return bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<start + Int(cell.length)]), as: UTF8.self)
        }
    }
}
