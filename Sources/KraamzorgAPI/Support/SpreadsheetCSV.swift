import FoundationEssentials
import HTTPServer
import KraamzorgRules

/// CSV files as Dutch Excel opens them: UTF-8 with a byte order mark (else Excel reads Windows-1252 and
/// "cliënt" breaks), `;` between fields (Dutch Excel's list separator), CRLF line ends, fields quoted per
/// RFC 4180 (with `;` as the separator), and no cell that a spreadsheet would run as a formula.
enum SpreadsheetCSV {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The file: BOM, header line, one line per row.
    static func file(header: [String], rows: [[String]]) -> [UInt8] {
        var text = line(header)
        for row in rows { text += line(row) }
        return byteOrderMark + Array(text.utf8)
    }

    static func line(_ cells: [String]) -> String { cells.map(cell).joined(separator: ";") + "\r\n" }

    /// One field. A text starting with `=`, `+`, `-`, `@`, a tab or a carriage return would be run as a formula
    /// (CSV injection): it gets a leading `'`, which Excel shows as text. Whole numbers (also negative) stay as
    /// they are. A field with `;`, `"`, CR or LF is quoted, its quotes doubled.
    static func cell(_ value: String) -> String {
        var v = value
        if let first = v.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Int(v) == nil { v = "'" + v }
        if v.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            v = "\"" + v.replacingAll("\"", with: "\"\"") + "\""
        }
        return v
    }

    /// A 200 with the file as an attachment named `filename` (ASCII letters, digits, `-`, `.` only).
    static func response(filename: String, header: [String], rows: [[String]]) -> HTTPResponse {
        var headers: HTTPHeaders = ["Content-Type": "text/csv; charset=utf-8"]
        headers["Content-Disposition"] = "attachment; filename=\"\(filename)\""
        return HTTPResponse(status: .ok, headers: headers, body: file(header: header, rows: rows))
    }

    /// Whether the caller asked for CSV (`Accept: text/csv`).
    static func wanted(_ request: HTTPRequest) -> Bool {
        (request.headers["Accept"] ?? "").lowercased().contains("text/csv")
    }
}
