internal import CDeflate
internal import FilingsCore

/// The zlib streams (RFC 1950) that stored blobs (raw inputs and encoded filings) are kept in.
///
/// libdeflate writes and reads them: the format is zlib's, so blobs written by zlib itself (every store before
/// libdeflate) read back unchanged, and zlib reads what this writes.
package enum Deflate {
    /// libdeflate's fastest level: on EDGAR text, about 3x zlib's speed at level 3 and a slightly smaller output.
    static let level: Int32 = 1

    /// `bytes` as one zlib stream.
    package static func compress(_ bytes: [UInt8]) -> [UInt8] {
        compressors.use { compressor in
            let bound = libdeflate_zlib_compress_bound(compressor, bytes.count)
            return [UInt8](unsafeUninitializedCapacity: bound) { output, count in
                count = bytes.withUnsafeBytes { input in
                    libdeflate_zlib_compress(compressor, input.baseAddress, input.count, output.baseAddress, bound)
                }
                precondition(count > 0, "libdeflate cannot fail with a buffer of its bound's size")
            }
        }
    }

    /// The `count` bytes that `compressed` holds, or nil when it is not one zlib stream of exactly that size.
    package static func decompress(_ compressed: [UInt8], count: Int) -> [UInt8]? {
        guard count > 0 else { return [] }
        return decompressors.use { decompressor in
            var result = LIBDEFLATE_SUCCESS
            let output = [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
                // No size out-parameter: anything but a stream of exactly `count` bytes is an error.
                result = compressed.withUnsafeBytes { input in
                    libdeflate_zlib_decompress(
                        decompressor,
                        input.baseAddress,
                        input.count,
                        output.baseAddress,
                        count,
                        nil
                    )
                }
                initialized = result == LIBDEFLATE_SUCCESS ? count : 0
            }
            return result == LIBDEFLATE_SUCCESS ? output : nil
        }
    }

    private static let compressors = Pool { libdeflate_alloc_compressor(level) }
    private static let decompressors = Pool { libdeflate_alloc_decompressor() }
}

/// libdeflate's compressors and decompressors serve one thread at a time, and a compressor's tables are large (one
/// allocated per call would be mapped and unmapped each time): the idle ones are kept for the next call.
private final class Pool: Sendable {
    private let idle = Lock<[Handle]>([])
    private let make: @Sendable () -> OpaquePointer?

    init(_ make: @escaping @Sendable () -> OpaquePointer?) {
        self.make = make
    }

    func use<T>(_ body: (OpaquePointer) -> T) -> T {
        let handle = idle.withLock { $0.popLast() } ?? make().map(Handle.init)
        guard let handle else { fatalError("libdeflate could not allocate its state: out of memory") }
        defer { idle.withLock { $0.append(handle) } }
        return body(handle.pointer)
    }

    /// A pointer used by one thread at a time: the pool's lock hands it over.
    private struct Handle: @unchecked Sendable {
        let pointer: OpaquePointer
    }
}
