internal import FilingsCore

/// The rowid of a filing in the full-text and name indexes (`filings_fts`, `company_names`, `person_names`): its
/// document date, its row and the kinds of its documents in one integer, so that reading an index in rowid order
/// reads its filings in date order, ties in storage order, exactly the order of
/// ``FilingQuery/Order/dateDescending`` and ``FilingQuery/Order/dateAscending``; and so that a kind filter on the
/// candidates of an index is arithmetic on the key rather than a look-up per candidate.
///
/// Layout (schema 4): `YYYYMMDD << 36 | row << 8 | kinds`. The date "YYYY-MM-DD" becomes the number YYYYMMDD (0 for a
/// filing without a date, which sorts first as the empty string does); the row takes 28 bits; `kinds` has bit `k`
/// set when a document of the filing has the kind whose raw value is `k` (the kinds 0 to 7).
enum DateKey {
    /// Where the date starts: the row and the kinds are the bits below it.
    static let dayShift = 36
    /// Where the row starts: the kinds are the bits below it.
    static let rowShift = 8
    /// Rows 1 to 2²⁸ − 1 have keys (268,435,455 filings stored over a store's life).
    static let rowLimit: Int64 = 1 << (dayShift - rowShift)
    /// The kinds a key can name: their raw values are below this.
    static let kindLimit = rowShift

    /// The key of the filing at `row` with document date `date` (ISO, or empty) and `kinds` (a ``kindMask(_:)``).
    static func key(date: String, row: Int64, kinds: Int64) -> Int64 {
        (day(date) << Int64(dayShift)) | ((row & (rowLimit - 1)) << Int64(rowShift)) | (kinds & 0xFF)
    }

    /// The keys the filing at `row` dated `date` can have, whatever its kinds: where to find or delete its entry.
    static func keys(date: String, row: Int64) -> ClosedRange<Int64> {
        key(date: date, row: row, kinds: 0)...key(date: date, row: row, kinds: 0xFF)
    }

    /// The smallest key of a filing dated `date`.
    static func first(on date: String) -> Int64 { key(date: date, row: 0, kinds: 0) }

    /// The largest key of a filing dated `date`.
    static func last(on date: String) -> Int64 { key(date: date, row: rowLimit - 1, kinds: 0xFF) }

    /// The bits of `kinds` in a key; nil when one of them is beyond what a key can name.
    static func kindMask(_ kinds: some Sequence<Kind>) -> Int64? {
        var mask: Int64 = 0
        for kind in kinds {
            guard (0..<kindLimit).contains(Int(kind.rawValue)) else { return nil }
            mask |= 1 << Int64(kind.rawValue)
        }
        return mask
    }

    /// The key a filing should have, in SQL, over the columns `document_date` and `row` of `filings` read as
    /// `alias`, and its kinds in `filing_keys`.
    static func sql(filings alias: String) -> String {
        """
        ((CAST(replace(\(alias).document_date, '-', '') AS INTEGER) << \(dayShift)) | (\(alias).row << \(rowShift))
            | coalesce((SELECT sum(DISTINCT 1 << CAST(k.value AS INTEGER)) FROM filing_keys k
                WHERE k.row = \(alias).row AND k.field = 'kind' AND CAST(k.value AS INTEGER) BETWEEN 0 AND 7), 0))
        """
    }

    /// The row of `key`.
    static func row(of key: Int64) -> Int64 { (key >> Int64(rowShift)) & (rowLimit - 1) }

    /// The row of `key`, in SQL.
    static func rowSQL(_ key: String) -> String { "((\(key) >> \(rowShift)) & \(rowLimit - 1))" }

    /// Whether `key` names one of the kinds of `mask`, in SQL.
    static func kindsSQL(_ key: String, mask: Int64) -> String { "(\(key) & \(mask)) <> 0" }

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
