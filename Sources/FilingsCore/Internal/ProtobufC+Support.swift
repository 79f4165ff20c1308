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
// The rule they keep: every pointer put into a protobuf-c struct is owned by that struct and allocated with
// malloc, so that the message's generated `free_unpacked` (which calls free) releases the whole tree. No C field
// ever points into Swift-owned storage.

extension UnsafeRawBufferPointer {
    /// The bytes as protobuf-c's unpack functions take them (nil for an empty buffer, which protobuf-c never reads).
    var cBytes: UnsafePointer<UInt8>? {
        baseAddress?.assumingMemoryBound(to: UInt8.self)
    }
}

extension UnsafeMutablePointer {
    /// Allocates one zeroed `Pointee` with malloc, to be released by protobuf-c.
    static func cAllocate() -> UnsafeMutablePointer<Pointee> {
        guard let raw = calloc(1, MemoryLayout<Pointee>.stride) else { fatalError("out of memory") }
        return raw.bindMemory(to: Pointee.self, capacity: 1)
    }

    /// Allocates an array with malloc, holding `transform` of each element of `source`.
    static func cAllocateArray<Element>(
        _ source: [Element],
        _ transform: (Element) -> Pointee
    ) -> UnsafeMutablePointer<Pointee> {
        guard let raw = malloc(Swift.max(1, source.count) * MemoryLayout<Pointee>.stride) else {
            fatalError("out of memory")
        }
        let array = raw.bindMemory(to: Pointee.self, capacity: source.count)
        for (index, element) in source.enumerated() {
            (array + index).initialize(to: transform(element))
        }
        return array
    }
}

/// A malloc'd, NUL-terminated copy of `string`'s UTF-8 bytes.
///
/// protobuf-c strings are C strings: a string that contains NUL is cut at its first NUL.
func cStringDuplicate(_ string: String) -> UnsafeMutablePointer<CChar> {
    var string = string
    return string.withUTF8 { utf8 in
        guard let raw = malloc(utf8.count + 1) else { fatalError("out of memory") }
        if let base = utf8.baseAddress {
            raw.copyMemory(from: base, byteCount: utf8.count)
        }
        raw.storeBytes(of: 0, toByteOffset: utf8.count, as: UInt8.self)
        return raw.bindMemory(to: CChar.self, capacity: utf8.count + 1)
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

extension ProtobufCBinaryData {
    /// A malloc'd copy of `bytes`.
    init(copying bytes: [UInt8]) {
        guard let raw = malloc(Swift.max(1, bytes.count)) else { fatalError("out of memory") }
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress {
                raw.copyMemory(from: base, byteCount: source.count)
            }
        }
        self.init(len: bytes.count, data: raw.bindMemory(to: UInt8.self, capacity: bytes.count))
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
        append(contentsOf: repeatElement(0, count: count))
        withUnsafeMutableBufferPointer { buffer in
            let written = body(buffer.baseAddress! + start)
            precondition(written == count, "protobuf-c packed \(written) bytes, expected \(count)")
        }
    }
}
