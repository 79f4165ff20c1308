// BM25 over frozen corpus statistics, as FTS5 auxiliary functions.
//
// FTS5's built-in bm25() reads the live statistics (row count, mean column sizes, rows per phrase), so a row's
// score moves whenever other rows are stored or deleted, and a page token that remembers "the last score seen"
// would skip or repeat hits. filings_rank() takes the statistics as an argument instead: the first page of a
// query has it read them at its first row, and every later page of the same query passes the same text.
// The formula is bm25()'s (k1 = 1.2, b = 0.75, the same per-phrase IDF floor), with higher scores better.
#include "CFilingsSQLite.h"
#include "filing_text.h"
#include "snippet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Each operation rounded on its own (no fused multiply-add): see row_score().
#pragma STDC FP_CONTRACT OFF

#define FILINGS_MAX_COLUMNS 8
#define FILINGS_MAX_PHRASES 256

static const double k1 = 1.2;
static const double b = 0.75;
/// Column weights: a hit in the title (column 0) counts five times one in the body.
static const double column_weights[FILINGS_MAX_COLUMNS] = {5.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *context) {
    (void)api;
    (void)fts;
    *(sqlite3_int64 *)context += 1;
    return SQLITE_OK;
}

/// The corpus statistics of the cursor's query, "N avgdl_0 .. avgdl_{C-1} n_0 .. n_{P-1}" (rows, mean tokens per
/// column, rows matching each phrase; sqlite3_free it), or NULL with `*rc` set.
static char *statistics_text(const Fts5ExtensionApi *api, Fts5Context *fts, int *rc) {
    sqlite3_int64 rows = 0;
    *rc = api->xRowCount(fts, &rows);
    int columns = api->xColumnCount(fts);
    int phrases = api->xPhraseCount(fts);
    if (*rc != SQLITE_OK) return NULL;
    if (columns > FILINGS_MAX_COLUMNS || phrases > FILINGS_MAX_PHRASES) {
        *rc = SQLITE_RANGE;
        return NULL;
    }
    sqlite3_str *text = sqlite3_str_new(NULL);
    sqlite3_str_appendf(text, "%lld", rows);
    for (int column = 0; column < columns && *rc == SQLITE_OK; column++) {
        sqlite3_int64 tokens = 0;
        *rc = api->xColumnTotalSize(fts, column, &tokens);
        sqlite3_str_appendf(text, " %.17g", rows > 0 ? (double)tokens / (double)rows : 0.0);
    }
    for (int phrase = 0; phrase < phrases && *rc == SQLITE_OK; phrase++) {
        sqlite3_int64 matching = 0;
        *rc = api->xQueryPhrase(fts, phrase, &matching, count_row);
        sqlite3_str_appendf(text, " %lld", matching);
    }
    char *value = sqlite3_str_finish(text);
    if (*rc == SQLITE_OK && value == NULL) *rc = SQLITE_NOMEM;
    if (*rc != SQLITE_OK) {
        sqlite3_free(value);
        return NULL;
    }
    return value;
}

/// What filings_rank() reads and leaves on one connection: the store's size floors, and the statistics it read
/// from the last query that gave it none.
struct filings_rank_context {
    filings_size_floors *floors;
    char *statistics;
};

char *filings_rank_context_take_statistics(filings_rank_context *context) {
    if (context == NULL) return NULL;
    char *statistics = context->statistics;
    context->statistics = NULL;
    return statistics;
}

void filings_rank_context_free_statistics(char *statistics) { sqlite3_free(statistics); }

static void destroy_rank_context(void *pointer) {
    filings_rank_context *context = pointer;
    sqlite3_free(context->statistics);
    sqlite3_free(context);
}

/// On a later page of a ranked query, the previous page's last hit: the page can show only the rows ranked after
/// it (score DESC, row ASC), since every row above it was shown already. Read by filings_rank() and filings_top()
/// alike, so that both leave out the same rows.
typedef struct {
    int present;
    double score;
    sqlite3_int64 row;
} LastHit;

/// The last hit given as the arguments `score` and `row`.
static LastHit last_hit(sqlite3_value *score, sqlite3_value *row) {
    LastHit last = {1, sqlite3_value_double(score), sqlite3_value_int64(row)};
    return last;
}

/// Whether the row `row` of `score` is ranked after `last`, or there is no last hit.
static int after_last_hit(const LastHit *last, double score, sqlite3_int64 row) {
    return !last->present || score < last->score || (score == last->score && row > last->row);
}

/// The statistics of one query, read from their text once and kept for all its rows, and the page
/// it fills: the best `capacity` exact scores seen so far among the rows the page can show, as a min-heap.
typedef struct {
    double mean_sizes[FILINGS_MAX_COLUMNS];
    double idf[FILINGS_MAX_PHRASES];
    /// The page's size plus one (0: every row is scored in full).
    int capacity;
    int count;
    LastHit last;
    double heap[];
} RankStatistics;

/// Reads "N avgdl_0 .. avgdl_{C-1} n_0 .. n_{P-1}"; NULL when `text` does not fit a query of this shape.
static RankStatistics *read_statistics(const char *text, int columns, int phrases, int capacity) {
    RankStatistics *statistics = sqlite3_malloc64(sizeof(RankStatistics) + sizeof(double) * (sqlite3_uint64)capacity);
    if (statistics == NULL) return NULL;
    statistics->capacity = capacity;
    statistics->count = 0;
    statistics->last.present = 0;
    double rows = 0;
    const char *cursor = text;
    for (int i = 0; i < 1 + columns + phrases; i++) {
        char *end = NULL;
        double value = strtod(cursor, &end);
        if (end == cursor) {
            sqlite3_free(statistics);
            return NULL;
        }
        cursor = end;
        if (i == 0) {
            rows = value;
        } else if (i <= columns) {
            statistics->mean_sizes[i - 1] = value > 0 ? value : 1.0;
        } else {
            double idf = log((rows - value + 0.5) / (value + 0.5));
            statistics->idf[i - 1 - columns] = idf <= 0.0 ? 1e-6 : idf;
        }
    }
    return statistics;
}

/// Adds `score` to the page's best scores, keeping the `capacity` largest.
static void keep_score(RankStatistics *statistics, double score) {
    double *heap = statistics->heap;
    int i;
    if (statistics->count < statistics->capacity) {
        i = statistics->count++;
        while (i > 0 && heap[(i - 1) / 2] > score) {
            heap[i] = heap[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        heap[i] = score;
        return;
    }
    if (score <= heap[0]) return;
    // Replace the smallest and sift it down.
    i = 0;
    for (;;) {
        int child = 2 * i + 1;
        if (child >= statistics->count) break;
        if (child + 1 < statistics->count && heap[child + 1] < heap[child]) child += 1;
        if (heap[child] >= score) break;
        heap[i] = heap[child];
        i = child;
    }
    heap[i] = score;
}

/// The BM25 score of a row with `hits` per (phrase, column) and columns of `sizes` tokens. A row's bound and its
/// score both come from here: the same operations in the same order, each rounded on its own, so that smaller
/// sizes never give a smaller result.
static double row_score(const RankStatistics *statistics, const int *hits, int phrases, int columns,
                        const double *sizes) {
    double score = 0;
    for (int phrase = 0; phrase < phrases; phrase++) {
        for (int column = 0; column < columns; column++) {
            double frequency = (double)hits[phrase * columns + column];
            if (frequency == 0) continue;
            double norm = k1 * (1.0 - b + b * sizes[column] / statistics->mean_sizes[column]);
            score += column_weights[column] * statistics->idf[phrase] * (frequency * (k1 + 1.0)) / (frequency + norm);
        }
    }
    return score;
}

// filings_rank(fts, stats [, capacity, row [, last_score, last_row]]).
//
// With a capacity (the page's size plus one) and the row's key, a row that cannot be among the page's rows is not
// scored in full: its score is -1, below every real score (each is positive). The bound is the score the row
// would have if each column were as short as it can be: its floor (filings_size_floors, in memory), and at least
// as many tokens as its most frequent phrase has hits, since a shorter column scores higher. Reading the column
// sizes from FTS5 is a B-tree look-up per row, a large part of the cost of a row; with floors that are the exact
// sizes (the usual case) the bound is the score itself, and only rows that enter the page are looked up. A row whose
// bound is below the smallest of the `capacity` best exact scores seen so far scores less than every row the
// page will show. The page's own rows, and every row that ties with them, keep their exact score.
static void rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *result, int argc,
                 sqlite3_value **argv) {
    int columns = api->xColumnCount(fts);
    int phrases = api->xPhraseCount(fts);
    filings_rank_context *context = api->xUserData(fts);
    RankStatistics *statistics = api->xGetAuxdata(fts, 0);
    if (statistics == NULL) {
        sqlite3_int64 capacity = argc >= 3 ? sqlite3_value_int64(argv[1]) : 0;
        if (argc < 1 || columns > FILINGS_MAX_COLUMNS || phrases > FILINGS_MAX_PHRASES || capacity < 0
            || capacity > 100000 || (argc != 1 && argc != 3 && argc != 5)) {
            sqlite3_result_error(result, "filings_rank: expects (stats [, capacity, row [, last score, last row]])",
                                 -1);
            return;
        }
        const char *text = (const char *)sqlite3_value_text(argv[0]);
        if (text == NULL) {
            // No statistics given: this query's own, read once, and left for the caller to keep for later pages.
            int rc = SQLITE_OK;
            char *own = statistics_text(api, fts, &rc);
            if (own == NULL) {
                sqlite3_result_error_code(result, rc == SQLITE_OK ? SQLITE_NOMEM : rc);
                return;
            }
            sqlite3_free(context->statistics);
            context->statistics = own;
            text = own;
        }
        statistics = read_statistics(text, columns, phrases, (int)capacity);
        if (statistics == NULL) {
            sqlite3_result_error(result, "filings_rank: statistics do not fit this query", -1);
            return;
        }
        if (argc == 5) statistics->last = last_hit(argv[3], argv[4]);
        int rc = api->xSetAuxdata(fts, statistics, sqlite3_free);
        if (rc != SQLITE_OK) {
            sqlite3_result_error_code(result, rc);
            return;
        }
    }

    // Hits per (phrase, column) in this row.
    int hits[FILINGS_MAX_COLUMNS * FILINGS_MAX_PHRASES];
    memset(hits, 0, sizeof(int) * (size_t)(columns * phrases));
    int instances = 0;
    int rc = api->xInstCount(fts, &instances);
    for (int i = 0; i < instances && rc == SQLITE_OK; i++) {
        int phrase = 0, column = 0, offset = 0;
        rc = api->xInst(fts, i, &phrase, &column, &offset);
        if (rc == SQLITE_OK && phrase < phrases && column < columns) {
            hits[phrase * columns + column] += 1;
        }
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(result, rc);
        return;
    }
    if (statistics->capacity > 0 && statistics->count == statistics->capacity) {
        // A column has at least as many tokens as its most frequent phrase has hits, and at least its floor.
        // filings_size_floors_get() leaves them at 0 for a row without floors.
        int floor[2] = {0, 0};
        if (columns == 2) {
            filings_size_floors_get(context->floors, sqlite3_value_int64(argv[2]), &floor[0], &floor[1]);
        }
        double shortest[FILINGS_MAX_COLUMNS];
        for (int column = 0; column < columns; column++) {
            int most = column < 2 ? floor[column] : 0;
            for (int phrase = 0; phrase < phrases; phrase++) {
                if (hits[phrase * columns + column] > most) most = hits[phrase * columns + column];
            }
            shortest[column] = (double)most;
        }
        if (row_score(statistics, hits, phrases, columns, shortest) < statistics->heap[0]) {
            sqlite3_result_double(result, -1.0);
            return;
        }
    }
    double sizes[FILINGS_MAX_COLUMNS];
    for (int column = 0; column < columns && rc == SQLITE_OK; column++) {
        int tokens = 0;
        rc = api->xColumnSize(fts, column, &tokens);
        sizes[column] = (double)tokens;
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(result, rc);
        return;
    }
    double score = row_score(statistics, hits, phrases, columns, sizes);
    if (statistics->capacity > 0) {
        // Only a row the page can show counts: after a previous page, one ranked below its last hit.
        sqlite3_int64 row = sqlite3_value_int64(argv[2]);
        if (after_last_hit(&statistics->last, score, row)) keep_score(statistics, score);
    }
    sqlite3_result_double(result, score);
}

typedef filings_top_entry TopEntry;

/// filings_top()'s state: every row counted, and the best `capacity` of them, as a heap whose first entry is the
/// worst kept.
typedef struct {
    sqlite3_int64 count;
    int capacity;
    int size;
    LastHit last;
    TopEntry *entries;
} TopState;

/// Whether `a` comes after `b` in the page's order, score DESC, row ASC.
static int ranks_below(const TopEntry *a, const TopEntry *b) {
    return a->score < b->score || (a->score == b->score && a->row > b->row);
}

static void top_sift_down(TopEntry *heap, int size, int i) {
    TopEntry moving = heap[i];
    for (;;) {
        int child = 2 * i + 1;
        if (child >= size) break;
        if (child + 1 < size && ranks_below(&heap[child + 1], &heap[child])) child += 1;
        if (!ranks_below(&heap[child], &moving)) break;
        heap[i] = heap[child];
        i = child;
    }
    heap[i] = moving;
}

// filings_top(row, key, score, capacity [, last_score, last_row]): see CFilingsSQLite.h.
static void top_step(sqlite3_context *context, int argc, sqlite3_value **argv) {
    TopState *state = sqlite3_aggregate_context(context, sizeof(TopState));
    if (state == NULL) {
        sqlite3_result_error_nomem(context);
        return;
    }
    if (state->entries == NULL) {
        sqlite3_int64 capacity = argc == 4 || argc == 6 ? sqlite3_value_int64(argv[3]) : 0;
        if (capacity < 1 || capacity > 100000) {
            sqlite3_result_error(context, "filings_top: expects (row, key, score, capacity [, last score, last row])",
                                 -1);
            return;
        }
        state->entries = sqlite3_malloc64(sizeof(TopEntry) * (sqlite3_uint64)capacity);
        if (state->entries == NULL) {
            sqlite3_result_error_nomem(context);
            return;
        }
        state->capacity = (int)capacity;
        if (argc == 6) state->last = last_hit(argv[4], argv[5]);
    }
    state->count += 1;
    TopEntry entry = {sqlite3_value_double(argv[2]), sqlite3_value_int64(argv[0]), sqlite3_value_int64(argv[1])};
    // filings_rank's -1: a row that cannot be on the page.
    if (entry.score < 0 || !after_last_hit(&state->last, entry.score, entry.row)) return;
    TopEntry *heap = state->entries;
    if (state->size < state->capacity) {
        int i = state->size++;
        while (i > 0 && ranks_below(&entry, &heap[(i - 1) / 2])) {
            heap[i] = heap[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        heap[i] = entry;
    } else if (ranks_below(&heap[0], &entry)) {
        heap[0] = entry;
        top_sift_down(heap, state->size, 0);
    }
}

static void top_final(sqlite3_context *context) {
    TopState *state = sqlite3_aggregate_context(context, 0);
    sqlite3_int64 count = state != NULL ? state->count : 0;
    int size = state != NULL ? state->size : 0;
    sqlite3_uint64 length = sizeof(sqlite3_int64) + sizeof(TopEntry) * (sqlite3_uint64)size;
    unsigned char *blob = sqlite3_malloc64(length);
    if (blob == NULL) {
        if (state != NULL) sqlite3_free(state->entries);
        sqlite3_result_error_nomem(context);
        return;
    }
    memcpy(blob, &count, sizeof count);
    // Best first: take the worst off the heap into the last free place, size times.
    TopEntry *out = (TopEntry *)(void *)(blob + sizeof(sqlite3_int64));
    for (int remaining = size; remaining > 0; remaining--) {
        TopEntry *heap = state->entries;
        TopEntry worst = heap[0];
        heap[0] = heap[remaining - 1];
        if (remaining > 1) top_sift_down(heap, remaining - 1, 0);
        memcpy(&out[remaining - 1], &worst, sizeof worst);
    }
    if (state != NULL) sqlite3_free(state->entries);
    sqlite3_result_blob64(context, blob, length, sqlite3_free);
}

int filings_sqlite_register_functions(sqlite3 *db, filings_size_floors *floors, filings_rank_context **context) {
    *context = NULL;
    fts5_api *fts = NULL;
    sqlite3_stmt *statement = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, NULL);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_pointer(statement, 1, (void *)&fts, "fts5_api_ptr", NULL);
    sqlite3_step(statement);
    rc = sqlite3_finalize(statement);
    if (rc != SQLITE_OK) return rc;
    if (fts == NULL || fts->iVersion < 2) return SQLITE_ERROR;
    filings_rank_context *shared = sqlite3_malloc(sizeof(filings_rank_context));
    if (shared == NULL) return SQLITE_NOMEM;
    shared->floors = floors;
    shared->statistics = NULL;
    // FTS5 frees the context when the connection closes; not when it cannot take the function.
    rc = fts->xCreateFunction(fts, "filings_rank", shared, rank, destroy_rank_context);
    if (rc != SQLITE_OK) {
        destroy_rank_context(shared);
        return rc;
    }
    *context = shared;
    rc = fts->xCreateFunction(fts, "filings_snippet", NULL, filings_snippet, NULL);
    if (rc != SQLITE_OK) return rc;
    rc = sqlite3_create_function_v2(db, "filings_top", -1, SQLITE_UTF8, NULL, NULL, top_step, top_final, NULL);
    if (rc != SQLITE_OK) return rc;
    return sqlite3_create_function_v2(db, "filings_text", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                      filings_text_function, NULL, NULL, NULL);
}

int filings_sqlite_configure_process(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

int filings_sqlite_bind_text(sqlite3_stmt *statement, int index, const char *text, int length) {
    return sqlite3_bind_text(statement, index, text != NULL ? text : "", length, SQLITE_TRANSIENT);
}

int filings_sqlite_bind_blob(sqlite3_stmt *statement, int index, const void *bytes, int length) {
    if (bytes == NULL || length == 0) return sqlite3_bind_zeroblob(statement, index, 0);
    return sqlite3_bind_blob(statement, index, bytes, length, SQLITE_TRANSIENT);
}
