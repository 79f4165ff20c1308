import FilingsCore
import FilingsParser
import Testing

/// Press-release datelines, dated and undated (`DatelineExtractor`).
@Suite struct DatelineExtractorTests {
    @Test(arguments: [
        ("SAN JOSE, Calif.--(BUSINESS WIRE)--April 29, 2020--Acme", "SAN JOSE", "Calif.", "2020-04-29"),
        ("HERNDON, Va., April 29, 2020 (GLOBE NEWSWIRE) – Acme", "HERNDON", "Va.", "2020-04-29"),
        ("San Jose, CA (August 10, 1995) -- Acme", "San Jose", "CA", "1995-08-10"),
        ("CAMBRIDGE, Mass.— July 24, 2023 — Acme", "CAMBRIDGE", "Mass.", "2023-07-24"),
        ("NEW YORK, July 24 /PRNewswire/ -- Acme", "NEW YORK", "", ""),
        // Undated: an upper-case city and a dash opening an announcement.
        ("SILVER SPRING, Md. — Acme Inc. (Nasdaq: ACME), a maker of widgets, today", "SILVER SPRING", "Md.", ""),
        ("ATLANTA – Acme Corp. today", "ATLANTA", "", ""),
        (
            "Wallingford, Connecticut, February 4, 2026. Acme Corp. (NYSE: ACME) today", "Wallingford", "Connecticut",
            "2026-02-04"
        ),
        ("GLENDALE, California — Acme, Inc. (NYSE:ACME) reported results;", "GLENDALE", "California", ""),
    ])
    func datelines(opening: String, city: String, state: String, date: String) throws {
        let doc = try document("EXHIBIT 99.1\n\nACME BUYS A COMPANY TODAY\n\n\(opening) announced a deal.\n")
        #expect(doc.dateline == Dateline(city: city, state: state, date: date))
    }

    /// Without a date, an upper-case city and a dash make a dateline only where the paragraph announces.
    @Test(arguments: [
        "NOTE – Amounts are unaudited and the Company announced nothing else.",
        "Atlanta – Acme Corp. (NYSE: ACME) today announced a deal.",
        "ATLANTA, Acme Corp. (NYSE: ACME) today announced a deal.",
        "ARTICLE I – Offices of the Company, which announces its meetings.",
        "Wallingford, Connecticut, February 4, 2026. The parties agree as follows.",
    ])
    func undatedOpeningsThatAreNotDatelines(opening: String) throws {
        let doc = try document("EXHIBIT 99.2\n\nTERMS OF THE AGREEMENT TODAY\n\n\(opening)\n")
        #expect(doc.kind == .other)
        #expect(doc.dateline == nil)
    }
}
