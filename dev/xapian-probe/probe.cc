// Measures Xapian, issue 13's first candidate for ranked full text, on a store's own text, and answers the questions
// a ranked index beside SQLite raises before it is built:
//
//   probe index STORE.sqlite DIR [COPIES] [positions]
//       index every filing's title (each word counted 5 times) and text, by filing row; COPIES > 1 indexes each
//       filing that many times under other document ids (row + copy * 2^24), a larger corpus with the same words
//   probe query DIR QUERIES.txt RUNS      the first 20 hits of each query RUNS times: p50/p99 per query
//   probe check DIR QUERIES.txt           whether the pruned first 20 are the first 20 of every match, scored alike
//   probe deep DIR QUERIES.txt            the cost of a page 0, 200, 2,000 and 20,000 hits deep
//   probe phrases DIR STORE.sqlite QUERIES.txt
//                                         phrases without positions, ranked by their words, two ways: each hit's
//                                         phrases checked in FTS5 by its key, twice as many hits asked for each round
//                                         until 20 pass; or the filings FTS5 finds holding the phrases as a filter.
//                                         Both must give the same hits.
//   probe fts5 STORE.sqlite FTS.sqlite [COPIES]
//                                         the peer, on the same documents: an FTS5 table of the same title and text,
//                                         COPIES times over, with the store's tokenizer and positions
//   probe fts5query FTS.sqlite QUERIES.txt RUNS
//                                         its first 20 by SQLite's bm25() (title weighted 5), the ranking FTS5 does
//                                         without the store's pruning: p50/p99 per query
//   probe ordered DIR QUERIES.txt          what postings sorted by score would read: each word's postings ordered by
//                                         its BM25 part (offline, in memory), then Fagin's threshold algorithm
//                                         (sorted reads in turn, look-ups of the other words) until the 20th best
//                                         score reaches the sum of the last parts read. Queries of words (phrases as
//                                         their words) joined by AND, or by OR alone; the others are skipped.
//
// The score is BM25 (k1 1.2, b 0.75) of one field, the text with the title's words counted 5 times, and its corpus
// statistics are frozen when a query starts (`FrozenBM25`), as exact paging needs: the rows, the mean length and each
// term's document count. Words are runs of letters and digits, lowercased (no stemming), close to the store's
// tokenizer. The query syntax is the store's: words (all required), "phrases", prefix*, OR, -exclusion; key:value
// filters and order: lines are skipped. Built and run by dev/bench-xapian.sh. A measurement, not part of the server.
#include <sqlite3.h>
#include <xapian.h>

extern "C" {
#include "filing_text.h"  // Sources/CFilingsSQLite: a filing's text from its blob (the index keeps none)
}

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

constexpr Xapian::docid copyStride = 1u << 24;  // rows stay below 2^24 in the stores measured

double millisecondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

std::vector<std::string> words(const std::string &text) {
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

/// Calls `body` with each filing's row, title and text, in row order (the text from its blob, as the store's snippets
/// read it); 1 when the store or a blob cannot be read, else 0.
int forEachFiling(const char *store, const std::function<void(sqlite3_int64, const char *, int, const char *, int)> &body) {
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(store, &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return 1;
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT f.row, b.filing, f.filing_size FROM filings f JOIN filing_blobs b ON b.row = f.row "
                       "ORDER BY f.row",
                       -1, &st, nullptr);
    int failed = 0;
    while (!failed && sqlite3_step(st) == SQLITE_ROW) {
        char *texts[2] = {nullptr, nullptr};
        int bytes[2] = {0, 0};
        for (int column = 0; column < 2 && !failed; column++) {
            if (filings_filing_text(sqlite3_column_blob(st, 1), sqlite3_column_bytes(st, 1),
                                    sqlite3_column_int64(st, 2), column, &texts[column], &bytes[column]) != SQLITE_OK) {
                std::fprintf(stderr, "filing %lld: its blob cannot be read\n", sqlite3_column_int64(st, 0));
                failed = 1;
            }
        }
        if (!failed) body(sqlite3_column_int64(st, 0), texts[0], bytes[0], texts[1], bytes[1]);
        sqlite3_free(texts[0]);
        sqlite3_free(texts[1]);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return failed;
}

/// Indexes the store's filings in row order, committing every 2,000 documents (larger batches make Xapian's
/// in-memory postings slower to add to than the commits cost) without fsync (the store is the source of truth).
int index(const char *store, const char *dir, int copies, bool positions) {
    Xapian::WritableDatabase x(dir, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC);
    auto start = std::chrono::steady_clock::now();
    long n = 0;
    auto add = [&](Xapian::docid id, const std::vector<std::string> &title, const std::vector<std::string> &text) {
        Xapian::Document doc;
        if (positions) {
            Xapian::termpos pos = 0;
            for (auto &w : title) if (w.size() <= 64) doc.add_posting(w, ++pos, 5);
            pos += 100;
            for (auto &w : text) if (w.size() <= 64) doc.add_posting(w, ++pos, 1);
        } else {
            // One add_term per distinct word: Xapian's document keeps its terms in a tree.
            std::unordered_map<std::string, Xapian::termcount> wdf;
            wdf.reserve(2048);
            for (auto &w : title) if (w.size() <= 64) wdf[w] += 5;
            for (auto &w : text) if (w.size() <= 64) wdf[w] += 1;
            for (auto &kv : wdf) doc.add_term(kv.first, kv.second);
        }
        x.replace_document(id, doc);
        if (++n % 2000 == 0) {
            x.commit();
            std::fprintf(stderr, "%ld documents, %.0f/s\n", n, n / (millisecondsSince(start) / 1000));
        }
    };
    // Copies are indexed in batches of one copy each, so that each batch's ids ascend as a live index's do.
    std::vector<std::pair<Xapian::docid, std::pair<std::vector<std::string>, std::vector<std::string>>>> batch;
    auto flush = [&]() {
        for (int c = 0; c < copies; c++) {
            for (auto &item : batch) add(item.first + (Xapian::docid)c * copyStride, item.second.first, item.second.second);
        }
        batch.clear();
    };
    int failed = forEachFiling(store, [&](sqlite3_int64 row, const char *title, int, const char *text, int) {
        batch.push_back({(Xapian::docid)row, {words(title), words(text)}});
        if (batch.size() == 2000) flush();
    });
    if (failed) return 1;
    flush();
    x.commit();
    double s = millisecondsSince(start) / 1000;
    std::printf("indexed %ld documents in %.1f s (%.0f documents/s on one core)\n", n, s, n / s);
    return 0;
}

/// BM25's inverse document frequency, floored as the store's ranking floors it.
double inverseFrequency(double documents, double frequency) {
    double idf = std::log((documents - frequency + 0.5) / (frequency + 0.5));
    return idf <= 0 ? 1e-6 : idf;
}

/// A word's part of a document's BM25 score (k1 1.2, b 0.75).
double bm25Part(double idf, double wdf, double length, double averageLength) {
    return idf * 2.2 * wdf / (1.2 * 0.25 + 1.2 * 0.75 / averageLength * length + wdf);
}

/// The corpus statistics a query's scores are computed with, read when its first page is.
struct Statistics {
    double documents = 0;
    double averageLength = 0;
    std::vector<double> frequencies;  // documents holding each weighted leaf, by the leaf's index
};

/// BM25 (k1 1.2, b 0.75) with frozen `Statistics`. Each weighted leaf of the query is wrapped in OP_SCALE_WEIGHT
/// with its index + 1 as the factor, the only thing Xapian tells a Weight about its term; the factor does not scale.
class FrozenBM25 : public Xapian::Weight {
    std::shared_ptr<const Statistics> statistics;
    double idf = 0, maxPart = 0;

  public:
    explicit FrozenBM25(std::shared_ptr<const Statistics> s) : statistics(std::move(s)) {
        need_stat(WDF);
        need_stat(DOC_LENGTH);
        need_stat(DOC_LENGTH_MIN);
        need_stat(WDF_MAX);
    }
    std::string name() const override { return "filings.FrozenBM25"; }
    Xapian::Weight *clone() const override { return new FrozenBM25(statistics); }
    void init(double factor) override {
        if (factor == 0) return;  // the term-independent part, or an unweighted leaf (an exclusion)
        idf = inverseFrequency(statistics->documents, statistics->frequencies.at((size_t)factor - 1));
        // The bound Xapian prunes with: the most wdf any document has, in the shortest document.
        double wdf = get_wdf_upper_bound();
        maxPart = wdf == 0 ? 0 : bm25Part(idf, wdf, get_doclength_lower_bound(), statistics->averageLength);
    }
    double get_sumpart(Xapian::termcount wdf, Xapian::termcount length, Xapian::termcount) const override {
        return bm25Part(idf, wdf, length, statistics->averageLength);
    }
    double get_maxpart() const override { return maxPart; }
    double get_sumextra(Xapian::termcount, Xapian::termcount) const override { return 0; }
    double get_maxextra() const override { return 0; }
};

/// A query of the store's grammar, its statistics read now; a phrase is the AND of its words (no positions).
struct Parsed {
    Xapian::Query query;
    std::shared_ptr<Statistics> statistics = std::make_shared<Statistics>();
    std::string phrases;  // the FTS5 expression of its phrases alone, empty without any
};

Parsed parse(const std::string &line, const Xapian::Database &db) {
    Parsed parsed;
    auto &stats = *parsed.statistics;
    stats.documents = db.get_doccount();
    stats.averageLength = db.get_avlength();
    auto weighted = [&](Xapian::Query leaf, double frequency) {
        stats.frequencies.push_back(frequency);
        return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, leaf, (double)stats.frequencies.size());
    };
    auto term = [&](const std::string &text, bool prefix) -> Xapian::Query {
        auto ws = words(text);
        if (ws.empty()) return Xapian::Query();
        if (prefix && ws.size() == 1) {
            // One term whose wdf is the sum of its words' (OP_SYNONYM); its document count is counted exactly.
            Xapian::Query any(Xapian::Query::OP_WILDCARD, ws[0], 0, Xapian::Query::WILDCARD_LIMIT_ERROR,
                              Xapian::Query::OP_SYNONYM);
            Xapian::Enquire count(db);
            count.set_query(any);
            count.set_weighting_scheme(Xapian::BoolWeight());
            return weighted(any, count.get_mset(0, 0, db.get_doccount()).get_matches_estimated());
        }
        if (ws.size() > 1) {
            if (!parsed.phrases.empty()) parsed.phrases += " AND ";
            parsed.phrases += "\"" + text + "\"";
        }
        std::vector<Xapian::Query> parts;
        for (auto &w : ws) parts.push_back(weighted(Xapian::Query(w), db.get_termfreq(w)));
        return parts.size() == 1 ? parts[0] : Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
    };
    std::vector<Xapian::Query> required, excluded, group;
    bool pendingOr = false;
    auto flush = [&]() {
        if (group.empty()) return;
        required.push_back(group.size() == 1 ? group[0]
                                             : Xapian::Query(Xapian::Query::OP_OR, group.begin(), group.end()));
        group.clear();
    };
    size_t i = 0;
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
        if (text.find(':') != std::string::npos) continue;
        if (text == "OR") {
            pendingOr = true;
            continue;
        }
        bool prefix = !text.empty() && text.back() == '*';
        if (prefix) text.pop_back();
        if (exclude) {
            auto ws = words(text);
            std::vector<Xapian::Query> parts(ws.begin(), ws.end());
            excluded.push_back(Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end()));
            continue;
        }
        if (!pendingOr) flush();
        pendingOr = false;
        group.push_back(term(text, prefix));
    }
    flush();
    parsed.query = Xapian::Query(Xapian::Query::OP_AND, required.begin(), required.end());
    for (auto &e : excluded) parsed.query = Xapian::Query(Xapian::Query::OP_AND_NOT, parsed.query, e);
    return parsed;
}

Xapian::Enquire enquire(const Xapian::Database &db, const Parsed &parsed) {
    Xapian::Enquire e(db);
    e.set_query(parsed.query);
    e.set_weighting_scheme(FrozenBM25(parsed.statistics));
    e.set_docid_order(Xapian::Enquire::ASCENDING);  // ties by row, as the store breaks them
    return e;
}

void forEachQuery(const char *file, const std::function<void(const std::string &)> &body) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line.find("order:") != std::string::npos) continue;
        body(line);
    }
}

double percentile(std::vector<double> times, double p) {
    std::sort(times.begin(), times.end());
    return times[std::min(times.size() - 1, (size_t)(times.size() * p))];
}

int query(const char *dir, const char *file, int runs) {
    Xapian::Database db(dir);
    std::vector<double> all;
    forEachQuery(file, [&](const std::string &line) {
        std::vector<double> times;
        Xapian::doccount estimate = 0;
        for (int r = 0; r < runs; r++) {
            auto start = std::chrono::steady_clock::now();
            Parsed parsed = parse(line, db);  // statistics read per query, as a first page reads them
            Xapian::MSet m = enquire(db, parsed).get_mset(0, 20);
            estimate = m.get_matches_estimated();
            times.push_back(millisecondsSince(start));
        }
        all.insert(all.end(), times.begin(), times.end());
        std::printf("%-40s p50 %7.3f ms  p99 %7.3f ms  (about %u matches)\n", line.c_str(), percentile(times, 0.5),
                    percentile(times, 0.99), estimate);
    });
    std::printf("%-40s p50 %7.3f ms  p99 %7.3f ms\n", "all", percentile(all, 0.5), percentile(all, 0.99));
    return 0;
}

int check(const char *dir, const char *file) {
    Xapian::Database db(dir);
    int wrong = 0;
    forEachQuery(file, [&](const std::string &line) {
        Parsed parsed = parse(line, db);
        auto e = enquire(db, parsed);
        auto top = e.get_mset(0, 20);
        // Asked for every match, Xapian can prune nothing: its first 20 are the true first 20.
        auto all = e.get_mset(0, db.get_doccount(), db.get_doccount());
        bool same = top.size() == std::min<Xapian::doccount>(20, all.size());
        for (unsigned k = 0; same && k < top.size(); k++) {
            same = *top[k] == *all[k] && top[k].get_weight() == all[k].get_weight();
        }
        if (!same) wrong++;
        std::printf("%-40s %s (first %u of %u matches)\n", line.c_str(), same ? "same" : "DIFFERENT", top.size(),
                    all.size());
    });
    return wrong == 0 ? 0 : 1;
}

int deep(const char *dir, const char *file) {
    Xapian::Database db(dir);
    forEachQuery(file, [&](const std::string &line) {
        std::printf("%-32s", line.c_str());
        for (unsigned offset : {0u, 200u, 2000u, 20000u}) {
            std::vector<double> times;
            for (int r = 0; r < 7; r++) {
                auto start = std::chrono::steady_clock::now();
                enquire(db, parse(line, db)).get_mset(offset, 20);
                times.push_back(millisecondsSince(start));
            }
            std::printf("  @%u %7.2f", offset, percentile(times, 0.5));
        }
        std::printf(" ms (medians of 7)\n");
    });
    return 0;
}

/// The documents of a sorted list of ids, weightless: a filter.
class Listed : public Xapian::PostingSource {
    std::shared_ptr<const std::vector<Xapian::docid>> ids;
    size_t at = 0;
    bool started = false;

  public:
    explicit Listed(std::shared_ptr<const std::vector<Xapian::docid>> list) : ids(std::move(list)) {}
    Xapian::doccount get_termfreq_min() const override { return ids->size(); }
    Xapian::doccount get_termfreq_est() const override { return ids->size(); }
    Xapian::doccount get_termfreq_max() const override { return ids->size(); }
    Xapian::docid get_docid() const override { return (*ids)[at]; }
    void next(double) override {
        if (started) at++;
        started = true;
    }
    void skip_to(Xapian::docid id, double) override {
        started = true;
        at = std::lower_bound(ids->begin() + at, ids->end(), id) - ids->begin();
    }
    bool at_end() const override { return started && at >= ids->size(); }
    Xapian::PostingSource *clone() const override { return new Listed(ids); }
    void init(const Xapian::Database &) override {
        at = 0;
        started = false;
    }
};

int phrases(const char *dir, const char *store, const char *file) {
    Xapian::Database db(dir);
    sqlite3 *sq = nullptr;
    if (sqlite3_open_v2(store, &sq, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return 1;
    // Each row's full-text key (FTS5's rowid: date, row and kinds), read once.
    std::unordered_map<Xapian::docid, sqlite3_int64> keyOfRow;
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(sq, "SELECT id FROM filings_fts_docsize", -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) {
        sqlite3_int64 key = sqlite3_column_int64(st, 0);
        keyOfRow[(Xapian::docid)((key >> 8) & 0xFFFFFFF)] = key;
    }
    sqlite3_finalize(st);
    sqlite3_stmt *holds = nullptr;
    sqlite3_prepare_v2(sq, "SELECT 1 FROM filings_fts WHERE filings_fts MATCH ?1 AND rowid = ?2", -1, &holds, nullptr);
    forEachQuery(file, [&](const std::string &line) {
        if (line.find('"') == std::string::npos) return;
        std::vector<double> times;
        long checked = 0, rounds = 0;
        std::vector<Xapian::docid> checkedFirst, filteredFirst;
        for (int r = 0; r < 9; r++) {
            checkedFirst.clear();
            auto start = std::chrono::steady_clock::now();
            Parsed parsed = parse(line, db);
            auto e = enquire(db, parsed);
            unsigned passed = 0, from = 0, asked = 40;
            checked = rounds = 0;
            while (passed < 20) {
                rounds++;
                Xapian::MSet m = e.get_mset(from, asked - from);
                for (auto it = m.begin(); it != m.end() && passed < 20; ++it) {
                    sqlite3_reset(holds);
                    sqlite3_bind_text(holds, 1, parsed.phrases.c_str(), -1, SQLITE_STATIC);
                    sqlite3_bind_int64(holds, 2, keyOfRow[*it % copyStride]);
                    checked++;
                    if (sqlite3_step(holds) == SQLITE_ROW) {
                        passed++;
                        checkedFirst.push_back(*it);
                    }
                }
                if (m.size() < asked - from) break;
                from = asked;
                asked *= 2;
            }
            times.push_back(millisecondsSince(start));
        }
        std::printf("%-32s p50 %8.2f ms, max %8.2f ms: %ld hits checked in %ld rounds\n", line.c_str(),
                    percentile(times, 0.5), percentile(times, 1), checked, rounds);
        // The other way: the filings that hold the phrases, from FTS5 without ranking, as a filter of the words.
        std::vector<double> setTimes;
        size_t holding = 0;
        const Xapian::docid copies = db.get_lastdocid() / copyStride + 1;
        for (int r = 0; r < 9; r++) {
            auto start = std::chrono::steady_clock::now();
            Parsed parsed = parse(line, db);
            auto ids = std::make_shared<std::vector<Xapian::docid>>();
            sqlite3_stmt *all = nullptr;
            sqlite3_prepare_v2(sq, "SELECT rowid FROM filings_fts WHERE filings_fts MATCH ?1", -1, &all, nullptr);
            sqlite3_bind_text(all, 1, parsed.phrases.c_str(), -1, SQLITE_STATIC);
            while (sqlite3_step(all) == SQLITE_ROW) {
                Xapian::docid row = (Xapian::docid)((sqlite3_column_int64(all, 0) >> 8) & 0xFFFFFFF);
                for (Xapian::docid c = 0; c < copies; c++) ids->push_back(row + c * copyStride);
            }
            sqlite3_finalize(all);
            std::sort(ids->begin(), ids->end());
            holding = ids->size();
            Listed listed(ids);
            Parsed filtered = parsed;
            filtered.query = Xapian::Query(Xapian::Query::OP_FILTER, parsed.query, Xapian::Query(&listed));
            Xapian::MSet m = enquire(db, filtered).get_mset(0, 20);
            setTimes.push_back(millisecondsSince(start));
            filteredFirst.assign(m.begin(), m.end());
        }
        std::printf("%-32s p50 %8.2f ms, max %8.2f ms: filtered by the %zu filings that hold the phrases; %zu hits, %s\n",
                    "", percentile(setTimes, 0.5), percentile(setTimes, 1), holding, filteredFirst.size(),
                    filteredFirst == checkedFirst ? "the same" : "NOT THE SAME");
    });
    sqlite3_finalize(holds);
    sqlite3_close(sq);
    return 0;
}

int ordered(const char *dir, const char *file) {
    Xapian::Database db(dir);
    double documents = db.get_doccount(), average = db.get_avlength();
    forEachQuery(file, [&](const std::string &line) {
        if (line.find('*') != std::string::npos || line.find(" -") != std::string::npos || line[0] == '-') {
            std::printf("%-32s skipped: a prefix or an exclusion\n", line.c_str());
            return;
        }
        bool all = line.find(" OR ") == std::string::npos;
        std::vector<std::string> terms;
        for (auto &w : words(line)) {
            if (w != "or" && std::find(terms.begin(), terms.end(), w) == terms.end()) terms.push_back(w);
        }
        // Each word's (part, document) pairs, best first, and its parts by document for the look-ups.
        std::vector<std::vector<std::pair<double, Xapian::docid>>> sorted(terms.size());
        std::vector<std::unordered_map<Xapian::docid, double>> parts(terms.size());
        size_t postings = 0;
        for (size_t t = 0; t < terms.size(); t++) {
            double idf = inverseFrequency(documents, db.get_termfreq(terms[t]));
            for (auto p = db.postlist_begin(terms[t]); p != db.postlist_end(terms[t]); ++p) {
                double part = bm25Part(idf, p.get_wdf(), p.get_doclength(), average);
                sorted[t].push_back({part, *p});
                parts[t][*p] = part;
            }
            std::sort(sorted[t].begin(), sorted[t].end(),
                      [](auto &x, auto &y) { return x.first > y.first || (x.first == y.first && x.second < y.second); });
            postings += sorted[t].size();
        }
        auto start = std::chrono::steady_clock::now();
        std::priority_queue<double, std::vector<double>, std::greater<double>> best;  // the 20 best, worst on top
        std::unordered_map<Xapian::docid, bool> seen;
        size_t read = 0, lookedUp = 0;
        for (size_t depth = 0;; depth++) {
            double threshold = 0;
            bool more = false, exhausted = false;
            for (size_t t = 0; t < terms.size(); t++) {
                if (depth >= sorted[t].size()) {
                    exhausted = true;
                    continue;
                }
                more = true;
                auto [part, doc] = sorted[t][depth];
                read++;
                threshold += part;
                if (!seen.emplace(doc, true).second) continue;
                double score = part;
                bool matches = true;
                for (size_t u = 0; u < terms.size() && matches; u++) {
                    if (u == t) continue;
                    lookedUp++;
                    auto found = parts[u].find(doc);
                    if (found != parts[u].end()) score += found->second;
                    else matches = !all;
                }
                if (!matches) continue;
                best.push(score);
                if (best.size() > 20) best.pop();
            }
            // Past the end of one list, no unseen document has all the words.
            if (!more || (all && exhausted) || (best.size() == 20 && best.top() >= threshold)) break;
        }
        std::printf("%-32s %8zu postings: %8zu read in score order (%5.1f%%), %8zu looked up, %7.2f ms in memory\n",
                    line.c_str(), postings, read, 100.0 * read / std::max<size_t>(postings, 1), lookedUp,
                    millisecondsSince(start));
    });
    return 0;
}

int fts5(const char *store, const char *target, int copies) {
    sqlite3 *out = nullptr;
    if (sqlite3_open(target, &out) != SQLITE_OK) return 1;
    sqlite3_exec(out,
                 "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                 "CREATE VIRTUAL TABLE IF NOT EXISTS t USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')",
                 nullptr, nullptr, nullptr);
    sqlite3_stmt *insert = nullptr;
    sqlite3_prepare_v2(out, "INSERT INTO t (rowid, title, body) VALUES (?1, ?2, ?3)", -1, &insert, nullptr);
    std::vector<std::pair<sqlite3_int64, std::pair<std::string, std::string>>> texts;
    int failed = forEachFiling(store, [&](sqlite3_int64 row, const char *title, int titleBytes, const char *text,
                                          int textBytes) {
        texts.push_back({row, {std::string(title, titleBytes), std::string(text, textBytes)}});
    });
    if (failed) return 1;
    auto start = std::chrono::steady_clock::now();
    long n = 0;
    for (int c = 0; c < copies; c++) {
        sqlite3_exec(out, "BEGIN", nullptr, nullptr, nullptr);
        for (auto &text : texts) {
            sqlite3_reset(insert);
            sqlite3_bind_int64(insert, 1, text.first + (sqlite3_int64)c * copyStride);
            sqlite3_bind_text(insert, 2, text.second.first.c_str(), (int)text.second.first.size(), SQLITE_STATIC);
            sqlite3_bind_text(insert, 3, text.second.second.c_str(), (int)text.second.second.size(), SQLITE_STATIC);
            if (sqlite3_step(insert) != SQLITE_DONE) return 1;
            n++;
        }
        sqlite3_exec(out, "COMMIT", nullptr, nullptr, nullptr);
        std::fprintf(stderr, "%ld documents\n", n);
    }
    sqlite3_exec(out, "INSERT INTO t (t) VALUES ('optimize')", nullptr, nullptr, nullptr);
    std::printf("indexed %ld documents in %.1f s\n", n, millisecondsSince(start) / 1000);
    sqlite3_finalize(insert);
    sqlite3_close(out);
    return 0;
}

int fts5query(const char *target, const char *file, int runs) {
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(target, &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return 1;
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY bm25(t, 5.0, 1.0) LIMIT 20", -1, &st,
                       nullptr);
    std::vector<double> all;
    forEachQuery(file, [&](const std::string &line) {
        // The store's grammar is FTS5's but for exclusions: "-word" is "NOT word".
        std::string expression;
        for (size_t i = 0; i < line.size(); i++) {
            if (line[i] == '-' && (i == 0 || line[i - 1] == ' ')) expression += "NOT "; else expression += line[i];
        }
        std::vector<double> times;
        int hits = 0;
        for (int r = 0; r < runs; r++) {
            auto start = std::chrono::steady_clock::now();
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, expression.c_str(), -1, SQLITE_STATIC);
            hits = 0;
            while (sqlite3_step(st) == SQLITE_ROW) hits++;
            times.push_back(millisecondsSince(start));
        }
        all.insert(all.end(), times.begin(), times.end());
        std::printf("%-40s p50 %7.3f ms  p99 %7.3f ms  (%d hits)\n", line.c_str(), percentile(times, 0.5),
                    percentile(times, 0.99), hits);
    });
    std::printf("%-40s p50 %7.3f ms  p99 %7.3f ms\n", "all", percentile(all, 0.5), percentile(all, 0.99));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return 0;
}

}  // namespace

int main(int argc, char **argv) {
    std::string command = argc > 1 ? argv[1] : "";
    try {
        if (command == "index" && argc >= 4 && argc <= 6) {
            return index(argv[2], argv[3], argc >= 5 ? std::max(1, std::atoi(argv[4])) : 1,
                         argc == 6 && std::string(argv[5]) == "positions");
        }
        if (command == "query" && argc == 5) return query(argv[2], argv[3], std::atoi(argv[4]));
        if (command == "check" && argc == 4) return check(argv[2], argv[3]);
        if (command == "deep" && argc == 4) return deep(argv[2], argv[3]);
        if (command == "phrases" && argc == 5) return phrases(argv[2], argv[3], argv[4]);
        if (command == "ordered" && argc == 4) return ordered(argv[2], argv[3]);
        if (command == "fts5" && (argc == 4 || argc == 5)) {
            return fts5(argv[2], argv[3], argc == 5 ? std::max(1, std::atoi(argv[4])) : 1);
        }
        if (command == "fts5query" && argc == 5) return fts5query(argv[2], argv[3], std::atoi(argv[4]));
    } catch (const Xapian::Error &error) {
        std::fprintf(stderr, "xapian: %s\n", error.get_description().c_str());
        return 1;
    }
    std::fprintf(stderr,
                 "usage: probe index STORE.sqlite DIR [COPIES] [positions] | probe query DIR QUERIES RUNS |\n"
                 "       probe check DIR QUERIES | probe deep DIR QUERIES | probe phrases DIR STORE.sqlite QUERIES |\n"
                 "       probe ordered DIR QUERIES | probe fts5 STORE.sqlite FTS.sqlite [COPIES] |\n"
                 "       probe fts5query FTS.sqlite QUERIES RUNS\n");
    return 2;
}
