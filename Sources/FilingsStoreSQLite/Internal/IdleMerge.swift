import Logging

/// The writer's merging of the full-text and name indexes while it has nothing to write.
///
/// Every commit adds a segment to each index it writes into: a b-tree of its own, which every query of the index
/// reads beside the others. FTS5 merges segments 8 at a time as they come (automerge, schema 5), which keeps ingest
/// cheap but leaves tens of them: 31 in the text index of 100,000 filings. Once the writer has had no Store or
/// Delete for ``delay``, it merges two segments of one level at a time (usermerge, schema 6) until every level has
/// one, in steps of at most ``pagesPerStep`` pages written, each step a transaction of its own, and restarts the log
/// every ``stepsPerCheckpoint`` steps: a Store that comes meanwhile waits for one step or one restart (milliseconds),
/// not for the whole merge (4.7 s at 100,000 filings). The next Store or Delete stops it and starts it over.
///
/// Merging never rewrites a segment that has no peer on its level: in a store that only grows, the largest segment
/// is rewritten when the level below it has filled, as in FTS5's own merging.
struct IdleMerge {
    /// The FTS5 tables it merges, in this order.
    static let indexes = ["filings_fts", "company_names", "person_names"]
    /// Pages (of about 4 KB) one step writes at most.
    static let pagesPerStep = 100
    /// Steps between two restarts of the log.
    static let stepsPerCheckpoint = 4
    /// How long merging waits when the log cannot be restarted (readers of older snapshots).
    static let backOff = Duration.milliseconds(100)

    /// How long the writer has no Store or Delete before it merges; nil: never.
    let delay: Duration?
    /// The indexes that may have segments to merge. All of them when the store opens: it may have been closed with
    /// merging left to do.
    private var pending = Self.indexes[...]
    private var lastWrite = ContinuousClock.now
    private var resumeAt = ContinuousClock.now
    private var stepsSinceCheckpoint = 0
    private var steps = 0
    private var started: ContinuousClock.Instant?

    init(delay: Duration?) {
        self.delay = delay
    }

    /// How long the writer may wait for work before it calls ``step(_:logger:restartLog:)``; nil when there is
    /// nothing to merge, and it waits for work however long that is.
    var timeout: Duration? {
        guard let delay, !pending.isEmpty || stepsSinceCheckpoint > 0 else { return nil }
        return max(.zero, max(lastWrite + delay, resumeAt) - .now)
    }

    /// Notes a commit of Stores or Deletes: every index may have a new segment, and merging waits for ``delay``.
    /// The checkpointer copies the log that merging wrote with the commit's.
    mutating func wrote() {
        lastWrite = .now
        pending = Self.indexes[...]
        stepsSinceCheckpoint = 0
        started = nil
        steps = 0
    }

    /// Runs one step of merging the first pending index, or restarts the log every few steps.
    ///
    /// Steps come back to back: were the log left to the checkpointer, it would grow by the size of the index
    /// before the checkpointer copied it (seen: 1.1 GB at 100,000 filings). The writer copies and restarts it
    /// itself, and merging waits while it cannot.
    mutating func step(_ db: SQLiteConnection, logger: Logger, restartLog: (SQLiteConnection) -> Bool) {
        if stepsSinceCheckpoint >= Self.stepsPerCheckpoint || (pending.isEmpty && stepsSinceCheckpoint > 0) {
            if restartLog(db) {
                stepsSinceCheckpoint = 0
            } else {
                resumeAt = .now + Self.backOff
            }
            return
        }
        guard let index = pending.first else { return }
        if started == nil { started = .now }
        let changesBefore = db.totalChanges
        do {
            try db.execute("BEGIN IMMEDIATE")
            try db.execute("INSERT INTO \(index) (\(index), rank) VALUES ('merge', \(Self.pagesPerStep))")
            try db.execute("COMMIT")
        } catch {
            if db.inTransaction { try? db.execute("ROLLBACK") }
            // Left for the next write to start over: a failing merge must not keep the writer busy.
            logger.warning(
                "merging a full-text index failed",
                metadata: ["store.index": "\(index)", "error": "\(error)"]
            )
            pending = []
            return
        }
        // FTS5's own test: a merge that did something changed at least two rows.
        if db.totalChanges - changesBefore >= 2 {
            steps += 1
            stepsSinceCheckpoint += 1
            return
        }
        pending.removeFirst()
        if pending.isEmpty, steps > 0, let started {
            logger.debug(
                "merged the full-text indexes while idle",
                metadata: ["store.steps": "\(steps)", "store.duration": "\(ContinuousClock.now - started)"]
            )
        }
    }
}
