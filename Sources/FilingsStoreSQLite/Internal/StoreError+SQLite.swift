import FilingsStore

extension StoreError {
    /// The error for a database failure: its cause is logged by the caller, never sent.
    init(_ error: SQLiteError, while action: String) {
        if error.isFull {
            self.init(code: .storageFull, message: "the store's disk is full while \(action)")
        } else if error.isBusy {
            self.init(code: .unavailable, message: "the database is busy while \(action); retry")
        } else {
            self.init(code: .storageFailure, message: "the database failed while \(action)")
        }
    }
}
