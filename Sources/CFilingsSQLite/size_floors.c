// The smallest column sizes each filing row has had in filings_fts, in memory, so that filings_rank() can bound a
// row's score without FTS5's docsize look-up (see CFilingsSQLite.h).
//
// Rows are dense (1, 2, 3, ... as filings are stored), so the table is an array by row, in chunks allocated as
// rows appear. Entries are read by the reader threads while the writer thread lowers them: each is one atomic
// 64-bit word, bit 63 set when known, the title's size in bits 32-62 and the body's in bits 0-31.
#include "CFilingsSQLite.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#define CHUNK_BITS 16
#define CHUNK_SIZE (1 << CHUNK_BITS)
#define CHUNK_COUNT (1 << (FILINGS_SIZE_FLOOR_ROW_BITS - CHUNK_BITS))
#define KNOWN ((uint64_t)1 << 63)

struct filings_size_floors {
    _Atomic(_Atomic uint64_t *) chunks[CHUNK_COUNT];
};

filings_size_floors *filings_size_floors_create(void) { return calloc(1, sizeof(filings_size_floors)); }

void filings_size_floors_destroy(filings_size_floors *floors) {
    if (floors == NULL) return;
    for (int i = 0; i < CHUNK_COUNT; i++) free((void *)atomic_load(&floors->chunks[i]));
    free(floors);
}

static int row_in_range(sqlite3_int64 row) {
    return row > 0 && row < ((sqlite3_int64)1 << FILINGS_SIZE_FLOOR_ROW_BITS);
}

int filings_size_floors_get(const filings_size_floors *floors, sqlite3_int64 row, int *title, int *body) {
    if (floors == NULL || !row_in_range(row)) return 0;
    _Atomic uint64_t *chunk = atomic_load_explicit(&((filings_size_floors *)floors)->chunks[row >> CHUNK_BITS],
                                                   memory_order_acquire);
    if (chunk == NULL) return 0;
    uint64_t entry = atomic_load_explicit(&chunk[row & (CHUNK_SIZE - 1)], memory_order_acquire);
    if ((entry & KNOWN) == 0) return 0;
    *title = (int)((entry >> 32) & 0x7FFFFFFF);
    *body = (int)(entry & 0xFFFFFFFF);
    return 1;
}

int filings_size_floors_lower(filings_size_floors *floors, sqlite3_int64 row, int title, int body) {
    if (floors == NULL || !row_in_range(row) || title < 0 || body < 0) return 0;
    _Atomic(_Atomic uint64_t *) *slot = &floors->chunks[row >> CHUNK_BITS];
    _Atomic uint64_t *chunk = atomic_load_explicit(slot, memory_order_acquire);
    if (chunk == NULL) {
        _Atomic uint64_t *fresh = calloc(CHUNK_SIZE, sizeof(uint64_t));
        if (fresh == NULL) return 0;
        _Atomic uint64_t *expected = NULL;
        if (atomic_compare_exchange_strong_explicit(slot, &expected, fresh, memory_order_acq_rel,
                                                    memory_order_acquire)) {
            chunk = fresh;
        } else {
            free((void *)fresh);
            chunk = expected;
        }
    }
    _Atomic uint64_t *cell = &chunk[row & (CHUNK_SIZE - 1)];
    uint64_t old = atomic_load_explicit(cell, memory_order_acquire);
    for (;;) {
        uint64_t lowest_title = (uint64_t)title, lowest_body = (uint64_t)body;
        if (old & KNOWN) {
            if (((old >> 32) & 0x7FFFFFFF) < lowest_title) lowest_title = (old >> 32) & 0x7FFFFFFF;
            if ((old & 0xFFFFFFFF) < lowest_body) lowest_body = old & 0xFFFFFFFF;
        }
        uint64_t entry = KNOWN | (lowest_title << 32) | lowest_body;
        if (entry == old) return 1;
        if (atomic_compare_exchange_weak_explicit(cell, &old, entry, memory_order_acq_rel, memory_order_acquire)) {
            return 1;
        }
    }
}

int filings_size_floors_lower_docsize(filings_size_floors *floors, sqlite3_int64 row, const void *docsize,
                                      int length) {
    // FTS5's docsize record: one varint per column (7 bits a byte, most significant first, high bit: more).
    const unsigned char *bytes = docsize;
    int sizes[2] = {0, 0};
    int at = 0;
    for (int column = 0; column < 2; column++) {
        uint64_t value = 0;
        int more = 1;
        for (int i = 0; more; i++) {
            if (at >= length || i == 5) return 0;
            value = (value << 7) | (bytes[at] & 0x7F);
            more = bytes[at++] & 0x80;
        }
        if (value > INT32_MAX) return 0;
        sizes[column] = (int)value;
    }
    return filings_size_floors_lower(floors, row, sizes[0], sizes[1]);
}
