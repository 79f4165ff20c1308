/// The rowid of a filing in the full-text and name indexes (`filings_fts`, `company_names`, `person_names`): its
/// document date and its row in one integer, so that reading an index in rowid order reads its filings in date
/// order, ties in storage order, exactly the order of ``FilingQuery/Order/dateDescending`` and ``FilingQuery/Order/dateAscending``.
///
/// The date "YYYY-MM-DD" becomes the number YYYYMMDD (0 for a filing without a date, which sorts first as the
/// empty string does) in the high bits; the row takes the low ``rowBits``.
enum DateKey {
    /// Bits of the row: rows up to 2³⁶ − 1, and YYYYMMDD up to 9999-12-31 above them, below the sign bit.
    static let rowBits = 36
    /// The row part of a key.
    static let rowMask: Int64 = (1 << rowBits) - 1

    /// The key of the filing at `row` with document date `date` (ISO, or empty).
    static func key(date: String, row: Int64) -> Int64 {
        (day(date) << Int64(rowBits)) | (row & rowMask)
    }

    /// The smallest key of a filing dated `date`.
    static func first(on date: String) -> Int64 { key(date: date, row: 0) }

    /// The largest key of a filing dated `date`.
    static func last(on date: String) -> Int64 { key(date: date, row: rowMask) }

    /// The same key in SQL, over the columns `document_date` and `row` of `filings` (or of `alias`).
    static func sql(_ alias: String) -> String {
        "((CAST(replace(\(alias).document_date, '-', '') AS INTEGER) << \(rowBits)) | \(alias).row)"
    }

    /// The row of `key`, in SQL.
    static func rowSQL(_ key: String) -> String { "(\(key) & \(rowMask))" }

    /// YYYYMMDD of an ISO date, 0 for anything else (the store writes only ISO dates or the empty string).
    private static func day(_ date: String) -> Int64 {
        var value: Int64 = 0
        var digits = 0
        for byte in date.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
                digits += 1
            case UInt8(ascii: "-"):
                continue
            default:
                return 0
            }
        }
        return digits == 8 ? value : 0
    }
}
