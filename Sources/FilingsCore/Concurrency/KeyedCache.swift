/// Values made on first use of their key and kept for the life of the cache: metrics instruments by their
/// dimensions, so that a hot path asks the metrics factory (which looks instruments up under a lock of its own) once
/// per key rather than on every call.
///
/// ```swift
/// let calls = KeyedCache { (method: String) in Counter(label: "calls_total", dimensions: [("method", method)]) }
/// calls[method].increment()
/// ```
package final class KeyedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let values = Lock<[Key: Value]>([:])
    private let make: @Sendable (Key) -> Value

    /// A cache whose value for a key is `make(key)`.
    package init(_ make: @escaping @Sendable (Key) -> Value) {
        self.make = make
    }

    /// The value for `key`, made now if it is the first time.
    package subscript(key: Key) -> Value {
        values.withLock { values in
            if let value = values[key] { return value }
            let value = make(key)
            values[key] = value
            return value
        }
    }
}
