internal import CZlib

/// zlib compression of stored blobs (raw inputs and encoded filings).
package enum Deflate {
    /// `bytes` compressed with zlib at a fast level.
    package static func compress(_ bytes: [UInt8]) -> [UInt8] {
        var capacity = compressBound(uLong(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let rc = output.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in
                compress2(out.baseAddress, &capacity, input.baseAddress, uLong(input.count), 3)
            }
        }
        precondition(rc == Z_OK, "compress2 cannot fail with a buffer of compressBound bytes")
        output.removeLast(output.count - Int(capacity))
        return output
    }

    /// The `count` bytes that `compressed` holds, or nil when it is not a zlib stream of that size.
    package static func decompress(_ compressed: [UInt8], count: Int) -> [UInt8]? {
        guard count > 0 else { return [] }
        var size = uLong(count)
        var output = [UInt8](repeating: 0, count: count)
        let rc = output.withUnsafeMutableBufferPointer { out in
            compressed.withUnsafeBufferPointer { input in
                uncompress(out.baseAddress, &size, input.baseAddress, uLong(input.count))
            }
        }
        guard rc == Z_OK, Int(size) == count else { return nil }
        return output
    }
}
