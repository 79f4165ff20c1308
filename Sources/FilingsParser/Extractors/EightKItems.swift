internal import FilingsCore

/// Form 8-K item numbers and titles, in both numbering schemes.
enum EightKItems {
    /// The 2004 numbering ("Item 2.02") applies to filings from this date on.
    static let schemeChangeDate = "2004-08-23"

    static let current: [(String, String)] = [
        ("1.01", "Entry into a Material Definitive Agreement"),
        ("1.02", "Termination of a Material Definitive Agreement"),
        ("1.03", "Bankruptcy or Receivership"),
        ("1.04", "Mine Safety - Reporting of Shutdowns and Patterns of Violations"),
        ("1.05", "Material Cybersecurity Incidents"),
        ("2.01", "Completion of Acquisition or Disposition of Assets"),
        ("2.02", "Results of Operations and Financial Condition"),
        ("2.03", "Creation of a Direct Financial Obligation or an Obligation under an Off-Balance Sheet Arrangement"),
        ("2.04", "Triggering Events That Accelerate or Increase a Direct Financial Obligation"),
        ("2.05", "Costs Associated with Exit or Disposal Activities"),
        ("2.06", "Material Impairments"),
        ("3.01", "Notice of Delisting or Failure to Satisfy a Continued Listing Rule or Standard"),
        ("3.02", "Unregistered Sales of Equity Securities"),
        ("3.03", "Material Modification to Rights of Security Holders"),
        ("4.01", "Changes in Registrant's Certifying Accountant"),
        ("4.02", "Non-Reliance on Previously Issued Financial Statements"),
        ("5.01", "Changes in Control of Registrant"),
        ("5.02", "Departure of Directors or Certain Officers; Election of Directors; Appointment of Certain Officers"),
        ("5.03", "Amendments to Articles of Incorporation or Bylaws; Change in Fiscal Year"),
        ("5.04", "Temporary Suspension of Trading Under Registrant's Employee Benefit Plans"),
        ("5.05", "Amendments to the Registrant's Code of Ethics, or Waiver of a Provision of the Code of Ethics"),
        ("5.06", "Change in Shell Company Status"),
        ("5.07", "Submission of Matters to a Vote of Security Holders"),
        ("5.08", "Shareholder Director Nominations"),
        ("6.01", "ABS Informational and Computational Material"),
        ("6.02", "Change of Servicer or Trustee"),
        ("6.03", "Change in Credit Enhancement or Other External Support"),
        ("6.04", "Failure to Make a Required Distribution"),
        ("6.05", "Securities Act Updating Disclosure"),
        ("7.01", "Regulation FD Disclosure"),
        ("8.01", "Other Events"),
        ("9.01", "Financial Statements and Exhibits"),
    ]

    static let legacy: [(String, String)] = [
        ("1", "Changes in Control of Registrant"),
        ("2", "Acquisition or Disposition of Assets"),
        ("3", "Bankruptcy or Receivership"),
        ("4", "Changes in Registrant's Certifying Accountant"),
        ("5", "Other Events"),
        ("6", "Resignations of Registrant's Directors"),
        ("7", "Financial Statements and Exhibits"),
        ("8", "Change in Fiscal Year"),
        ("9", "Regulation FD Disclosure"),
        ("10", "Amendments to the Registrant's Code of Ethics"),
        ("11", "Temporary Suspension of Trading Under Registrant's Employee Benefit Plans"),
        ("12", "Results of Operations and Financial Condition"),
    ]

    /// The item number for a header's `ITEM INFORMATION:` text under the scheme in force.
    static func number(forTitle title: String, newScheme: Bool) -> String? {
        let key = normalized(title)
        guard !key.isEmpty else { return nil }
        let table = newScheme ? currentKeys : legacyKeys
        for (number, known) in table where known == key || known.hasPrefix(key) || key.hasPrefix(known) {
            return number
        }
        // Header texts are sometimes abbreviated or reworded: take the best word overlap.
        let words = Set(key.split(separator: " "))
        var best: (String, Int)?
        for (number, known) in table {
            let overlap = Set(known.split(separator: " ")).intersection(words).count
            if overlap >= 2, overlap > (best?.1 ?? 0) { best = (number, overlap) }
        }
        return best?.0
    }

    /// ``current`` and ``legacy`` with their titles ``normalized(_:)``, once: every header's items are looked up
    /// in them.
    private static let currentKeys = current.map { ($0.0, normalized($0.1)) }
    private static let legacyKeys = legacy.map { ($0.0, normalized($0.1)) }

    /// Whether `number` names an item in either scheme.
    static func isKnown(_ number: String) -> Bool {
        current.contains { $0.0 == number } || legacy.contains { $0.0 == number }
    }

    /// "2.02 Results of…" → "2.02".
    static func leadingNumber(_ text: String) -> String? {
        let digits = text.prefix { $0.isNumber || $0 == "." }
        return digits.isEmpty ? nil : String(digits)
    }

    static func normalized(_ text: String) -> String {
        var out = [UInt8]()
        var space = false
        for b in text.utf8 {
            if ASCII.isAlphanumeric(b) {
                if space && !out.isEmpty { out.append(ASCII.space) }
                out.append(ASCII.lower(b))
                space = false
            } else if b != ASCII.apostrophe {
                space = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
