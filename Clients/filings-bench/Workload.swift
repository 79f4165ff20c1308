import ArgumentParser
import FilingsClient
import FilingsCore
import Foundation

/// The methods the load generator calls.
enum BenchRPC: String, CaseIterable, Sendable {
    case health, parse, store, query, get, delete
}

/// What to call: one method, or several with weights.
struct Mix: Sendable, CustomStringConvertible {
    /// Methods and their cumulative weights.
    private let entries: [(rpc: BenchRPC, upTo: Int)]
    private let total: Int

    init(_ rpc: BenchRPC) {
        entries = [(rpc, 1)]
        total = 1
    }

    /// Parses `query=8,store=1,health=1`.
    init(parsing text: String) throws {
        var entries: [(BenchRPC, Int)] = []
        var total = 0
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let rpc = BenchRPC(rawValue: pieces[0]) else {
                throw ValidationError(
                    "--mix: '\(pieces[0])' is not one of \(BenchRPC.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            let weight = pieces.count == 2 ? Int(pieces[1]) : 1
            guard let weight, weight > 0 else {
                throw ValidationError("--mix: the weight of \(rpc) must be a positive integer")
            }
            total += weight
            entries.append((rpc, total))
        }
        guard !entries.isEmpty else { throw ValidationError("--mix names no method") }
        self.entries = entries
        self.total = total
    }

    var rpcs: [BenchRPC] { entries.map(\.rpc) }

    /// The method of call number `index`: weights spread evenly over the sequence of calls.
    func rpc(for index: Int) -> BenchRPC {
        // A multiplicative hash spreads neighbouring indexes over the weight range.
        let slot = Int((UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15) >> 33) % total
        return entries.first { slot < $0.upTo }!.rpc
    }

    var description: String {
        var previous = 0
        return entries.map { entry in
            defer { previous = entry.upTo }
            return "\(entry.rpc.rawValue)=\(entry.upTo - previous)"
        }.joined(separator: ",")
    }
}

/// Files to parse or store: read into memory before the run when they fit a limit, so that reading them is not part
/// of the load generator's work while it measures, and otherwise read when called for (a corpus of a million files
/// does not fit in memory).
struct Corpus: Sendable {
    let paths: [String]
    /// Every file's bytes, in the order of `paths`; nil when the corpus is larger than the limit it was read with.
    private let contents: [[UInt8]]?

    /// How the corpus is read, for the run's log: "12 files, 0.4 MB, in memory".
    var summary: String {
        guard let contents else { return "\(paths.count) files, each read when sent" }
        let megabytes = Double(contents.reduce(0) { $0 + $1.count }) / 1e6
        return "\(paths.count) files, \(String(format: "%.1f", megabytes)) MB, in memory"
    }

    /// The files under `directory`, held in memory when they come to `preloadBytes` or less in all.
    init(directory: String, preloadBytes: Int = 0) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--corpus \(directory): not a directory")
        }
        var paths: [String] = []
        let enumerator = manager.enumerator(atPath: directory)
        while let entry = enumerator?.nextObject() as? String {
            let full = (directory as NSString).appendingPathComponent(entry)
            var entryIsDirectory: ObjCBool = false
            if manager.fileExists(atPath: full, isDirectory: &entryIsDirectory), !entryIsDirectory.boolValue,
                !(entry as NSString).lastPathComponent.hasPrefix(".")
            {
                paths.append(full)
            }
        }
        guard !paths.isEmpty else { throw ValidationError("--corpus \(directory): no files") }
        paths.sort()
        self.paths = paths
        var total = 0
        for path in paths where total <= preloadBytes {
            total += (try? manager.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        }
        contents = total <= preloadBytes ? paths.map(Self.read) : nil
    }

    /// The bytes of document `index` (modulo the corpus size).
    func document(_ index: Int) -> StoreDocument {
        let path = paths[index % paths.count]
        let bytes = contents?[index % paths.count] ?? Self.read(path)
        return StoreDocument(content: bytes, filename: (path as NSString).lastPathComponent)
    }

    private static func read(_ path: String) -> [UInt8] {
        FileManager.default.contents(atPath: path).map { Array($0) } ?? []
    }
}

/// Query lines: words for full-text search, and `key:value` filters.
///
/// Keys: `company:`, `symbol:`, `cik:`, `form:` (repeatable), `kind:` (repeatable, e.g. PRESS_RELEASE),
/// `from:` and `to:` (ISO dates), `person:`, `order:` (relevance, newest, oldest), `limit:`, and `page:N`, which
/// measures the Nth page (its token is fetched once before the run). Values with spaces are written with `_`
/// for spaces: `company:acme_widgets`.
struct QuerySpec: Sendable {
    var request: QueryRequest
    var page: Int
    var line: String

    init(parsing line: String) throws {
        self.line = line
        var request = QueryRequest()
        var words: [String] = []
        var page = 1
        for token in line.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            guard let colon = token.firstIndex(of: ":"), token[..<colon].allSatisfy(\.isLetter) else {
                words.append(token)
                continue
            }
            let key = String(token[..<colon])
            let rawValue = String(token[token.index(after: colon)...])
            let value = rawValue.replacingOccurrences(of: "_", with: " ")
            switch key {
            case "company": request.company = value
            case "symbol": request.symbol = value
            case "cik": request.cik = value
            case "form": request.formTypes.append(value)
            case "kind":
                guard let kind = Kind.allCases.first(where: { $0.protoName == rawValue.uppercased() }) else {
                    throw ValidationError("query line '\(line)': unknown kind \(value)")
                }
                request.kinds.append(kind)
            case "from": request.dateFrom = value
            case "to": request.dateTo = value
            case "person": request.person = value
            case "order":
                switch value {
                case "relevance": request.order = .relevance
                case "newest": request.order = .dateDescending
                case "oldest": request.order = .dateAscending
                default: throw ValidationError("query line '\(line)': order is relevance, newest or oldest")
                }
            case "limit": request.limit = UInt32(value) ?? 0
            case "page": page = max(1, Int(value) ?? 1)
            default: words.append(token)
            }
        }
        request.text = words.joined(separator: " ")
        self.request = request
        self.page = page
    }

    static func load(_ path: String) throws -> [QuerySpec] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("--queries \(path): cannot read it")
        }
        let specs = try text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }.map(QuerySpec.init(parsing:))
        guard !specs.isEmpty else { throw ValidationError("--queries \(path): no queries") }
        return specs
    }

    /// The request to send, with the token of page ``page`` looked up once.
    func prepared(with client: FilingsClient) async throws -> QueryRequest {
        var request = self.request
        for _ in 1..<page {
            let response = try await client.query(request)
            guard !response.nextPageToken.isEmpty else {
                throw ValidationError("query line '\(line)': has fewer than \(page) pages")
            }
            request.pageToken = response.nextPageToken
        }
        return request
    }
}
