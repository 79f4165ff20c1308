/// Writes JSON text: compact, one value, with the proto3 JSON conventions for numbers and bytes.
///
/// The generated `writeJSON(to:)` of each message drives it; ``ProtobufMessage/jsonString()`` is the usual entry.
public struct JSONWriter: Sendable {
    /// The JSON text written so far.
    public private(set) var output: String = ""
    private var needsComma: [Bool] = [false]

    /// Creates an empty writer.
    public init() {}

    /// Starts an object.
    public mutating func beginObject() {
        separate()
        output.append("{")
        needsComma.append(false)
    }

    /// Ends the innermost object.
    public mutating func endObject() {
        needsComma.removeLast()
        output.append("}")
    }

    /// Starts an array.
    public mutating func beginArray() {
        separate()
        output.append("[")
        needsComma.append(false)
    }

    /// Ends the innermost array.
    public mutating func endArray() {
        needsComma.removeLast()
        output.append("]")
    }

    /// Writes an object key; the next value written is its value.
    public mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        output.append(":")
        needsComma[needsComma.count - 1] = false
    }

    /// Writes a string value.
    public mutating func string(_ value: String) {
        separate()
        appendQuoted(value)
    }

    /// Writes a boolean value.
    public mutating func bool(_ value: Bool) {
        separate()
        output.append(value ? "true" : "false")
    }

    /// Writes a 32-bit integer as a JSON number.
    public mutating func int32(_ value: Int32) {
        separate()
        output.append(String(value))
    }

    /// Writes a 32-bit unsigned integer as a JSON number.
    public mutating func uint32(_ value: UInt32) {
        separate()
        output.append(String(value))
    }

    /// Writes a 64-bit integer as a JSON string, as proto3 JSON does.
    public mutating func int64(_ value: Int64) {
        string(String(value))
    }

    /// Writes a 64-bit unsigned integer as a JSON string, as proto3 JSON does.
    public mutating func uint64(_ value: UInt64) {
        string(String(value))
    }

    /// Writes a floating-point number: integral values without a fraction, NaN and infinities as strings.
    public mutating func double(_ value: Double) {
        if value.isNaN {
            string("NaN")
        } else if value.isInfinite {
            string(value > 0 ? "Infinity" : "-Infinity")
        } else {
            separate()
            if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
                output.append(String(Int64(value)))
            } else {
                output.append(String(value))
            }
        }
    }

    /// Writes bytes as a base64 string (RFC 4648, padded), as proto3 JSON does.
    public mutating func base64(_ bytes: [UInt8]) {
        string(Base64.encode(bytes))
    }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] {
            output.append(",")
        }
        needsComma[needsComma.count - 1] = true
    }

    /// Appends `value` as a JSON string. The runs between escapes are appended whole: appending a string's scalars
    /// one view at a time copies everything written so far, which made a large document's JSON quadratic.
    private mutating func appendQuoted(_ value: String) {
        output.append("\"")
        let utf8 = value.utf8
        var run = utf8.startIndex
        var index = run
        while index != utf8.endIndex {
            let byte = utf8[index]
            var after = utf8.index(after: index)
            let escape: String?
            switch byte {
            case 0x22: escape = "\\\""
            case 0x5C: escape = "\\\\"
            case 0x0A: escape = "\\n"
            case 0x0D: escape = "\\r"
            case 0x09: escape = "\\t"
            case 0x08: escape = "\\b"
            case 0x0C: escape = "\\f"
            case 0xE2:
                // U+2028 and U+2029 (E2 80 A8, E2 80 A9), which JavaScript reads as line breaks.
                var next = after
                if next != utf8.endIndex, utf8[next] == 0x80 {
                    next = utf8.index(after: next)
                    if next != utf8.endIndex, utf8[next] == 0xA8 || utf8[next] == 0xA9 {
                        escape = utf8[next] == 0xA8 ? "\\u2028" : "\\u2029"
                        after = utf8.index(after: next)
                        break
                    }
                }
                escape = nil
            default:
                if byte < 0x20 {
                    let hex = String(byte, radix: 16)
                    escape = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    escape = nil
                }
            }
            if let escape {
                output.append(contentsOf: value[run..<index])
                output.append(escape)
                run = after
            }
            index = after
        }
        output.append(contentsOf: value[run..<utf8.endIndex])
        output.append("\"")
    }
}

/// Standard base64 (RFC 4648 section 4) with padding.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 2 < bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let n = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
