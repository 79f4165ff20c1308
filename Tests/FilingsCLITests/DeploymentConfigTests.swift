import Foundation
import Testing

/// docker-compose.yml and dev/cluster.sh describe one topology: the same services, ports and settings.
@Suite struct DeploymentConfigTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// The top-level keys under `services:` in the compose file.
    static func composeServices(_ compose: String) -> [String] {
        var services: [String] = []
        var inServices = false
        for line in compose.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("services:") {
                inServices = true
            } else if inServices, !line.hasPrefix(" "), !line.isEmpty {
                inServices = false
            } else if inServices, line.hasPrefix("  "), !line.hasPrefix("   "), line.hasSuffix(":") {
                services.append(String(line.dropFirst(2).dropLast()))
            }
        }
        return services
    }

    @Test func composeAndClusterScriptDescribeTheSameServices() throws {
        let compose = try Self.read("docker-compose.yml")
        let script = try Self.read("dev/cluster.sh")
        let haproxy = try Self.read("deploy/haproxy.cfg")
        #expect(Self.composeServices(compose) == ["postgres", "filings-1", "filings-2", "filings-3", "haproxy"])
        // The script runs replicas 1 to 3 under the same names, PostgreSQL and HAProxy.
        #expect(script.contains("replicas=(1 2 3)"))
        #expect(script.contains("echo \"filings-$n "))
        #expect(script.contains("echo \"postgres ") && script.contains("echo \"haproxy "))
        // Both take their settings from one file, and HAProxy's configuration from another.
        #expect(compose.contains("env_file: deploy/cluster.env"))
        #expect(script.contains("source deploy/cluster.env"))
        #expect(compose.contains("./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg"))
        #expect(script.contains("haproxy -D -f deploy/haproxy.cfg"))
        for n in 1...3 {
            #expect(haproxy.contains("server filings-\(n) \"${FILINGS_REPLICA_\(n)}\" check"))
            #expect(compose.contains("FILINGS_REPLICA_\(n): filings-\(n):7878"))
            #expect(script.contains("FILINGS_REPLICA_\(n)=\"127.0.0.1:$(replica_port \(n))\""))
        }
    }

    @Test func composeAndClusterScriptUseTheSamePortsAndStore() throws {
        let compose = try Self.read("docker-compose.yml")
        let script = try Self.read("dev/cluster.sh")
        let environment = try Self.read("deploy/cluster.env")
        // HAProxy on 7878, replicas on 7881-7883, in both.
        #expect(compose.contains("ports: [\"127.0.0.1:7878:7878\"]"))
        #expect(script.contains(": \"${FILINGS_CLUSTER_PORT:=7878}\""))
        #expect(script.contains("replica_port() { echo $((FILINGS_CLUSTER_PORT + 2 + $1)); }"))
        for n in 1...3 {
            #expect(compose.contains("ports: [\"127.0.0.1:\(7880 + n):7878\", \"127.0.0.1:\(9464 + n):9464\"]"))
        }
        // Metrics: 9464 in each container, 9465-9467 outside; the script's replicas on the same outside ports.
        #expect(compose.contains("FILINGS_METRICS_LISTEN: 0.0.0.0:9464"))
        #expect(script.contains(": \"${FILINGS_CLUSTER_METRICS_PORT:=$((FILINGS_CLUSTER_PORT + 1586))}\""))
        #expect(script.contains("FILINGS_METRICS_LISTEN=\"127.0.0.1:$(metrics_port \"$n\")\""))
        let prometheus = try Self.read("deploy/prometheus.yml")
        for n in 1...3 { #expect(prometheus.contains("filings-\(n):9464")) }
        // The same role and database in the store address of both.
        func value(_ key: String) -> String? {
            environment.split(separator: "\n").first { $0.hasPrefix(key + "=") }.map {
                String($0.dropFirst(key.count + 1))
            }
        }
        let user = try #require(value("POSTGRES_USER"))
        let database = try #require(value("POSTGRES_DB"))
        #expect(compose.contains("FILINGS_STORE: postgres://\(user)@postgres:5432/\(database)"))
        #expect(
            script.contains("FILINGS_STORE=\"postgres://$POSTGRES_USER@$POSTGRES_HOST:$POSTGRES_PORT/$POSTGRES_DB\"")
        )
        #expect(compose.contains("pg_isready -U \(user) -d \(database)"))
    }
}
