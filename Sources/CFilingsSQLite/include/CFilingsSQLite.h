#ifndef C_FILINGS_SQLITE_H
#define C_FILINGS_SQLITE_H

#include <sqlite3.h>

/// Turns off SQLite's memory statistics for the process (SQLITE_CONFIG_MEMSTATUS): they take one process-wide mutex
/// on every sqlite3_malloc and sqlite3_free, which every connection's threads then queue on, and nothing here reads
/// them. Takes effect only before SQLite's first use in the process; returns SQLITE_MISUSE after it.
int filings_sqlite_configure_process(void);

/// The smallest sizes, in tokens, that the title and the body (the two columns of `filings_fts`) of each filing row
/// have had since the store was opened: a floor under each row's column sizes that `filings_rank` reads instead of
/// FTS5's docsize table when it bounds a row's score. Safe to read from any thread while one thread lowers it.
typedef struct filings_size_floors filings_size_floors;

/// Rows 1 to 2^FILINGS_SIZE_FLOOR_ROW_BITS - 1 can have floors.
#define FILINGS_SIZE_FLOOR_ROW_BITS 28

/// A table with no floors; NULL when memory is short.
filings_size_floors *filings_size_floors_create(void);

/// Frees `floors`; no connection may use it any more.
void filings_size_floors_destroy(filings_size_floors *floors);

/// Lowers the floors of `row` to `title` and `body` tokens where they are smaller (or sets them, for a row without
/// floors). Returns 1, or 0 when `row` is out of range or memory is short (the row then keeps no floor).
int filings_size_floors_lower(filings_size_floors *floors, sqlite3_int64 row, int title, int body);

/// filings_size_floors_lower() with the sizes of a row of FTS5's docsize table (its `sz` column, `length` bytes).
/// Returns 0 when the record is not two sizes.
int filings_size_floors_lower_docsize(filings_size_floors *floors, sqlite3_int64 row, const void *docsize,
                                      int length);

/// The floors of `row` in `*title` and `*body`; returns 0 (and leaves them) when the row has none.
int filings_size_floors_get(const filings_size_floors *floors, sqlite3_int64 row, int *title, int *body);

/// What `filings_rank` keeps on one connection (the size floors it reads, the statistics it last read itself).
typedef struct filings_rank_context filings_rank_context;

/// One row of `filings_top`'s blob, in native byte order.
typedef struct {
    double score;
    sqlite3_int64 row;
    sqlite3_int64 key;
} filings_top_entry;

/// Registers the FTS5 auxiliary function filings ranks with on `db`:
///
/// - `filings_rank(fts, stats)`: the BM25 score (higher is better) of the current row computed with the corpus
///   statistics `stats` instead of the live ones, so that a row's score does not change while other rows are
///   inserted or deleted. `stats` is text, "N avgdl_0 .. avgdl_{C-1} n_0 .. n_{P-1}" (rows, mean tokens per
///   column, rows matching each phrase), as the function itself reads it when `stats` is NULL: at its first row,
///   from the query it is part of, leaving the text in `*context` for `filings_rank_context_take_statistics`, so
///   that later pages of the same query can pass it.
/// - `filings_rank(fts, stats, capacity, row [, last_score, last_row])`: the same score for every row that can be
///   among the `capacity` best (a page and one more), and -1 for a row that cannot, which it tells without reading
///   the row's column sizes. `row` is the filing's row, its key in the page's order; with `last_score` and
///   `last_row` (the previous page's last hit) only rows ranked after that hit count. The rows of the page, in the
///   order `score DESC, row ASC`, are those of the plain score. On `filings_fts`, the row's bound uses `floors`
///   (which may be NULL): every floor must be at most the size of the column it stands for, in every version of
///   the row a connection of `db` can read.
///
/// and the aggregate that picks a ranked page from those scores in one pass, without storing the matches:
///
/// - `filings_top(row, key, score, capacity [, last_score, last_row])`: a blob of every row it was given (an
///   sqlite3_int64 count) followed by the best `capacity` of them in the order `score DESC, row ASC`, best first,
///   each a `filings_top_entry`. A negative score (filings_rank's -1) is counted but never kept; with `last_score`
///   and `last_row`, only rows ranked after that hit are kept.
///
/// and the FTS5 auxiliary function for the passage a hit shows:
///
/// - `filings_snippet(fts, open, close, ellipsis, tokens, filing, size)`: about `tokens` (1 to 256) tokens of the
///   current row around its best matches, as text: the window of `tokens` tokens that starts at a phrase instance and
///   holds the most distinct phrases of the query, then the most instances (the first such in the text columns, then
///   in the title, column 0), centred on its matches and moved to the nearest sentence start that keeps them all in
///   it. Matches are between `open` and `close` (overlapping ones as one), and `ellipsis` marks text cut at either
///   end. The row's text is `filings_text(filing, size, column)` (the index keeps none); the column is tokenized only
///   up to the passage's end, not in full as FTS5's snippet() does, twice.
///
/// and the SQL function that gives a stored filing's searchable text back:
///
/// - `filings_text(filing, size, column)`: the text of column `column` of `filings_fts` (0: the titles, 1: the texts)
///   of the filing whose blob is `filing`, a zlib stream of the `size` bytes of an encoded ParsedFiling; the same
///   text FilingRecord indexes. An error when the blob is not such a stream.
///
/// `*context` is set to the connection's rank context, valid until `db` closes (NULL when registration fails).
/// Returns SQLITE_OK, or an SQLite error code when FTS5 is not available.
int filings_sqlite_register_functions(sqlite3 *db, filings_size_floors *floors, filings_rank_context **context);

/// The statistics `filings_rank` last read for a call without any, and none from now on; NULL when it read none
/// since the last call. Free the text with `filings_rank_context_free_statistics`.
char *filings_rank_context_take_statistics(filings_rank_context *context);

/// Frees a text from `filings_rank_context_take_statistics`.
void filings_rank_context_free_statistics(char *statistics);

/// Binds `text` to parameter `index` of `statement` as a transient copy (SQLITE_TRANSIENT cannot be written in Swift).
/// A NULL `text` binds the empty string.
int filings_sqlite_bind_text(sqlite3_stmt *statement, int index, const char *text, int length);

/// Binds `bytes` to parameter `index` of `statement` as a transient copy.
int filings_sqlite_bind_blob(sqlite3_stmt *statement, int index, const void *bytes, int length);

#endif
