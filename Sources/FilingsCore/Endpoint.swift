/// A TCP endpoint given as `HOST:PORT`: `127.0.0.1:7878`, `[::1]:7878`, `localhost:7878`.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    /// The host name or address, without brackets.
    public var host: String
    /// The port; 0 asks the system for a free one when listening.
    public var port: UInt16

    /// Creates an endpoint.
    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`; an IPv6 address is written in brackets.
    ///
    /// - Throws: ``RPCError`` with `INVALID_ARGUMENT` when the text is not of that form.
    public init(parsing text: String) throws(RPCError) {
        let invalid = RPCError(code: .invalidArgument, message: "'\(text)' is not HOST:PORT (for IPv6: [ADDRESS]:PORT)")
        guard let colon = text.lastIndex(of: ":") else { throw invalid }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        guard !host.isEmpty, let port = UInt16(text[text.index(after: colon)...]) else { throw invalid }
        self.init(host: host, port: port)
    }

    /// Parses a comma-separated list of `HOST:PORT`, as `--addr` and `FILINGS_ADDR` take it (spaces around the
    /// commas are ignored).
    ///
    /// - Throws: ``RPCError`` with `INVALID_ARGUMENT` when an entry is not `HOST:PORT` or the list is empty.
    public static func list(parsing text: String) throws(RPCError) -> [Endpoint] {
        var endpoints: [Endpoint] = []
        for part in text.split(separator: ",") {
            let trimmed = part.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()
            endpoints.append(try Endpoint(parsing: String(trimmed)))
        }
        guard !endpoints.isEmpty else { throw RPCError(code: .invalidArgument, message: "'\(text)' names no server") }
        return endpoints
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
