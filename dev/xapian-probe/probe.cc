// Measures Xapian (issue 13's first candidate for top-k full text) on a store's own text, beside SQLite FTS5:
//
//   probe index STORE.sqlite XAPIAN_DIR     index every filing's title (weighted 5x) and text, with positions
//   probe query XAPIAN_DIR QUERIES.txt N    each query N times, the first 20 by BM25: p50/p99 per query
//
// Words are runs of letters and digits, lowercased, as the store's tokenizer makes them (no stemming). The query
// syntax is the store's: words (all required), "phrases", prefix*, OR, -exclusion; key:value filters are dropped.
// Built and run by dev/bench-xapian.sh. A measurement, not part of the server.
#include <sqlite3.h>
#include <xapian.h>

extern "C" {
#include "filing_text.h"  // Sources/CFilingsSQLite: a filing's text from its blob (the index keeps none)
}

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

static std::vector<std::string> words(const std::string &text) {
    std::vector<std::string> out;
    std::string word;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c >= 0x80) {
            word.push_back((char)std::tolower(c));
        } else if (!word.empty()) {
            out.push_back(word);
            word.clear();
        }
    }
    if (!word.empty()) out.push_back(word);
    return out;
}

static void add_text(Xapian::Document &doc, const std::string &text, Xapian::termpos &pos, unsigned weight) {
    for (const auto &w : words(text)) {
        if (w.size() > 64) continue;
        doc.add_posting(w, ++pos, weight);
    }
}

static int index(const char *store, const char *dir) {
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(store, &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return 1;
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT d.id, b.filing, f.filing_size FROM filings_fts_docsize d "
                       "JOIN filings f ON f.row = (d.id >> 8) & 268435455 JOIN filing_blobs b ON b.row = f.row "
                       "ORDER BY d.id",
                       -1, &st, nullptr);
    Xapian::WritableDatabase x(dir, Xapian::DB_CREATE_OR_OVERWRITE);
    auto start = std::chrono::steady_clock::now();
    long n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        Xapian::Document doc;
        Xapian::termpos pos = 0;
        char *texts[2] = {nullptr, nullptr};
        for (int column = 0; column < 2; column++) {
            int bytes = 0;
            if (filings_filing_text(sqlite3_column_blob(st, 1), sqlite3_column_bytes(st, 1),
                                    sqlite3_column_int64(st, 2), column, &texts[column], &bytes) != SQLITE_OK) {
                long long key = sqlite3_column_int64(st, 0);
                std::fprintf(stderr, "filing %lld: its blob cannot be read\n", key);
                return 1;
            }
        }
        add_text(doc, texts[0], pos, 5);
        pos += 100;
        add_text(doc, texts[1], pos, 1);
        sqlite3_free(texts[0]);
        sqlite3_free(texts[1]);
        x.replace_document((Xapian::docid)sqlite3_column_int64(st, 0), doc);
        if (++n % 10000 == 0) {
            x.commit();
            std::fprintf(stderr, "%ld documents\n", n);
        }
    }
    x.commit();
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("indexed %ld documents in %.1f s (%.0f documents/s)\n", n, s, n / s);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return 0;
}

/// The store's query grammar as a Xapian query.
static Xapian::Query parse(const std::string &line, const Xapian::Database &db) {
    std::vector<Xapian::Query> required, excluded;
    std::vector<Xapian::Query> group;  // terms joined by OR
    bool pending_or = false;
    size_t i = 0;
    auto term = [&](std::string text, bool prefix) -> Xapian::Query {
        auto ws = words(text);
        if (ws.empty()) return Xapian::Query();
        if (prefix && ws.size() == 1) return Xapian::Query(Xapian::Query::OP_WILDCARD, ws[0]);
        if (ws.size() == 1) return Xapian::Query(ws[0]);
        std::vector<Xapian::Query> parts;
        for (auto &w : ws) parts.emplace_back(w);
        return Xapian::Query(Xapian::Query::OP_PHRASE, parts.begin(), parts.end(), (Xapian::termcount)ws.size());
    };
    auto flush = [&]() {
        if (group.empty()) return;
        required.push_back(group.size() == 1 ? group[0] : Xapian::Query(Xapian::Query::OP_OR, group.begin(), group.end()));
        group.clear();
    };
    while (i < line.size()) {
        while (i < line.size() && line[i] == ' ') i++;
        if (i >= line.size()) break;
        bool exclude = line[i] == '-';
        if (exclude) i++;
        std::string text;
        if (line[i] == '"') {
            size_t end = line.find('"', i + 1);
            text = line.substr(i + 1, end - i - 1);
            i = end == std::string::npos ? line.size() : end + 1;
        } else {
            size_t end = line.find(' ', i);
            text = line.substr(i, end == std::string::npos ? std::string::npos : end - i);
            i = end == std::string::npos ? line.size() : end;
        }
        if (text.find(':') != std::string::npos) continue;  // a filter
        if (text == "OR") { pending_or = true; continue; }
        bool prefix = !text.empty() && text.back() == '*';
        if (prefix) text.pop_back();
        Xapian::Query q = term(text, prefix);
        if (exclude) { excluded.push_back(q); continue; }
        if (!pending_or) flush();
        pending_or = false;
        group.push_back(q);
    }
    flush();
    Xapian::Query query(Xapian::Query::OP_AND, required.begin(), required.end());
    for (auto &e : excluded) query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, e);
    (void)db;
    return query;
}

static int query(const char *dir, const char *file, int runs) {
    Xapian::Database db(dir);
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(Xapian::BM25Weight(1.2, 0, 1, 0.75, 0.5));
    std::ifstream in(file);
    std::string line;
    std::vector<double> all;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        Xapian::Query q = parse(line, db);
        enquire.set_query(q);
        std::vector<double> times;
        Xapian::doccount estimate = 0;
        for (int r = 0; r < runs; r++) {
            auto start = std::chrono::steady_clock::now();
            Xapian::MSet m = enquire.get_mset(0, 20);
            estimate = m.get_matches_estimated();
            times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        }
        std::sort(times.begin(), times.end());
        all.insert(all.end(), times.begin(), times.end());
        std::printf("%-45s p50 %7.3f ms  p99 %7.3f ms  (about %u matches)\n", line.c_str(), times[times.size() / 2],
                    times[std::min(times.size() - 1, times.size() * 99 / 100)], estimate);
    }
    std::sort(all.begin(), all.end());
    std::printf("%-45s p50 %7.3f ms  p99 %7.3f ms\n", "all", all[all.size() / 2], all[all.size() * 99 / 100]);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && std::string(argv[1]) == "index") return index(argv[2], argv[3]);
    if (argc == 5 && std::string(argv[1]) == "query") return query(argv[2], argv[3], std::atoi(argv[4]));
    std::fprintf(stderr, "usage: probe index STORE.sqlite DIR | probe query DIR QUERIES.txt RUNS\n");
    return 2;
}
