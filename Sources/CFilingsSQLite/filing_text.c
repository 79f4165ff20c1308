// The searchable text of a stored filing, read back from its compressed blob.
//
// The full-text index keeps no copy of the text it indexes (schema 7): what a snippet shows comes from the filing's
// blob (`filing_blobs.filing`, a zlib stream of an encoded ParsedFiling), built exactly as FilingRecord builds the
// text it indexes.
#include "filing_text.h"

#include <libdeflate.h>
#include <string.h>

#include "CFilingsProto.h"

/// Appends `text` (NUL-terminated, may be NULL) to `out`.
static void append_text(sqlite3_str *out, const char *text) {
    if (text != NULL && text[0] != 0) sqlite3_str_appendall(out, text);
}

int filings_filing_text(const void *compressed, int compressed_bytes, sqlite3_int64 size, int column, char **text,
                        int *bytes) {
    *text = NULL;
    *bytes = 0;
    if (column != 0 && column != 1) return SQLITE_RANGE;
    if (size < 0 || size > 0x7FFFFFFF || (compressed == NULL && compressed_bytes > 0)) return SQLITE_CORRUPT;
    uint8_t *encoded = sqlite3_malloc64((sqlite3_uint64)(size > 0 ? size : 1));
    if (encoded == NULL) return SQLITE_NOMEM;
    if (size > 0) {
        struct libdeflate_decompressor *decompressor = libdeflate_alloc_decompressor();
        if (decompressor == NULL) {
            sqlite3_free(encoded);
            return SQLITE_NOMEM;
        }
        // No size out-parameter: anything but a stream of exactly `size` bytes is corrupt.
        enum libdeflate_result result = libdeflate_zlib_decompress(decompressor, compressed, (size_t)compressed_bytes,
                                                                   encoded, (size_t)size, NULL);
        libdeflate_free_decompressor(decompressor);
        if (result != LIBDEFLATE_SUCCESS) {
            sqlite3_free(encoded);
            return SQLITE_CORRUPT;
        }
    }
    Filings__V1__ParsedFiling *filing = filings__v1__parsed_filing__unpack(NULL, (size_t)size, encoded);
    sqlite3_free(encoded);
    if (filing == NULL) return SQLITE_CORRUPT;

    // As FilingRecord: the non-empty titles of the documents that are not binary, one a line; their texts, a blank
    // line between two.
    sqlite3_str *out = sqlite3_str_new(NULL);
    int written = 0;
    for (size_t i = 0; i < filing->n_documents; i++) {
        const Filings__V1__Document *document = filing->documents[i];
        if (document->binary) continue;
        if (column == 0) {
            if (document->title == NULL || document->title[0] == 0) continue;
            if (written++ > 0) sqlite3_str_appendchar(out, 1, '\n');
            append_text(out, document->title);
        } else {
            if (written++ > 0) sqlite3_str_appendchar(out, 2, '\n');
            append_text(out, document->text);
        }
    }
    filings__v1__parsed_filing__free_unpacked(filing, NULL);
    int rc = sqlite3_str_errcode(out);
    *bytes = sqlite3_str_length(out);
    *text = sqlite3_str_finish(out);
    if (rc == SQLITE_OK && *text == NULL) {
        // An empty text: sqlite3_str_finish gives NULL for nothing appended.
        *text = sqlite3_malloc(1);
        if (*text == NULL) return SQLITE_NOMEM;
        (*text)[0] = 0;
    }
    if (rc != SQLITE_OK) {
        sqlite3_free(*text);
        *text = NULL;
        *bytes = 0;
    }
    return rc;
}

void filings_text_function(sqlite3_context *context, int argc, sqlite3_value **argv) {
    if (argc != 3) {
        sqlite3_result_error(context, "filings_text: expects (filing, size, column)", -1);
        return;
    }
    const void *compressed = sqlite3_value_blob(argv[0]);
    int compressed_bytes = sqlite3_value_bytes(argv[0]);
    char *text = NULL;
    int bytes = 0;
    int rc = filings_filing_text(compressed, compressed_bytes, sqlite3_value_int64(argv[1]),
                                 sqlite3_value_int(argv[2]), &text, &bytes);
    if (rc == SQLITE_OK) {
        sqlite3_result_text(context, text, bytes, sqlite3_free);
    } else if (rc == SQLITE_CORRUPT) {
        sqlite3_result_error(context, "filings_text: the filing's blob is not an encoded filing of its size", -1);
        sqlite3_result_error_code(context, rc);
    } else if (rc == SQLITE_RANGE) {
        sqlite3_result_error(context, "filings_text: the column is 0 (titles) or 1 (texts)", -1);
    } else {
        sqlite3_result_error_code(context, rc);
    }
}
