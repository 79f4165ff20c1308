import FilingsCore
import FilingsParser
import Foundation
import Testing

/// Notifications of late filing, Form 12b-25 (`LateFilingExtractor`).
@Suite struct LateFilingExtractorTests {
    static func form(checkbox mark: String, periodic: String = "[X] Yes   [ ] No") -> String {
        """
                                      FORM 12b-25
                              NOTIFICATION OF LATE FILING
        (Check One):
        [ ] Form 10-K   [ ] Form 20-F   \(mark) Form 10-Q   [ ] Form N-SAR
                          For Period Ended: June 30, 2004

        PART I -- REGISTRANT INFORMATION

        ACME WIDGETS, INC.
        -----------------------------------------
        Full Name of Registrant

        PART II -- RULES 12b-25(b) AND (c)

             \(mark)   (a) The reasons described in reasonable detail in Part III of this form could not be
                      eliminated without unreasonable effort or expense;
             [ ]   (b) The subject report will be filed on or before the fifth calendar day; and
             [ ]   (c) The accountant's statement has been attached if applicable.

        PART III -- NARRATIVE

        The Company needs more time to finish its review.

        PART IV -- OTHER INFORMATION

        (1)  Name and telephone number of person to contact in regard to this notification
             JANE ROE                (217)          555-0100
        (2)  Have all other periodic reports been filed?    \(periodic)
        """
    }

    @Test(arguments: ["[X]", "[x]", "|X|", "(X)", "☒"])
    func checkBoxes(mark: String) throws {
        let doc = try document(LateFilingExtractorTests.form(checkbox: mark))
        #expect(doc.type == "NT 10-Q")
        #expect(doc.kind == .lateFilingNotice)
        let late = try #require(doc.lateFiling)
        #expect(late.forms == ["10-Q"])
        #expect(late.periodEnded == "2004-06-30")
        #expect(late.registrantName == "ACME WIDGETS, INC.")
        #expect(late.rule12b25b == Rule12b25b(a: true, b: false, c: false))
        #expect(late.narrative == "The Company needs more time to finish its review.")
        #expect(late.contact == LateFilingContact(name: "JANE ROE", areaCode: "217", phone: "555-0100"))
        #expect(late.otherReportsFiled)
    }

    /// The telephone number is the first run of three digits, a hyphen, dot or space, and four digits in its cell;
    /// a number written whole also gives the area code.
    @Test(arguments: [
        ("(217)          555.0100", "217", "555.0100"),
        ("217-555-0100", "217", "555-0100"),
        ("(217)          555 0100 ext. 12", "217", "555 0100"),
        ("(217)          \u{665}\u{665}\u{665}-\u{660}\u{661}\u{660}\u{660}", "217", "٥٥٥-٠١٠٠"),
    ])
    func contactTelephoneNumbers(written: String, areaCode: String, phone: String) throws {
        let text = LateFilingExtractorTests.form(checkbox: "[X]")
            .replacingOccurrences(of: "(217)          555-0100", with: written)
        let late = try #require(try document(text).lateFiling)
        #expect(late.contact == LateFilingContact(name: "JANE ROE", areaCode: areaCode, phone: phone))
    }

    /// The period is read after "Ended" on its line, however many characters before it change length in upper case
    /// ("ΐ", 2 bytes, is "Ϊ́", 6): the label is found in the line, not in its upper case.
    @Test(arguments: [1, 40])
    func periodAfterCharactersLongerInUpperCase(characters: Int) throws {
        let text = LateFilingExtractorTests.form(checkbox: "[X]")
            .replacingOccurrences(
                of: "For Period Ended:",
                with: String(repeating: "ΐ", count: characters) + " For Period Ended:"
            )
        let late = try #require(try document(text).lateFiling)
        #expect(late.periodEnded == "2004-06-30")
    }

    /// A label is found on its line as if the line were in upper case, where "ﬁ" (one character) is "FI": the first
    /// line that holds it, written either way, is the one read.
    @Test func labelsFoundInUpperCase() throws {
        let form = LateFilingExtractorTests.form(checkbox: "[X]")
        let ligatureFirst = form + "\nSEC ﬁle Number: 0-12345\nSEC File Number: 0-99999\n"
        #expect(try #require(try document(ligatureFirst).lateFiling).secFileNumber == "0-12345")
        let asciiFirst = form + "\nSEC File Number: 0-99999\nSEC ﬁle Number: 0-12345\n"
        #expect(try #require(try document(asciiFirst).lateFiling).secFileNumber == "0-99999")
    }

    @Test func marksAfterLabels() throws {
        let doc = try document(LateFilingExtractorTests.form(checkbox: "[X]", periodic: "Yes ☐ No ☒"))
        #expect(doc.lateFiling?.otherReportsFiled == false)
    }

    /// The signer is read as every signature block is (``SignatureReader``): a title that goes on over the next
    /// line is whole, and the people stage lists the same signer with the same title.
    @Test func signerWithATitleOverTwoLines() throws {
        let doc = try document(
            LateFilingExtractorTests.form(checkbox: "[X]") + """


                ACME WIDGETS, INC. has caused this notification to be signed on its behalf by the undersigned
                thereunto duly authorized.

                Date: August 16, 2004                 By: /s/ Jane Q. Roe
                                                          Vice President and
                                                          Chief Financial Officer
                """
        )
        let late = try #require(doc.lateFiling)
        #expect(late.signerName == "Jane Q. Roe")
        #expect(late.signerTitle == "Vice President and Chief Financial Officer")
        #expect(late.signatureDate == "2004-08-16")
        #expect(doc.people.contains(Person(name: "Jane Q. Roe", title: "Vice President and Chief Financial Officer")))
    }
}
