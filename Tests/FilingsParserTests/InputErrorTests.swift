import FilingsCore
import FilingsParser
import Testing

@Suite struct InputErrorTests {
    @Test func emptyInputIsInvalidArgument() {
        #expect(throws: ParseError.self) { try parse("") }
        do {
            _ = try parse("")
        } catch {
            #expect(error.code == .emptyInput)
            #expect(error.status == .invalidArgument)
            #expect(error.message.contains("empty"))
        }
    }

    @Test func nulBytesAreBinary() {
        var bytes = Array("EXHIBIT 99.1\n\nHello".utf8)
        bytes.insert(0, at: 5)
        do {
            _ = try EDGARParser().parse(bytes)
            Issue.record("binary input parsed")
        } catch {
            #expect(error.code == .binaryInput)
            #expect(error.status == .invalidArgument)
            #expect(error.message.contains("offset 5"))
        }
    }

    /// The first NUL is found wherever it is, among text with line breaks and with bytes above 0x7F around it.
    @Test func theFirstNulIsFoundAtItsOffset() {
        let text = Array("EXHIBIT 99.1\n\nAcme\u{2019}s results\tfor the quarter were strong.\r\n".utf8)
        for offset in 0..<text.count {
            var bytes = text
            bytes[offset] = 0
            if offset + 9 < bytes.count { bytes[offset + 9] = 0 }
            do {
                _ = try EDGARParser().parse(bytes)
                Issue.record("a NUL at \(offset) parsed")
            } catch {
                #expect(error.message.contains("NUL byte at offset \(offset)."), "\(error.message)")
            }
        }
    }

    @Test func manyControlCharactersAreBinary() {
        var bytes = Array(repeating: UInt8(0x41), count: 1000)
        for i in stride(from: 3, to: 1000, by: 50) { bytes[i] = 0x01 }
        do {
            _ = try EDGARParser().parse(bytes)
            Issue.record("binary input parsed")
        } catch {
            #expect(error.message.contains("20 of its 1000 bytes are control characters"), "\(error.message)")
        }
    }

    /// The count in the message is every control byte that text does not hold, however many share a word.
    @Test func controlBytesAreCountedWhereverTheyAre() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for round in 0..<20 {
            var bytes = Array(repeating: UInt8(ascii: "a"), count: 1000 + round)
            for _ in 0..<(100 + round * 10) { bytes[next() % bytes.count] = UInt8(1 + next() % 0x1F) }
            let expected = bytes.filter { $0 < 0x20 && ![0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1A].contains($0) }.count
            do {
                _ = try EDGARParser().parse(bytes)
                Issue.record("binary input parsed")
            } catch {
                #expect(error.message.contains("\(expected) of its \(bytes.count) bytes"), "\(error.message)")
            }
        }
    }

    @Test(arguments: [
        ([UInt8]("%PDF-1.4\n".utf8), "PDF"), ([0x50, 0x4B, 0x03, 0x04, 0x14], "ZIP"),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A], "PNG"), ([0xFF, 0xD8, 0xFF, 0xE0], "JPEG"),
    ])
    func knownBinaryFormatsAreNamed(bytes: [UInt8], name: String) {
        do {
            _ = try EDGARParser().parse(bytes + Array(repeating: 0x41, count: 100))
            Issue.record("binary input parsed")
        } catch {
            #expect(error.code == .binaryInput)
            #expect(error.message.contains(name))
        }
    }

    @Test func oversizeInputIsResourceExhausted() {
        let parser = EDGARParser(configuration: .init(maximumInputBytes: 1000))
        do {
            _ = try parser.parse(Array(repeating: 0x41, count: 1001))
            Issue.record("oversize input parsed")
        } catch {
            #expect(error.code == .inputTooLarge)
            #expect(error.status == .resourceExhausted)
            #expect(error.rpcError.code == .resourceExhausted)
        }
    }

    @Test func truncatedHeaderIsInvalidArgument() {
        let text = "<SEC-DOCUMENT>0000000000-01-000001.txt\n<SEC-HEADER>\nACCESSION NUMBER:\t0000000000-01-000001\n"
        do {
            _ = try parse(text)
            Issue.record("truncated submission parsed")
        } catch {
            #expect(error.code == .truncatedSubmission)
            #expect(error.status == .invalidArgument)
        }
    }

    @Test func unclosedDocumentIsParsedWithAWarning() throws {
        let text = """
            <SEC-HEADER>
            ACCESSION NUMBER:\t0000000000-01-000001
            CONFORMED SUBMISSION TYPE:\t8-K
            </SEC-HEADER>
            <DOCUMENT>
            <TYPE>8-K
            <SEQUENCE>1
            <TEXT>
            ITEM 5. OTHER EVENTS
            On May 1, 2001 the Company moved.
            """
        let filing = try parse(text)
        #expect(filing.format == .sgmlSubmission)
        #expect(filing.documents.count == 1)
        #expect(filing.documents[0].text.contains("On May 1, 2001 the Company moved."))
        #expect(filing.warnings.map(\.code) == ["TRUNCATED_DOCUMENT"])
    }

    @Test func latin1IsDecodedWithAWarning() throws {
        // "Caf\xe9" and a Windows-1252 right quote (0x92).
        var bytes = Array("EXHIBIT 99.1\n\nThe Caf".utf8)
        bytes += [0xE9, 0x20, 0x92, 0x20, 0x93, 0x41, 0x94]
        let filing = try EDGARParser().parse(bytes)
        #expect(filing.warnings.map(\.code) == ["DECODED_AS_LATIN1"])
        #expect(filing.documents[0].text.contains("Café ’ “A”"))
    }

    @Test func c1ControlsInUTF8BecomeWindows1252() throws {
        // U+0092 written as UTF-8 (C2 92): a Windows-1252 byte mis-decoded as Latin-1.
        let bytes = Array("It".utf8) + [0xC2, 0x92] + Array("s here.".utf8)
        let filing = try EDGARParser().parse(bytes)
        #expect(!filing.warnings.contains { $0.code == "DECODED_AS_LATIN1" })
        #expect(filing.documents[0].text == "It’s here.")
    }

    @Test func unknownTypeIsWarned() throws {
        let filing = try parse("Just a note with no form or exhibit label.\n")
        #expect(filing.documents[0].type.isEmpty)
        #expect(filing.warnings.map(\.code) == ["UNKNOWN_DOCUMENT_TYPE"])
    }

    @Test func identityAndVersion() throws {
        let filing = try parse("abc")
        #expect(filing.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(filing.byteLength == 3)
        #expect(filing.parserVersion == EDGARParser.version)
        let long = try EDGARParser().parse(Array(repeating: 0x61, count: 1_000_000))
        #expect(long.sha256 == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
