/// The PostgreSQL store's schema, as numbered migrations recorded in `filings_schema`.
///
/// A migration is applied once, in its own transaction, in order, by whichever replica takes the migration lock
/// first. Released migrations are never edited: a change to the schema is a new migration at the end.
enum PostgresSchema {
    /// The key of the session advisory lock that replicas take while they migrate.
    static let migrationLock: Int64 = 0x6669_6C69_6E67_7301  // "filings" + 1

    static let migrations: [String] = [
        // 1: filings with their exact keys, full text (tsvector + GIN), name substrings (pg_trgm), blobs and text.
        """
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE TABLE filings (
            row bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id text NOT NULL UNIQUE,
            sha256 text NOT NULL UNIQUE,
            form_type text NOT NULL,
            kind integer NOT NULL,
            title text NOT NULL,
            issuer_name text NOT NULL,
            symbol text NOT NULL,
            cik text NOT NULL,
            document_date text NOT NULL,
            stored_at text NOT NULL,
            byte_length bigint NOT NULL,
            parser_version text NOT NULL,
            filing_size bigint NOT NULL,
            -- The transaction that stored the filing: a page token's snapshot hides filings stored after its first
            -- page (pg_visible_in_snapshot), so that paging is exact while filings arrive.
            txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
            -- Every company and person name, one per line, for case-insensitive substrings.
            company_names text NOT NULL,
            person_names text NOT NULL,
            -- Title tokens (weight A) and body tokens (weight D), tokenized as SearchQuery tokenizes.
            search tsvector NOT NULL
        );
        CREATE INDEX filings_by_date ON filings (document_date, row);
        CREATE INDEX filings_search ON filings USING gin (search);
        CREATE INDEX filings_company_names ON filings USING gin (company_names gin_trgm_ops);
        CREATE INDEX filings_person_names ON filings USING gin (person_names gin_trgm_ops);
        -- Exact-match filters, several values per filing: form, symbol, cik, kind.
        CREATE TABLE filing_keys (
            field text NOT NULL,
            value text NOT NULL,
            document_date text NOT NULL,
            row bigint NOT NULL REFERENCES filings (row) ON DELETE CASCADE,
            PRIMARY KEY (field, value, document_date, row)
        );
        CREATE INDEX filing_keys_by_row ON filing_keys (row);
        -- Compressed blobs apart from the row, so that filtering and sorting never read them; stored as they are
        -- (they are compressed already).
        CREATE TABLE filing_blobs (
            row bigint PRIMARY KEY REFERENCES filings (row) ON DELETE CASCADE,
            filing bytea NOT NULL,
            raw bytea NOT NULL
        );
        ALTER TABLE filing_blobs ALTER COLUMN filing SET STORAGE EXTERNAL, ALTER COLUMN raw SET STORAGE EXTERNAL;
        -- The searchable text as written, for snippets of the hits of a page.
        CREATE TABLE filing_text (
            row bigint PRIMARY KEY REFERENCES filings (row) ON DELETE CASCADE,
            body text NOT NULL
        );
        """,
        // 2: filings by the parser version of their facts, for Reparse and Stats.
        """
        CREATE INDEX filings_by_parser_version ON filings (parser_version, id);
        """,
    ]

    /// The schema version this build writes.
    static var version: Int { migrations.count }
}
