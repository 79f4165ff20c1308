internal import CFilingsProto

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks on the protobuf wire format that protobuf-c does not make.
enum ProtobufWire {
    /// Throws when a string field anywhere in the encoded message holds a NUL byte.
    ///
    /// protobuf-c hands strings over as C strings, so such a string would arrive cut at its first NUL: input
    /// altered without a word. The error names the field (`documents[2].filename`). Malformed encodings pass
    /// this check and are refused by the decoder itself.
    static func refuseNULInStrings(
        _ bytes: UnsafeRawBufferPointer,
        of descriptor: ProtobufCMessageDescriptor,
        messageName: String
    ) throws(ProtobufDecodingError) {
        let path = withUnsafePointer(to: descriptor) { firstNULString(in: bytes, descriptor: $0, depth: 0) }
        if let path {
            throw ProtobufDecodingError(
                messageName: messageName,
                byteCount: bytes.count,
                reason: "string field '\(path)' contains a NUL byte, which a string cannot carry"
            )
        }
    }

    /// The path of the first string field holding a NUL, or nil.
    private static func firstNULString(
        in bytes: UnsafeRawBufferPointer,
        descriptor: UnsafePointer<ProtobufCMessageDescriptor>,
        depth: Int
    ) -> String? {
        var offset = 0
        var occurrences: [UInt32: Int] = [:]
        while offset < bytes.count {
            guard let key = varint(bytes, &offset) else { return nil }
            let number = UInt32(truncatingIfNeeded: key >> 3)
            switch key & 7 {
            case 0:
                guard varint(bytes, &offset) != nil else { return nil }
            case 1:
                offset += 8
            case 5:
                offset += 4
            case 2:
                guard let length = varint(bytes, &offset), length <= UInt64(bytes.count - offset) else { return nil }
                let body = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + Int(length)])
                offset += Int(length)
                guard let field = protobuf_c_message_descriptor_get_field(descriptor, number) else { continue }
                let index = occurrences[number, default: 0]
                occurrences[number] = index + 1
                func name() -> String {
                    let base = String(cString: field.pointee.name)
                    return field.pointee.label == PROTOBUF_C_LABEL_REPEATED ? "\(base)[\(index)]" : base
                }
                switch field.pointee.type {
                case PROTOBUF_C_TYPE_STRING:
                    if let base = body.baseAddress, memchr(base, 0, body.count) != nil { return name() }
                case PROTOBUF_C_TYPE_MESSAGE:
                    guard depth < 100, let nested = field.pointee.descriptor else { continue }
                    let inner = nested.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
                    if let path = firstNULString(in: body, descriptor: inner, depth: depth + 1) {
                        return "\(name()).\(path)"
                    }
                default:
                    continue
                }
            default:
                return nil  // groups and invalid wire types: the decoder refuses them
            }
        }
        return nil
    }

    /// Reads a base-128 varint at `offset`, advancing it; nil when the bytes end first or it is over 10 bytes.
    private static func varint(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 70 {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }
}
