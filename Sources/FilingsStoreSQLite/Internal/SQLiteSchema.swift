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
        CREATE INDEX filings_by_form_type ON filings(form_type);
        CREATE INDEX filings_by_kind ON filings(kind);
        -- Compressed blobs apart from the row, so that filtering and sorting never read them.
        CREATE TABLE filing_blobs (
            row INTEGER PRIMARY KEY,
            filing BLOB NOT NULL,
            raw BLOB NOT NULL
        );
        -- Exact-match filters, several values per filing: form, symbol, cik, kind. With the document date in the
        -- key, one filter is read in date order and a page costs its length, however many filings match.
        CREATE TABLE filing_keys (
            field TEXT NOT NULL,
            value TEXT NOT NULL,
            document_date TEXT NOT NULL,
            row INTEGER NOT NULL,
            PRIMARY KEY (field, value, document_date, row)
        ) WITHOUT ROWID;
        CREATE INDEX filing_keys_by_row ON filing_keys(row);
        -- Full text, rowid = filings.row (since migration 3, the filing's DateKey; since 4, with its kinds).
        CREATE VIRTUAL TABLE filings_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
        -- Case-insensitive substrings of names, one row per filing (names joined by newlines), rowid = filings.row
        -- (since migration 3, the filing's DateKey; since 4, with its kinds).
        CREATE VIRTUAL TABLE company_names USING fts5(names, tokenize = 'trigram');
        CREATE VIRTUAL TABLE person_names USING fts5(names, tokenize = 'trigram');
        -- Counts kept by the writer in the same transactions, so that counting all filings does not scan them.
        CREATE TABLE store_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO store_counters (name, value) VALUES ('documents', 0);
        """,
        // 2: filings by the parser version of their facts, for Reparse and Stats.
        """
        CREATE INDEX filings_by_parser_version ON filings(parser_version, id);
        """,
        // 3: the full text and the name indexes keyed by document date and row (DateKey: YYYYMMDD << 36 | row), so
        // that a name filter or a text query in date order reads its filings in that order and stops at the end of
        // the page instead of sorting every match.
        """
        CREATE VIRTUAL TABLE filings_fts_by_date USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
        INSERT INTO filings_fts_by_date (rowid, title, body)
            SELECT (CAST(replace(f.document_date, '-', '') AS INTEGER) << 36) | f.row AS key, t.title, t.body
            FROM filings_fts t JOIN filings f ON f.row = t.rowid ORDER BY key;
        DROP TABLE filings_fts;
        ALTER TABLE filings_fts_by_date RENAME TO filings_fts;
        CREATE VIRTUAL TABLE company_names_by_date USING fts5(names, tokenize = 'trigram');
        INSERT INTO company_names_by_date (rowid, names)
            SELECT (CAST(replace(f.document_date, '-', '') AS INTEGER) << 36) | f.row, n.names
            FROM company_names n JOIN filings f ON f.row = n.rowid;
        DROP TABLE company_names;
        ALTER TABLE company_names_by_date RENAME TO company_names;
        CREATE VIRTUAL TABLE person_names_by_date USING fts5(names, tokenize = 'trigram');
        INSERT INTO person_names_by_date (rowid, names)
            SELECT (CAST(replace(f.document_date, '-', '') AS INTEGER) << 36) | f.row, n.names
            FROM person_names n JOIN filings f ON f.row = n.rowid;
        DROP TABLE person_names;
        ALTER TABLE person_names_by_date RENAME TO person_names;
        -- Rebuilt in one transaction, an index is many small segments: merged, queries read one.
        INSERT INTO filings_fts (filings_fts) VALUES ('optimize');
        INSERT INTO company_names (company_names) VALUES ('optimize');
        INSERT INTO person_names (person_names) VALUES ('optimize');
        """,
        // 4: the kinds of a filing's documents in the low bits of its index keys (DateKey: YYYYMMDD << 36 |
        // row << 8 | kinds), so that a kind filter on the candidates of a text or name index tests the key instead
        // of looking each candidate up in filing_keys.
        """
        CREATE VIRTUAL TABLE filings_fts_by_kind USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
        INSERT INTO filings_fts_by_kind (rowid, title, body)
            SELECT ((t.rowid >> 36) << 36) | ((t.rowid & 68719476735) << 8)
                | coalesce((SELECT sum(DISTINCT 1 << CAST(k.value AS INTEGER)) FROM filing_keys k
                    WHERE k.row = t.rowid & 68719476735 AND k.field = 'kind'
                        AND CAST(k.value AS INTEGER) BETWEEN 0 AND 7), 0) AS key,
                t.title, t.body
            FROM filings_fts t ORDER BY key;
        DROP TABLE filings_fts;
        ALTER TABLE filings_fts_by_kind RENAME TO filings_fts;
        CREATE VIRTUAL TABLE company_names_by_kind USING fts5(names, tokenize = 'trigram');
        INSERT INTO company_names_by_kind (rowid, names)
            SELECT ((t.rowid >> 36) << 36) | ((t.rowid & 68719476735) << 8)
                | coalesce((SELECT sum(DISTINCT 1 << CAST(k.value AS INTEGER)) FROM filing_keys k
                    WHERE k.row = t.rowid & 68719476735 AND k.field = 'kind'
                        AND CAST(k.value AS INTEGER) BETWEEN 0 AND 7), 0) AS key,
                t.names
            FROM company_names t ORDER BY key;
        DROP TABLE company_names;
        ALTER TABLE company_names_by_kind RENAME TO company_names;
        CREATE VIRTUAL TABLE person_names_by_kind USING fts5(names, tokenize = 'trigram');
        INSERT INTO person_names_by_kind (rowid, names)
            SELECT ((t.rowid >> 36) << 36) | ((t.rowid & 68719476735) << 8)
                | coalesce((SELECT sum(DISTINCT 1 << CAST(k.value AS INTEGER)) FROM filing_keys k
                    WHERE k.row = t.rowid & 68719476735 AND k.field = 'kind'
                        AND CAST(k.value AS INTEGER) BETWEEN 0 AND 7), 0) AS key,
                t.names
            FROM person_names t ORDER BY key;
        DROP TABLE person_names;
        ALTER TABLE person_names_by_kind RENAME TO person_names;
        INSERT INTO filings_fts (filings_fts) VALUES ('optimize');
        INSERT INTO company_names (company_names) VALUES ('optimize');
        INSERT INTO person_names (person_names) VALUES ('optimize');
        """,
        // 5: the full-text index merges its segments 8 at a time, not 4. Its keys start with the filing's date, so
        // filings stored together land all over the index and every merge re-encodes what it merges: FTS5 wrote
        // 204 KiB per filing at 30,000 filings with 4 (72 KiB when keys ascend), 128 KiB with 8. Ingest into a store
        // of 100,000 is 1.3x faster; queries are unchanged within noise.
        """
        INSERT INTO filings_fts (filings_fts, rank) VALUES ('automerge', 8);
        """,
        // 6: the merges the writer runs while it has nothing to write (IdleMerge) take two segments of a level, not
        // four: an idle index ends with one segment a level (2 left of 31 at 100,000 filings, in 4.7 s of 100-page
        // steps), and queries of the text index are 1.5x faster at the median.
        """
        INSERT INTO filings_fts (filings_fts, rank) VALUES ('usermerge', 2);
        INSERT INTO company_names (company_names, rank) VALUES ('usermerge', 2);
        INSERT INTO person_names (person_names, rank) VALUES ('usermerge', 2);
        """,
        // 7: the full-text index keeps no copy of the text it indexes (contentless): the text is in the filing's blob
        // already, compressed, and snippets read it from there (filings_text). The copy was 38% of the bytes on disk
        // and 22% of the pages ingest wrote. The text is indexed again as the blob gives it, the text that deleting
        // the filing gives back to FTS5. The index's settings (migrations 5 and 6) are set again on the new table.
        """
        CREATE VIRTUAL TABLE filings_fts_contentless USING fts5(
            title, body, content = '', tokenize = 'unicode61 remove_diacritics 2'
        );
        INSERT INTO filings_fts_contentless (rowid, title, body)
            SELECT d.id, filings_text(b.filing, f.filing_size, 0), filings_text(b.filing, f.filing_size, 1)
            FROM filings_fts_docsize d
                JOIN filings f ON f.row = (d.id >> 8) & 268435455 JOIN filing_blobs b ON b.row = f.row
            ORDER BY d.id;
        DROP TABLE filings_fts;
        ALTER TABLE filings_fts_contentless RENAME TO filings_fts;
        INSERT INTO filings_fts (filings_fts, rank) VALUES ('automerge', 8);
        INSERT INTO filings_fts (filings_fts, rank) VALUES ('usermerge', 2);
        INSERT INTO filings_fts (filings_fts) VALUES ('optimize');
        """,
        // 8: a filing's names are columns of its row, the name indexes keep neither a copy of them nor their sizes
        // (contentless, columnsize=0), and `sha256` has no index of its own. The copies and the sizes were B-trees
        // keyed by the index's key, which begins with the date, and the index of `sha256` a B-tree of random keys:
        // each filing stored wrote a leaf of each at a random place, 21% of the pages ingest wrote into a store of
        // 100,000, where the row of `filings` is appended at its end. Nothing ranks by a name's size; deleting a
        // filing gives FTS5 its names back from the row; names shorter than a trigram are found in the row. A
        // filing's id is the start of its SHA-256, and unique: a look-up by SHA-256 is a look-up by id. The table is
        // rebuilt (SQLite drops no constraint in place) with the same rows, and the same high-water mark of rows.
        // Its parser versions are indexed without the id, which put each filing at a random place in that index too
        // (6% of the pages): Reparse reads in id order from the id index (SQLiteFilingStore.reparseBatch).
        // The names are joined by newlines, as the name indexes have them (no SQL comment in the table's definition:
        // ALTER TABLE edits that text).
        """
        CREATE TABLE filings_rebuilt (
            row INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            sha256 TEXT NOT NULL,
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
            filing_size INTEGER NOT NULL,
            company_names TEXT NOT NULL,
            person_names TEXT NOT NULL
        );
        INSERT INTO filings_rebuilt
            SELECT row, id, sha256, form_type, kind, title, issuer_name, symbol, cik, document_date, stored_at,
                byte_length, parser_version, filing_size, '', ''
            FROM filings ORDER BY row;
        UPDATE filings_rebuilt SET company_names = n.names
            FROM company_names n WHERE filings_rebuilt.row = (n.rowid >> 8) & 268435455;
        UPDATE filings_rebuilt SET person_names = n.names
            FROM person_names n WHERE filings_rebuilt.row = (n.rowid >> 8) & 268435455;
        CREATE TEMP TABLE rows_used AS SELECT seq FROM sqlite_sequence WHERE name = 'filings';
        DROP TABLE filings;
        ALTER TABLE filings_rebuilt RENAME TO filings;
        DELETE FROM sqlite_sequence WHERE name IN ('filings', 'filings_rebuilt');
        INSERT INTO sqlite_sequence (name, seq) SELECT 'filings', seq FROM temp.rows_used;
        DROP TABLE temp.rows_used;
        CREATE INDEX filings_by_date ON filings(document_date, row);
        CREATE INDEX filings_by_form_type ON filings(form_type);
        CREATE INDEX filings_by_kind ON filings(kind);
        CREATE INDEX filings_by_parser_version ON filings(parser_version);
        CREATE VIRTUAL TABLE company_names_contentless USING fts5(
            names, content = '', columnsize = 0, tokenize = 'trigram'
        );
        INSERT INTO company_names_contentless (rowid, names) SELECT rowid, names FROM company_names ORDER BY rowid;
        DROP TABLE company_names;
        ALTER TABLE company_names_contentless RENAME TO company_names;
        CREATE VIRTUAL TABLE person_names_contentless USING fts5(
            names, content = '', columnsize = 0, tokenize = 'trigram'
        );
        INSERT INTO person_names_contentless (rowid, names) SELECT rowid, names FROM person_names ORDER BY rowid;
        DROP TABLE person_names;
        ALTER TABLE person_names_contentless RENAME TO person_names;
        INSERT INTO company_names (company_names, rank) VALUES ('usermerge', 2);
        INSERT INTO person_names (person_names, rank) VALUES ('usermerge', 2);
        INSERT INTO company_names (company_names) VALUES ('optimize');
        INSERT INTO person_names (person_names) VALUES ('optimize');
        """,
    ]

    /// The schema version this build writes.
    static var version: Int { migrations.count }
}
