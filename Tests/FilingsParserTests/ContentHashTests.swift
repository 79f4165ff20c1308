import FilingsCore
import FilingsParser
import Testing

/// A filing's identity is the FIPS 180-4 SHA-256 of its bytes, in lower-case hex.
@Suite struct ContentHashTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func knownVectors(_ input: String, _ hex: String) {
        #expect(Array(input.utf8).withUnsafeBufferPointer { SHA256.hexDigest($0) } == hex)
    }

    @Test func aMillionAsSpanManyBlocks() {
        let input = [UInt8](repeating: 0x61, count: 1_000_000)
        #expect(
            input.withUnsafeBufferPointer { SHA256.hexDigest($0) }
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        )
    }

    @Test func aParsedFilingCarriesTheHashOfItsBytes() throws {
        let text = "FOR IMMEDIATE RELEASE\n\nAcme Inc. reported results today.\n"
        let filing = try EDGARParser().parse(Array(text.utf8))
        #expect(filing.sha256 == Array(text.utf8).withUnsafeBufferPointer { SHA256.hexDigest($0) })
        #expect(filing.sha256.count == 64)
    }
}
