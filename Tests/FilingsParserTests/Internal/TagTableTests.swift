import FilingsTestSupport
import Testing

@testable import FilingsParser

/// `TagTable`: the renderer's table of element names.
@Suite struct TagTableTests {
    @Test func findsWhatWasStoredAndNothingElse() {
        var random = SplitMix64(seed: 11)
        let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789:-".utf8)
        var names = Set<String>()
        while names.count < 100 {
            let length = Int.random(in: 1...24, using: &random)
            names.insert(
                String(decoding: (0..<length).map { _ in letters.randomElement(using: &random)! }, as: UTF8.self)
            )
        }
        let stored = Array(names.sorted().prefix(60))
        var table = TagTable<Int>()
        for (value, name) in stored.enumerated() { table[TagName(name)] = value }
        for (value, name) in stored.enumerated() { #expect(table[TagName(name)] == value, "\(name)") }
        for name in names.sorted().dropFirst(60)
        where !stored.contains(where: { $0.prefix(16) == name.prefix(16) && $0.count == name.count }) {
            #expect(table[TagName(name)] == nil, "\(name)")
        }
        table[TagName(stored[0]), default: -1] += 10
        #expect(table[TagName(stored[0])] == 10)
        #expect(table[TagName("not-stored-here"), default: -1] == -1)
    }
}
