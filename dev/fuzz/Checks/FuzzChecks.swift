import FilingsCore
import FilingsParser
import FilingsStore

// The properties the fuzzers (dev/fuzz.sh) check on every input. Each check returns normally for any input and
// stops the process (a finding) when a property fails.

/// Checks on arbitrary input bytes.
public enum FuzzChecks {
    /// A client's byte stream as the server reads it: the preface, then frames split into chunks of the size the
    /// first byte chooses; each REQUEST's header and message decoded as the router does, and round-tripped.
    public static func frames(_ input: UnsafeRawBufferPointer) {
        guard let first = input.first else { return }
        let chunk = Int(first) + 1
        let stream = UnsafeRawBufferPointer(rebasing: input[1...])
        guard case .accepted(Preface.version) = Preface.check(stream.prefix(Preface.size)) else { return }
        var decoder = FrameDecoder(maximumPayloadSize: 1 << 20)
        var offset = Preface.size
        while offset < stream.count {
            let end = min(offset + chunk, stream.count)
            decoder.append(UnsafeRawBufferPointer(rebasing: stream[offset..<end]))
            offset = end
            do {
                while let frame = try decoder.nextFrame() {
                    handle(frame)
                }
            } catch {
                return  // a length over the limit: the server closes the connection
            }
        }
    }

    private static func handle(_ frame: Frame) {
        switch frame.type {
        case .request:
            guard let payload = try? CallPayload<WireRequestHeader>(decoding: frame.payload) else { return }
            frame.payload.withUnsafeBytes { bytes in
                request(
                    method: payload.header.method,
                    UnsafeRawBufferPointer(rebasing: bytes[payload.messageOffset...])
                )
            }
        case .goAway:
            frame.payload.withUnsafeBytes { roundTrip(WireGoAway.self, $0) }
        default:
            break
        }
    }

    /// Every request message's decoder, the call headers and the parsed filing: the first byte chooses the type.
    public static func messages(_ input: UnsafeRawBufferPointer) {
        guard let first = input.first else { return }
        let bytes = UnsafeRawBufferPointer(rebasing: input[1...])
        // One selector per method (in the schema's order), then the wire's three messages and the parsed filing.
        let methods = FilingsMethods.paths.count
        switch Int(first) % (methods + 4) {
        case let index where index < methods: request(method: FilingsMethods.paths[index], bytes)
        case methods: roundTrip(WireRequestHeader.self, bytes)
        case methods + 1: roundTrip(WireResponseHeader.self, bytes)
        case methods + 2: roundTrip(WireGoAway.self, bytes)
        default: roundTrip(ParsedFiling.self, bytes)
        }
    }

    /// The EDGAR parser on any bytes: it refuses or parses, never crashes, and every span lies inside the input.
    public static func parser(_ input: UnsafeRawBufferPointer) {
        guard let filing = try? EDGARParser().parse(Array(input)) else { return }
        for document in filing.documents {
            let spans =
                document.money.compactMap(\.span) + document.percentages.compactMap(\.span)
                + document.dates.compactMap(\.span) + document.quotes.compactMap(\.span)
            for span in spans {
                precondition(
                    span.start <= span.end && Int(span.end) <= input.count,
                    "span \(span) outside \(input.count) bytes"
                )
            }
        }
    }

    /// The search-text grammar on any text: it accepts, or refuses with a `search text:` message.
    public static func search(_ input: UnsafeRawBufferPointer) {
        let text = String(decoding: input, as: UTF8.self)
        do throws(StoreError) {
            _ = try SearchQuery(parsing: text)
        } catch {
            precondition(error.message.hasPrefix("search text:"), "refused without the grammar's message: \(error)")
        }
    }

    /// Decodes `bytes` as the request message of the method at `path`, as the server's router does.
    static func request(method path: String, _ bytes: UnsafeRawBufferPointer) {
        switch path {
        case FilingsMethods.parse.path: roundTrip(ParseRequest.self, bytes)
        case FilingsMethods.store.path: roundTrip(StoreRequest.self, bytes)
        case FilingsMethods.query.path: roundTrip(QueryRequest.self, bytes)
        case FilingsMethods.get.path: roundTrip(GetRequest.self, bytes)
        case FilingsMethods.delete.path: roundTrip(DeleteRequest.self, bytes)
        case FilingsMethods.reparse.path: roundTrip(ReparseRequest.self, bytes)
        case FilingsMethods.stats.path: roundTrip(StatsRequest.self, bytes)
        case FilingsMethods.health.path: roundTrip(HealthRequest.self, bytes)
        default: break
        }
    }

    /// Decodes `bytes` as `M`; when they decode, the message must encode and decode back to itself.
    static func roundTrip<M: ProtobufMessage>(_: M.Type, _ bytes: UnsafeRawBufferPointer) {
        guard let message = try? M(serializedBytes: bytes) else { return }
        precondition(message.nulStringField == nil, "a decoded \(M.protoMessageName) holds a NUL in a string")
        guard let again = try? M(serializedBytes: message.serializedBytes()) else {
            preconditionFailure("\(M.protoMessageName) does not decode its own encoding")
        }
        precondition(again == message, "\(M.protoMessageName) changed in a round trip")
    }
}
