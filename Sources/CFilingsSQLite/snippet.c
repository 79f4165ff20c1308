// The passage of a matching row that a hit list shows, as an FTS5 auxiliary function.
//
// FTS5's snippet() tokenizes every column of the row in full to find its sentences, and then the chosen column in
// full again to copy the passage: for a long filing that is most of a query's time. filings_snippet() picks its
// passage from the row's phrase instances alone (their token positions, which FTS5 already has), and tokenizes the
// chosen column only up to the passage's end. The index keeps no copy of the text (schema 7): the column's text comes
// from the filing's blob, passed as arguments.
#include "snippet.h"

#include "filing_text.h"

#include <stdlib.h>
#include <string.h>

/// The most tokens a passage may have.
#define FILINGS_SNIPPET_MAX_TOKENS 256
/// The most tokens whose byte ranges are kept: those a passage can start at, and those it can hold.
#define FILINGS_SNIPPET_READ_TOKENS (2 * (FILINGS_SNIPPET_MAX_TOKENS + 1))

/// One phrase instance of the row: its column, and its first and last token there.
typedef struct {
    int column;
    int first;
    int last;
    int phrase;
} Instance;

static int compare_instances(const void *left, const void *right) {
    const Instance *a = left;
    const Instance *b = right;
    if (a->column != b->column) return a->column < b->column ? -1 : 1;
    if (a->first != b->first) return a->first < b->first ? -1 : 1;
    if (a->last != b->last) return a->last < b->last ? -1 : 1;
    return a->phrase < b->phrase ? -1 : (a->phrase > b->phrase);
}

/// The passage a row's instances choose: a column, and the first and last token of the matches it must show (last <
/// first when the row has no instance).
typedef struct {
    int column;
    int first;
    int last;
} Choice;

/// The window of `tokens` tokens, in any column, that starts at an instance and holds the most distinct phrases, then
/// the most instances: the first such in the text (column 1 and on), then in the title (column 0), which a hit shows
/// anyway. `instances` are sorted; `seen` has a byte per phrase, all 0, and is left so.
static Choice choose(const Instance *instances, int count, int tokens, unsigned char *seen) {
    Choice best = {0, 0, -1};
    long best_score = 0;
    for (int i = 0; i < count; i++) {
        int column = instances[i].column;
        long score = 0;
        int last = instances[i].last;
        int end = i;
        for (; end < count && instances[end].column == column
               && instances[end].first < (long)instances[i].first + tokens;
             end++) {
            score += seen[instances[end].phrase] ? 1 : 1000;
            seen[instances[end].phrase] = 1;
            if (instances[end].last > last) last = instances[end].last;
        }
        for (int j = i; j < end; j++) seen[instances[j].phrase] = 0;
        // Sorted by column, then position: a tie goes to a later column, and within one column to the earlier window.
        if (score > best_score || (score == best_score && column > best.column)) {
            best_score = score;
            best.column = column;
            best.first = instances[i].first;
            best.last = last;
        }
    }
    return best;
}

/// The byte ranges of the tokens `low` ..< `high` of a column, read by the tokenizer until it has passed `high`.
typedef struct {
    int position;
    int low;
    int high;
    int *starts;
    int *ends;
} TokenReader;

static int read_token(void *pointer, int flags, const char *token, int length, int start, int end) {
    (void)token;
    (void)length;
    if (flags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;
    TokenReader *reader = pointer;
    int position = reader->position++;
    if (position >= reader->low) {
        reader->starts[position - reader->low] = start;
        reader->ends[position - reader->low] = end;
    }
    // SQLITE_DONE stops the tokenizer: everything the passage can need has been read.
    return reader->position >= reader->high ? SQLITE_DONE : SQLITE_OK;
}

/// Whether `c` is one of the bytes of `set`.
static int one_of(unsigned char c, const char *set) { return c != 0 && strchr(set, c) != NULL; }

/// Where the quotes and brackets that end `text[0 ..< end]` begin: the bytes of `ascii`, and the curly quotes
/// E2 80 `curly` and E2 80 `other_curly`.
static int before_quotes(const unsigned char *text, int end, const char *ascii, unsigned char curly,
                         unsigned char other_curly) {
    for (;;) {
        if (end > 0 && one_of(text[end - 1], ascii)) {
            end -= 1;
        } else if (end >= 3 && text[end - 3] == 0xE2 && text[end - 2] == 0x80
                   && (text[end - 1] == curly || text[end - 1] == other_curly)) {
            end -= 3;
        } else {
            return end;
        }
    }
}

/// Where a sentence begins in the text between two tokens (`gap`, `length` bytes), as an offset into it, or -1 when
/// none does there: after a blank line, or after white space that follows ".", "!", "?", ":" or ";" (closing quotes
/// or brackets between), the sentence beginning at the opening quotes or brackets before the next token.
static int sentence_start(const unsigned char *gap, int length) {
    int begin = before_quotes(gap, length, "\"'([", 0x9C, 0x98);  // “ or ‘
    int newlines = 0;
    int end = begin;
    while (end > 0 && one_of(gap[end - 1], " \t\n\r")) {
        if (gap[end - 1] == '\n') newlines += 1;
        end -= 1;
    }
    if (newlines >= 2) return begin;
    if (end == begin) return -1;
    end = before_quotes(gap, end, "\"')]", 0x9D, 0x99);  // ” or ’
    if (end == 0) return -1;
    return one_of(gap[end - 1], ".!?:;") ? begin : -1;
}

/// Appends `length` bytes of `text` to `out`.
static void append(sqlite3_str *out, const char *text, int length) {
    if (length > 0) sqlite3_str_append(out, text, length);
}

// filings_snippet(fts, open, close, ellipsis, tokens, filing, size): see CFilingsSQLite.h.
void filings_snippet(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *result, int argc,
                     sqlite3_value **argv) {
    if (argc != 6) {
        sqlite3_result_error(result, "filings_snippet: expects (open, close, ellipsis, tokens, filing, size)", -1);
        return;
    }
    const char *open = (const char *)sqlite3_value_text(argv[0]);
    const char *close = (const char *)sqlite3_value_text(argv[1]);
    const char *ellipsis = (const char *)sqlite3_value_text(argv[2]);
    sqlite3_int64 requested = sqlite3_value_int64(argv[3]);
    if (open == NULL || close == NULL || ellipsis == NULL || requested < 1 || requested > FILINGS_SNIPPET_MAX_TOKENS) {
        sqlite3_result_error(
            result, "filings_snippet: expects (open, close, ellipsis, tokens, filing, size), 1 to 256 tokens", -1);
        return;
    }
    int tokens = (int)requested;
    int open_bytes = (int)strlen(open), close_bytes = (int)strlen(close), ellipsis_bytes = (int)strlen(ellipsis);

    int phrases = api->xPhraseCount(fts);
    int count = 0;
    int rc = api->xInstCount(fts, &count);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(result, rc);
        return;
    }
    Instance *instances = sqlite3_malloc64(sizeof(Instance) * (sqlite3_uint64)(count > 0 ? count : 1));
    unsigned char *seen = sqlite3_malloc64((sqlite3_uint64)(phrases > 0 ? phrases : 1));
    int *starts = sqlite3_malloc64(sizeof(int) * 2 * FILINGS_SNIPPET_READ_TOKENS);
    sqlite3_str *out = sqlite3_str_new(NULL);
    if (instances == NULL || seen == NULL || starts == NULL) rc = SQLITE_NOMEM;
    int kept = 0;
    for (int i = 0; i < count && rc == SQLITE_OK; i++) {
        int phrase = 0, column = 0, offset = 0;
        rc = api->xInst(fts, i, &phrase, &column, &offset);
        if (rc != SQLITE_OK || phrase < 0 || phrase >= phrases) continue;
        int size = api->xPhraseSize(fts, phrase);
        Instance instance = {column, offset, offset + (size > 0 ? size : 1) - 1, phrase};
        instances[kept++] = instance;
    }
    if (rc == SQLITE_OK) {
        memset(seen, 0, (size_t)(phrases > 0 ? phrases : 1));
        qsort(instances, (size_t)kept, sizeof(Instance), compare_instances);
    }
    Choice choice = {0, 0, -1};
    if (rc == SQLITE_OK) choice = choose(instances, kept, tokens, seen);

    char *text = NULL;
    int bytes = 0;
    int size = 0;
    if (rc == SQLITE_OK) {
        rc = filings_filing_text(sqlite3_value_blob(argv[4]), sqlite3_value_bytes(argv[4]),
                                 sqlite3_value_int64(argv[5]), choice.column, &text, &bytes);
    }
    if (rc == SQLITE_OK) rc = api->xColumnSize(fts, choice.column, &size);
    if (rc == SQLITE_OK && text != NULL) {
        // The window centred on the matches, inside the column; then moved to the nearest sentence start that keeps
        // every match in it.
        int first = choice.last >= choice.first ? choice.first : 0;
        int last = choice.last >= choice.first ? choice.last : -1;
        int span = last - first + 1;
        int start = first - (tokens - span) / 2;
        if (start > first) start = first;
        if (start + tokens > size) start = size - tokens;
        if (start < 0) start = 0;
        int earliest = last + 1 - tokens;
        if (earliest > start) earliest = start;
        if (earliest < 0) earliest = 0;
        // The tokens read: one before the earliest start (the sentence test reads the text after it), up to the end
        // of the latest window.
        TokenReader reader = {0, earliest > 0 ? earliest - 1 : 0, 0, starts, NULL};
        reader.high = (first > start ? first : start) + tokens;
        if (reader.high - reader.low > FILINGS_SNIPPET_READ_TOKENS) {
            reader.high = reader.low + FILINGS_SNIPPET_READ_TOKENS;
        }
        reader.ends = starts + FILINGS_SNIPPET_READ_TOKENS;
        rc = api->xTokenize(fts, text, bytes, &reader, read_token);
        if (rc == SQLITE_DONE) rc = SQLITE_OK;

        // The tokens there are: the column's size, or fewer if the tokenizer found fewer.
        int available = reader.position < size ? reader.position : size;
        if (reader.position < reader.high && reader.position < size) size = reader.position;

        if (rc == SQLITE_OK) {
            int chosen = start;
            int chosen_byte = -1;  // where the chosen sentence begins, before its token's opening quotes
            int nearest = -1;
            for (int k = earliest; k <= first && k < available; k++) {
                int begins = k == 0 ? 0 : -1;
                if (k > 0) {
                    int previous = reader.ends[k - 1 - reader.low];
                    int here = reader.starts[k - reader.low];
                    int offset = sentence_start((const unsigned char *)text + previous, here - previous);
                    if (offset >= 0) begins = previous + offset;
                }
                int distance = k > start ? k - start : start - k;
                if (begins >= 0 && (nearest < 0 || distance < nearest)) {
                    nearest = distance;
                    chosen = k;
                    chosen_byte = begins;
                }
            }
            start = chosen;
            if (start == 0 && available > 0) {
                // The column's start: its text from the first byte that is not white space.
                chosen_byte = 0;
                while (chosen_byte < reader.starts[0 - reader.low]
                       && one_of((unsigned char)text[chosen_byte], " \t\n\r")) {
                    chosen_byte += 1;
                }
            }
            int end = start + tokens - 1;  // the passage's last token
            if (end > available - 1) end = available - 1;
            if (end > reader.high - 1) end = reader.high - 1;

            if (start > 0) append(out, ellipsis, ellipsis_bytes);
            if (end >= start) {
                // The matches of the column, overlapping ones as one, from the first that reaches the passage.
                int next = 0;
                while (next < kept && (instances[next].column < choice.column
                                       || (instances[next].column == choice.column && instances[next].last < start))) {
                    next++;
                }
                int copied = chosen_byte >= 0 ? chosen_byte : reader.starts[start - reader.low];
                int highlighted = -1;  // the last token of the open highlight, or -1
                for (int k = start; k <= end; k++) {
                    int token_start = reader.starts[k - reader.low];
                    int token_end = reader.ends[k - reader.low];
                    if (highlighted < 0 && next < kept && instances[next].column == choice.column
                        && instances[next].first <= k) {
                        highlighted = instances[next].last;
                        while (next < kept && instances[next].column == choice.column
                               && instances[next].first <= highlighted) {
                            if (instances[next].last > highlighted) highlighted = instances[next].last;
                            next++;
                        }
                        append(out, text + copied, token_start - copied);
                        append(out, open, open_bytes);
                        copied = token_start;
                    }
                    if (highlighted >= 0 && (k == highlighted || k == end)) {
                        append(out, text + copied, token_end - copied);
                        append(out, close, close_bytes);
                        copied = token_end;
                        highlighted = -1;
                    }
                }
                int last_end = reader.ends[end - reader.low];
                append(out, text + copied, last_end - copied);
                if (end >= size - 1) {
                    append(out, text + last_end, bytes - last_end);
                } else {
                    append(out, ellipsis, ellipsis_bytes);
                }
            } else if (size == 0) {
                // A column without tokens: its text as it is.
                append(out, text, bytes);
            }
        }
    }
    if (rc == SQLITE_OK) rc = sqlite3_str_errcode(out);
    char *value = sqlite3_str_finish(out);
    if (rc == SQLITE_OK) {
        sqlite3_result_text(result, value != NULL ? value : "", -1, SQLITE_TRANSIENT);
    } else {
        sqlite3_result_error_code(result, rc);
    }
    sqlite3_free(value);
    sqlite3_free(text);
    sqlite3_free(instances);
    sqlite3_free(seen);
    sqlite3_free(starts);
}
