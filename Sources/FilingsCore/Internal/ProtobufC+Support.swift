internal import CFilingsProto

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Helpers for the generated converters between the Swift message types and protobuf-c's structs.
//
// Every protobuf-c struct tree lives in one ProtobufCArena: the converters allocate an outgoing message's tree
// there, and protobuf-c unpacks an incoming one there through the arena's allocator. The tree is never freed
// piece by piece: the arena goes at once. No C field ever points into Swift-owned storage.

/// A bump allocator for one protobuf-c message tree: a few large blocks instead of a malloc per string, array
/// and sub-message, all freed when the arena goes.
final class ProtobufCArena {
    private var block: UnsafeMutableRawPointer
    private var used = 0
    private var capacity: Int
    private var retired: [UnsafeMutableRawPointer] = []

    /// Creates an arena whose first block holds `capacity` bytes.
    init(capacity: Int) {
        self.capacity = max(256, capacity)
        guard let block = malloc(self.capacity) else { fatalError("out of memory") }
        self.block = block
    }

    deinit {
        free(block)
        for block in retired {
            free(block)
        }
    }

    /// `size` bytes aligned for any C type.
    func allocate(_ size: Int) -> UnsafeMutableRawPointer {
        let size = (max(size, 1) + 15) & ~15
        if used + size > capacity {
            if size > capacity / 4 {
                // A large piece gets a block of its own; the current block keeps serving small ones.
                guard let own = malloc(size) else { fatalError("out of memory") }
                retired.append(own)
                return own
            }
            retired.append(block)
            capacity *= 2
            guard let next = malloc(capacity) else { fatalError("out of memory") }
            block = next
            used = 0
        }
        defer { used += size }
        return block + used
    }

    /// Calls `body` with a protobuf-c allocator that takes its memory from this arena.
    func withAllocator<T>(
        _ body: (UnsafeMutablePointer<ProtobufCAllocator>) throws(ProtobufDecodingError) -> T
    )
        throws(ProtobufDecodingError) -> T
    {
        var allocator = ProtobufCAllocator(
            alloc: { data, size in
                Unmanaged<ProtobufCArena>.fromOpaque(data!).takeUnretainedValue().allocate(size)
            },
            free: { _, _ in },  // freed with the arena
            allocator_data: Unmanaged.passUnretained(self).toOpaque()
        )
        return try withExtendedLifetime(self) { () throws(ProtobufDecodingError) in try body(&allocator) }
    }

    /// One zeroed `T`.
    func allocate<T>(_: T.Type) -> UnsafeMutablePointer<T> {
        let raw = allocate(MemoryLayout<T>.stride)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<T>.stride)
        return raw.bindMemory(to: T.self, capacity: 1)
    }

    /// An array holding `transform` of each element of `source`.
    func allocateArray<Element, T>(_ source: [Element], _ transform: (Element) -> T) -> UnsafeMutablePointer<T> {
        let array = allocate(source.count * MemoryLayout<T>.stride).bindMemory(to: T.self, capacity: source.count)
        for (index, element) in source.enumerated() {
            (array + index).initialize(to: transform(element))
        }
        return array
    }

    /// A NUL-terminated copy of `string`'s UTF-8 bytes.
    ///
    /// protobuf-c strings are C strings: a string that contains NUL is cut at its first NUL.
    func cString(_ string: String) -> UnsafeMutablePointer<CChar> {
        var string = string
        return string.withUTF8 { utf8 in
            let raw = allocate(utf8.count + 1)
            if let base = utf8.baseAddress {
                raw.copyMemory(from: base, byteCount: utf8.count)
            }
            raw.storeBytes(of: 0, toByteOffset: utf8.count, as: UInt8.self)
            return raw.bindMemory(to: CChar.self, capacity: utf8.count + 1)
        }
    }

    /// A protobuf-c bytes field holding a copy of `bytes`.
    func binaryData(_ bytes: [UInt8]) -> ProtobufCBinaryData {
        let raw = allocate(bytes.count)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress {
                raw.copyMemory(from: base, byteCount: source.count)
            }
        }
        return ProtobufCBinaryData(len: bytes.count, data: raw.bindMemory(to: UInt8.self, capacity: bytes.count))
    }
}

extension UnsafeRawBufferPointer {
    /// The bytes as protobuf-c's unpack functions take them (nil for an empty buffer, which protobuf-c never reads).
    var cBytes: UnsafePointer<UInt8>? {
        baseAddress?.assumingMemoryBound(to: UInt8.self)
    }
}

extension String {
    /// A string from a protobuf-c string field: nil (never set) is empty; invalid UTF-8 is repaired.
    init(protobufC pointer: UnsafePointer<CChar>?) {
        guard let pointer else {
            self = ""
            return
        }
        self = String(cString: pointer)
    }
}

extension Array where Element == UInt8 {
    /// A copy of a protobuf-c bytes field.
    init(_ data: ProtobufCBinaryData) {
        guard data.len > 0, let base = data.data else {
            self = []
            return
        }
        self = [UInt8](UnsafeBufferPointer(start: base, count: data.len))
    }

    /// Grows the array by `count` bytes and lets `body` write them.
    mutating func appendUninitialized(count: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        guard count > 0 else { return }
        let start = self.count
        // Grown from a block of zeros, copied whole: appending `repeatElement(0, count:)` goes element by element
        // through generic code wherever it is not specialised (a debug build: seconds for a few megabytes).
        var remaining = count
        while remaining > 0 {
            let chunk = Swift.min(remaining, zeroBlock.count)
            append(contentsOf: zeroBlock[..<chunk])
            remaining -= chunk
        }
        withUnsafeMutableBufferPointer { buffer in
            let written = body(buffer.baseAddress! + start)
            precondition(written == count, "protobuf-c packed \(written) bytes, expected \(count)")
        }
    }
}

/// Zeros that ``Swift/Array/appendUninitialized(count:_:)`` grows an array with.
private let zeroBlock = [UInt8](repeating: 0, count: 64 << 10)
