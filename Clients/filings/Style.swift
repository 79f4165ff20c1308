import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How output looks on this terminal: colour only on a terminal and never with NO_COLOR (no-color.org).
struct Style {
    let color: Bool
    /// Columns of the terminal, or nil when standard output is not one.
    let width: Int?

    /// The style of standard output.
    static let standardOutput = Style(fileDescriptor: STDOUT_FILENO)
    /// The style of standard error (the progress bar).
    static let standardError = Style(fileDescriptor: STDERR_FILENO)

    init(fileDescriptor: Int32) {
        let isTerminal = isatty(fileDescriptor) == 1
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        color = isTerminal && !noColor && ProcessInfo.processInfo.environment["TERM"] != "dumb"
        if isTerminal {
            var size = winsize()
            if ioctl(fileDescriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
                width = Int(size.ws_col)
            } else {
                width = Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 80
            }
        } else {
            width = nil
        }
    }

    func bold(_ text: String) -> String { color ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { color ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    func red(_ text: String) -> String { color ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
    func green(_ text: String) -> String { color ? "\u{1B}[32m\(text)\u{1B}[0m" : text }

    /// A snippet with its `**matched**` words in bold yellow on a colour terminal, and marked as sent otherwise.
    func highlight(_ snippet: String) -> String {
        guard color else { return snippet }
        let parts = snippet.components(separatedBy: "**")
        return parts.enumerated().map { $0.offset % 2 == 1 ? "\u{1B}[1;33m\($0.element)\u{1B}[0m" : $0.element }
            .joined()
    }
}

/// Numbers for people.
enum Units {
    static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var output = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { output.append(",") }
            output.append(character)
        }
        return (value < 0 ? "-" : "") + output
    }

    static func bytes(_ value: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1024, unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        return unit == 0 ? "\(value) B" : String(format: "%.1f %@", amount, units[unit])
    }

    static func duration(seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m\(String(format: "%02d", total % 60))s" }
        if total < 86400 { return "\(total / 3600)h\(String(format: "%02d", total % 3600 / 60))m" }
        return "\(total / 86400)d\(total % 86400 / 3600)h"
    }

    static func milliseconds(_ value: Double) -> String {
        value < 10 ? String(format: "%.2f ms", value) : String(format: "%.0f ms", value)
    }
}

/// Text cut or padded to a number of columns (characters; filings text is mostly Latin).
extension String {
    func fitted(to width: Int) -> String {
        guard width > 0 else { return "" }
        if count > width { return String(prefix(max(0, width - 1))) + "…" }
        return self + String(repeating: " ", count: width - count)
    }
}
