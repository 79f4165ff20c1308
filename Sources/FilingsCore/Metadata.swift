/// Call metadata: ordered key-value pairs sent with a request or a status.
///
/// Keys are compared in lower case. Well-known keys: ``Metadata/authorization`` and ``Metadata/requestID``.
public struct Metadata: Hashable, Sendable, ExpressibleByDictionaryLiteral, Sequence {
    /// One entry.
    public struct Entry: Hashable, Sendable {
        /// The key, lower case.
        public var key: String
        /// The value.
        public var value: String
    }

    /// The `authorization` key: `Bearer TOKEN`.
    public static let authorization = "authorization"
    /// The `x-request-id` key: an id that the server logs and echoes in its status.
    public static let requestID = "x-request-id"

    private var entries: [Entry] = []

    /// Creates empty metadata.
    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (key, value) in elements {
            add(key, value)
        }
    }

    /// Adds a value for `key`, keeping any others.
    public mutating func add(_ key: String, _ value: String) {
        entries.append(Entry(key: key.lowercased(), value: value))
    }

    /// The first value for `key`, or nil; setting replaces every value for the key.
    public subscript(key: String) -> String? {
        get {
            let key = key.lowercased()
            return entries.first { $0.key == key }?.value
        }
        set {
            let key = key.lowercased()
            entries.removeAll { $0.key == key }
            if let newValue {
                entries.append(Entry(key: key, value: newValue))
            }
        }
    }

    /// Every value for `key`, in order.
    public func values(for key: String) -> [String] {
        let key = key.lowercased()
        return entries.filter { $0.key == key }.map(\.value)
    }

    /// The number of entries.
    public var count: Int { entries.count }

    /// Whether there are no entries.
    public var isEmpty: Bool { entries.isEmpty }

    public func makeIterator() -> IndexingIterator<[Entry]> {
        entries.makeIterator()
    }
}
