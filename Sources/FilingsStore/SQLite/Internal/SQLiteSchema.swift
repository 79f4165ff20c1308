/// The SQLite store's schema, as numbered migrations recorded in `PRAGMA user_version`.
///
/// A migration is applied once, in its own transaction, in order. Released migrations are never edited: a change
/// to the schema is a new migration at the end.
enum SQLiteSchema {
    static let migrations: [String] = [
        // 1: filings, their blobs, exact-match keys, full text, and name substrings.
        """
        CREATE TABLE filings (
            row INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            sha256 TEXT NOT NULL UNIQUE,
            form_type TEXT NOT NULL,
            kind INTEGER NOT NULL,
            title TEXT NOT NULL,
            issuer_name TEXT NOT NULL,
            symbol TEXT NOT NULL,
            cik TEXT NOT NULL,
            document_date TEXT NOT NULL,
            stored_at TEXT NOT NULL,
            byte_length INTEGER NOT NULL,
            parser_version TEXT NOT NULL,
            filing_size INTEGER NOT NULL
        );
        CREATE INDEX filings_by_date ON filings(document_date, row);
        CREATE INDEX filings_by_form_type ON filings(form_type, document_date);
        CREATE INDEX filings_by_kind ON filings(kind, document_date);
        -- Compressed blobs apart from the row, so that filtering and sorting never read them.
        CREATE TABLE filing_blobs (
            row INTEGER PRIMARY KEY,
            filing BLOB NOT NULL,
            raw BLOB NOT NULL
        );
        -- Exact-match filters that can have several values per filing: symbol, cik, kind.
        CREATE TABLE filing_keys (
            field TEXT NOT NULL,
            value TEXT NOT NULL,
            row INTEGER NOT NULL,
            PRIMARY KEY (field, value, row)
        ) WITHOUT ROWID;
        CREATE INDEX filing_keys_by_row ON filing_keys(row);
        -- Full text, rowid = filings.row.
        CREATE VIRTUAL TABLE filings_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
        -- Case-insensitive substrings of names, one row per filing (names joined by newlines), rowid = filings.row.
        CREATE VIRTUAL TABLE company_names USING fts5(names, tokenize = 'trigram');
        CREATE VIRTUAL TABLE person_names USING fts5(names, tokenize = 'trigram');
        """
    ]

    /// The schema version this build writes.
    static var version: Int { migrations.count }
}
