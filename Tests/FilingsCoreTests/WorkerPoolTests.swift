import FilingsCore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The worker pool's threads, as the operating system sees them.
@Suite struct WorkerPoolTests {
    /// The nice value of the thread that calls it, from /proc/thread-self/stat (the 19th field).
    static func niceness() -> Int32? {
        guard let stat = try? String(contentsOfFile: "/proc/thread-self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 16 ? Int32(fields[16]) : nil
    }

    @Test func backgroundThreadsRunBelowTheOthersAndNormalOnesDoNot() async throws {
        let background = WorkerPool(name: "test-background", threads: 2, priority: .background)
        let normal = WorkerPool(name: "test-normal", threads: 1)
        defer {
            background.shutDown()
            normal.shutDown()
        }
        let base = try #require(Self.niceness())
        for _ in 0..<4 {
            #expect(try await background.run { _ in Self.niceness() } == base + WorkerPool.backgroundNiceness)
        }
        #expect(try await normal.run { _ in Self.niceness() } == base)
        // The caller's own thread is untouched.
        #expect(Self.niceness() == base)
    }
}

@Suite struct KeyedCacheTests {
    @Test func eachValueIsMadeOncePerKeyWhoeverAsks() async {
        let made = Lock(0)
        let cache = KeyedCache { (key: Int) -> String in
            made.withLock { $0 += 1 }
            return "value \(key)"
        }
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask { #expect(cache[index % 5] == "value \(index % 5)") }
            }
        }
        #expect(made.withLock { $0 } == 5)
    }
}
