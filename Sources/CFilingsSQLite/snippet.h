#ifndef FILINGS_SNIPPET_H
#define FILINGS_SNIPPET_H

#include <sqlite3.h>

/// filings_snippet(fts, open, close, ellipsis, tokens, filing, size), the FTS5 auxiliary function documented in
/// CFilingsSQLite.h.
void filings_snippet(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *result, int argc,
                     sqlite3_value **argv);

#endif
