import FilingsStore

extension StoreError {
    /// The error for a database failure: SQLite's message is its ``StoreError/cause``, logged by the store and
    /// never sent.
    init(_ error: SQLiteError, while action: String) {
        let cause = "\(error)"
        if error.isFull {
            self.init(code: .storageFull, message: "the store's disk is full while \(action)", cause: cause)
        } else if error.isBusy {
            self.init(code: .unavailable, message: "the database is busy while \(action); retry", cause: cause)
        } else {
            self.init(code: .storageFailure, message: "the database failed while \(action)", cause: cause)
        }
    }
}
