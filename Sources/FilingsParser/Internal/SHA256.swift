internal import Crypto

/// The SHA-256 of a filing's bytes: its identity.
package enum SHA256 {
    /// The lower-case hex digest of `bytes`.
    package static func hexDigest(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var hasher = Crypto.SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
        let digest = hasher.finalize()
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 2 * Crypto.SHA256.byteCount) { out in
            var index = 0
            for byte in digest {
                out[index] = digits[Int(byte >> 4)]
                out[index + 1] = digits[Int(byte & 0xf)]
                index += 2
            }
            return index
        }
    }
}
