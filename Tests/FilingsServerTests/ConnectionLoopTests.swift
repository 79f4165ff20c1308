import FilingsTestSupport
import FilingsTransport
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The connection loop's order between bytes and deadlines, with a recording driver over one end of a socket pair:
/// a peer's bytes that are in the socket when a deadline is found passed (because the loop ran late) are read before
/// the deadline is reported, so the driver judges them on time.
@Suite struct ConnectionLoopTests {
    /// A driver whose one deadline has already passed when the loop starts: it wants `expected` bytes, and closes
    /// once it has them or once told its deadline passed.
    final class LateDriver: ConnectionDriver, Sendable {
        let expected: Int
        let deadline = ContinuousClock.now - .seconds(1)
        let events = Mutex<[String]>([])
        private let received = Mutex(0)

        init(expected: Int) { self.expected = expected }

        func nextStep(now: ContinuousClock.Instant) -> LoopStep {
            if events.withLock({ $0.contains("deadline") }) || received.withLock({ $0 }) >= expected { return .close }
            return .wait(read: true, until: deadline)
        }

        func deadlinePassed(now: ContinuousClock.Instant) {
            events.withLock { $0.append("deadline") }
        }

        func received(_ bytes: UnsafeRawBufferPointer, now: ContinuousClock.Instant) {
            received.withLock { $0 += bytes.count }
            events.withLock { $0.append("received \(bytes.count)") }
        }

        func streamEnded(errno: Int32?) {
            events.withLock { $0.append("ended") }
        }
    }

    /// Runs a loop over one end of a socket pair after writing `bytes` into the other end, until the driver closes.
    private func run(writing bytes: [UInt8], driver: LateDriver) async throws -> [String] {
        var ends: [Int32] = [0, 0]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0)
        let peer = Socket(fd: ends[1])
        defer { peer.close() }
        var size: Int32 = 1 << 20
        setsockopt(ends[1], SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(ends[0], SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        peer.setNonBlocking()
        if !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }
            try #require(written == bytes.count, "the socket pair holds \(written) of \(bytes.count) bytes")
        }
        let socket = Socket(fd: ends[0])
        socket.setNonBlocking()
        let connection = FramedConnection(socket: socket, peer: "socket pair")
        await offPool { connection.run(driver: driver, lingerMilliseconds: 0) }
        return driver.events.withLock { $0 }
    }

    @Test func bytesAlreadyInTheSocketAreReadBeforeAPassedDeadline() async throws {
        let bytes = [UInt8](repeating: 0x2A, count: 100)
        let events = try await run(writing: bytes, driver: LateDriver(expected: bytes.count))
        #expect(events == ["received 100"])
    }

    @Test func aPassedDeadlineIsReportedWhenNothingIsLeftToRead() async throws {
        let events = try await run(writing: [], driver: LateDriver(expected: 1))
        #expect(events == ["deadline"])
    }

    @Test func bytesBeyondOneReadAreAllReadBeforeAPassedDeadline() async throws {
        // More than one read of the loop (64 KiB): the driver is asked for its next step between reads, and the
        // deadline must still wait for the rest.
        let bytes = [UInt8](repeating: 0x2A, count: 3 * 65536 + 1)
        let events = try await run(writing: bytes, driver: LateDriver(expected: bytes.count))
        #expect(!events.contains("deadline"), "\(events)")
        #expect(events.count >= 2, "\(events)")
    }
}
