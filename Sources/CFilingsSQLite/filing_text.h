#ifndef FILINGS_FILING_TEXT_H
#define FILINGS_FILING_TEXT_H

#include <sqlite3.h>

/// The text a stored filing has in column `column` of `filings_fts` (0: titles, 1: texts), from its blob
/// (`compressed_bytes` bytes, a zlib stream of the `size` bytes of an encoded ParsedFiling). On SQLITE_OK, `*text`
/// (free it with sqlite3_free) holds `*bytes` bytes and a NUL; else it is NULL: SQLITE_CORRUPT when the blob is not
/// such a stream, SQLITE_RANGE for another column, SQLITE_NOMEM.
int filings_filing_text(const void *compressed, int compressed_bytes, sqlite3_int64 size, int column, char **text,
                        int *bytes);

/// filings_text(filing, size, column), the SQL function documented in CFilingsSQLite.h.
void filings_text_function(sqlite3_context *context, int argc, sqlite3_value **argv);

#endif
