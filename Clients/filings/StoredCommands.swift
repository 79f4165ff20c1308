import ArgumentParser
import FilingsClient
import FilingsCore
import Foundation

struct GetCommand: AsyncParsableCommand, ServerCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Show one stored filing.",
        discussion: """
            The id is the one store and query print (or the filing's full SHA-256).

            Examples:
              filings get 3f9a0c41d2e87b6a5c10
              filings get --json 3f9a0c41d2e87b6a5c10 | jq .filing.documents[0].people
              filings get --raw 3f9a0c41d2e87b6a5c10 > filing.txt
            """
    )

    @OptionGroup var own: GlobalOptions
    @ParentCommand var root: FilingsCommand
    @OptionGroup var output: OutputOptions

    @Flag(help: "Write the raw stored bytes to standard output instead.")
    var raw = false

    @Argument(help: "The filing's id.")
    var id: String

    func run() async throws {
        let client = try global.makeClient()
        defer { client.close() }
        let response: GetResponse
        do throws(RPCError) {
            response = try await client.get(GetRequest(id: id, includeRaw: raw))
        } catch {
            if error.code == .notFound {
                Terminal.error("no filing has id \(id); `filings query` lists the stored ones")
                throw ExitCode(ExitCodes.someFailed)
            }
            throw fail(error, addr: global.addr)
        }
        if raw {
            FileHandle.standardOutput.write(Data(response.raw))
        } else if output.json {
            print(response.jsonString())
        } else {
            print(ParseSummary.render(response.filing ?? ParsedFiling(), name: response.id))
            print("  stored \(response.storedAt)")
        }
    }
}

struct DeleteCommand: AsyncParsableCommand, ServerCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete stored filings from the store and every index.",
        discussion: """
            Exits 1 when any id was not stored.

            Example:
              filings delete 3f9a0c41d2e87b6a5c10 8d1e44b0c2a9f3e71b55
            """
    )

    @OptionGroup var own: GlobalOptions
    @ParentCommand var root: FilingsCommand
    @OptionGroup var output: OutputOptions

    @Argument(help: "Ids of the filings to delete.")
    var ids: [String]

    func run() async throws {
        let client = try global.makeClient()
        defer { client.close() }
        var missing = 0
        for id in ids {
            let response: DeleteResponse
            do throws(RPCError) {
                response = try await client.delete(DeleteRequest(id: id))
            } catch {
                throw fail(error, addr: global.addr)
            }
            if !response.deleted { missing += 1 }
            if output.json {
                print("{\"id\":\"\(id)\",\"deleted\":\(response.deleted)}")
            } else {
                print(response.deleted ? "deleted \(id)" : "not found \(id)")
            }
        }
        if missing > 0 { throw ExitCode(ExitCodes.someFailed) }
    }
}

struct StatsCommand: AsyncParsableCommand, ServerCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show server and store statistics.",
        discussion: """
            Examples:
              filings stats
              filings stats --json | jq .store.documents
            """
    )

    @OptionGroup var own: GlobalOptions
    @ParentCommand var root: FilingsCommand
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let client = try global.makeClient()
        defer { client.close() }
        let response: StatsResponse
        do throws(RPCError) {
            response = try await client.stats()
        } catch {
            throw fail(error, addr: global.addr)
        }
        if output.json {
            print(response.jsonString())
            return
        }
        let style = Style.standardOutput
        var lines: [String] = []
        if let server = response.server {
            lines.append(
                style.bold("server")
                    + " filings-server \(server.version), up \(Units.duration(seconds: server.uptimeSeconds))"
            )
            lines.append(
                "  connections \(Units.count(Int(server.openConnections))) open, "
                    + "\(Units.count(Int(server.totalConnections))) since start; calls in flight \(server.callsInFlight)"
            )
            let methods = server.methods.filter { $0.calls > 0 }
            if !methods.isEmpty {
                let nameWidth =
                    methods.map { $0.method.split(separator: "/").last.map(String.init)?.count ?? 0 }.max() ?? 6
                lines.append(
                    "  " + "method".fitted(to: nameWidth) + "       calls      p50      p99      max  statuses"
                )
                for method in methods {
                    let name = String(method.method.split(separator: "/").last ?? "")
                    let statuses = method.statuses.map { "\($0.code)=\(Units.count(Int($0.count)))" }.joined(
                        separator: " "
                    )
                    lines.append(
                        "  " + name.fitted(to: nameWidth) + Units.count(Int(method.calls)).leftPadded(12)
                            + Units.milliseconds(method.p50Ms).leftPadded(9)
                            + Units.milliseconds(method.p99Ms).leftPadded(9)
                            + Units.milliseconds(method.maxMs).leftPadded(9) + "  " + statuses
                    )
                }
            }
        }
        if let store = response.store {
            lines.append(
                style.bold("store") + " \(store.backend): \(Units.count(Int(store.documents))) documents, "
                    + "\(Units.bytes(store.bytesOnDisk)) on disk"
                    + (store.documents > 0 ? " (\(Units.bytes(store.bytesOnDisk / store.documents)) per document)" : "")
            )
            if !store.byKind.isEmpty {
                lines.append(
                    "  by kind       "
                        + store.byKind.map { "\($0.key) \(Units.count(Int($0.count)))" }.joined(separator: ", ")
                )
            }
            if !store.byFormType.isEmpty {
                let top = store.byFormType.prefix(12).map {
                    "\($0.key.isEmpty ? "-" : $0.key) \(Units.count(Int($0.count)))"
                }
                let more = store.byFormType.count > 12 ? ", and \(store.byFormType.count - 12) more" : ""
                lines.append("  by form type  " + top.joined(separator: ", ") + more)
            }
            if !store.byParserVersion.isEmpty {
                lines.append(
                    "  by parser     "
                        + store.byParserVersion.map { "\($0.key) \(Units.count(Int($0.count)))" }
                        .joined(separator: ", ")
                )
            }
        } else {
            lines.append(style.bold("store") + " none (the server runs without a store)")
        }
        print(lines.joined(separator: "\n"))
    }
}

struct HealthCommand: AsyncParsableCommand, ServerCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Check that the server is serving.",
        discussion: """
            Prints the serving status; exits 0 when SERVING, 1 otherwise, 3 when there is no server.

            Example:
              filings health && echo up
            """
    )

    @OptionGroup var own: GlobalOptions
    @ParentCommand var root: FilingsCommand
    @OptionGroup var output: OutputOptions

    @Option(help: "The service to check, e.g. filings.v1.Filings; empty for the server.")
    var service: String = ""

    func run() async throws {
        let client = try global.makeClient()
        defer { client.close() }
        let response: HealthResponse
        do throws(RPCError) {
            response = try await client.health(service: service)
        } catch {
            throw fail(error, addr: global.addr)
        }
        print(output.json ? response.jsonString() : response.status.protoName)
        if response.status != .serving { throw ExitCode(ExitCodes.someFailed) }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
