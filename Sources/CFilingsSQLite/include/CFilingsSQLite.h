#ifndef C_FILINGS_SQLITE_H
#define C_FILINGS_SQLITE_H

#include <sqlite3.h>

/// Registers the FTS5 auxiliary functions filings ranks with on `db`:
///
/// - `filings_rank_stats(fts)`: the corpus statistics of the current full-text query, as text:
///   "N avgdl_0 .. avgdl_{C-1} n_0 .. n_{P-1}" (rows, mean tokens per column, rows matching each phrase).
/// - `filings_rank(fts, stats)`: the BM25 score (higher is better) of the current row computed with the
///   statistics `stats` from `filings_rank_stats` instead of the live ones, so that a row's score does not
///   change while other rows are inserted or deleted.
/// - `filings_rank(fts, stats, capacity, row [, last_score, last_row])`: the same score for every row that can be
///   among the `capacity` best (a page and one more), and -1 for a row that cannot, which it tells without reading
///   the row's column sizes. `row` is the row's key in the page's order; with `last_score` and `last_row` (the
///   previous page's last hit) only rows ranked after that hit count. The rows of the page, in the order
///   `score DESC, row ASC`, are those of the plain score.
///
/// Returns SQLITE_OK, or an SQLite error code when FTS5 is not available.
int filings_sqlite_register_functions(sqlite3 *db);

/// Binds `text` to parameter `index` of `statement` as a transient copy (SQLITE_TRANSIENT cannot be written in Swift).
/// A NULL `text` binds the empty string.
int filings_sqlite_bind_text(sqlite3_stmt *statement, int index, const char *text, int length);

/// Binds `bytes` to parameter `index` of `statement` as a transient copy.
int filings_sqlite_bind_blob(sqlite3_stmt *statement, int index, const void *bytes, int length);

#endif
