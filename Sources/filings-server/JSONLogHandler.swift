import FilingsCore
import Foundation
import Logging

/// Log records as JSON lines on standard error, for log shippers (`--log-format json`): `time` (RFC 3339, UTC,
/// milliseconds), `level`, `label`, `message`, then every metadata key (`connection.peer`, `rpc.request_id`, ...)
/// as a string, and `error` when the record carries one.
struct JSONLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    let label: String

    init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        var json = JSONWriter()
        json.beginObject()
        json.key("time")
        json.string(Self.timestamp())
        json.key("level")
        json.string(event.level.rawValue)
        json.key("label")
        json.string(label)
        json.key("message")
        json.string(event.message.description)
        for key in merged.keys.sorted() where !["time", "level", "label", "message"].contains(key) {
            json.key(key)
            json.string(merged[key]!.description)
        }
        if let error = event.error {
            json.key("error")
            json.string("\(error)")
        }
        json.endObject()
        FileHandle.standardError.write(Data((json.output + "\n").utf8))
    }

    private static func timestamp() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
