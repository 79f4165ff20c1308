internal import FilingsCore

/// Reads an EDGAR submission header: the classic `KEY: value` form of `<SEC-HEADER>` / `<IMS-HEADER>`, and the
/// tagged `<SUBMISSION>` form (`<ACCESSION-NUMBER>…`) of EDGAR's newer dissemination files.
enum SubmissionHeader {
    static func parse(_ bytes: [UInt8], _ range: Range<Int>, tagged: Bool) -> Submission {
        let entries = tagged ? taggedEntries(bytes, range) : classicEntries(bytes, range)
        var submission = Submission()
        var itemTexts: [String] = []
        var filer: Filer?
        var section = ""
        var address = Address()
        var formerName: FormerName?

        func finishFormerName() {
            if let name = formerName, !name.name.isEmpty { filer?.formerNames.append(name) }
            formerName = nil
        }
        func finishFiler() {
            finishFormerName()
            if var finished = filer {
                if address != Address() { finished.businessAddress = address }
                submission.filers.append(finished)
            }
            filer = nil
            address = Address()
        }

        for (key, value) in entries {
            if value.isEmpty {
                switch key {
                case "FILER", "SUBJECT COMPANY", "FILED BY", "REPORTING OWNER", "ISSUER", "SERIAL COMPANY",
                    "DEPOSITOR", "SECURITIZER":
                    finishFiler()
                    filer = Filer()
                    section = ""
                case "FORMER COMPANY":
                    finishFormerName()
                    formerName = FormerName()
                    section = key
                default:
                    if key.hasPrefix("/") {
                        if key == "/FORMER COMPANY" { finishFormerName() }
                        section = ""
                    } else {
                        section = key
                    }
                }
                continue
            }
            switch key {
            case "ACCESSION NUMBER": submission.accessionNumber = value
            case "CONFORMED SUBMISSION TYPE": submission.submissionType = value
            case "TYPE" where filer == nil: submission.submissionType = value
            case "PUBLIC DOCUMENT COUNT": submission.publicDocumentCount = UInt32(value) ?? 0
            case "CONFORMED PERIOD OF REPORT", "PERIOD": submission.periodOfReport = isoDate(value)
            case "FILED AS OF DATE", "FILING DATE": submission.filedAt = isoDate(value)
            case "ITEM INFORMATION": itemTexts.append(value)
            case "ITEMS": submission.items.append(value)
            case "COMPANY CONFORMED NAME", "CONFORMED NAME": filer?.companyName = value
            case "CENTRAL INDEX KEY", "CIK": filer?.cik = paddedCIK(value)
            case "STANDARD INDUSTRIAL CLASSIFICATION", "ASSIGNED SIC": filer?.sic = sicCode(value)
            case "IRS NUMBER": filer?.irsNumber = value
            case "STATE OF INCORPORATION": filer?.stateOfIncorporation = value
            case "FISCAL YEAR END": filer?.fiscalYearEnd = value
            case "SEC FILE NUMBER", "FILE NUMBER":
                if filer?.fileNumber.isEmpty == true { filer?.fileNumber = value }
            case "FORMER CONFORMED NAME": formerName?.name = value
            case "DATE OF NAME CHANGE", "DATE CHANGED": formerName?.changedAt = isoDate(value)
            default:
                guard section == "BUSINESS ADDRESS" else { break }
                switch key {
                case "STREET 1", "STREET1": address.street1 = value
                case "STREET 2", "STREET2": address.street2 = value
                case "CITY": address.city = value
                case "STATE": address.state = value
                case "ZIP": address.zip = value
                case "BUSINESS PHONE", "PHONE": address.phone = value
                default: break
                }
            }
        }
        finishFiler()
        let newScheme = submission.filedAt.isEmpty || submission.filedAt >= EightKItems.schemeChangeDate
        for text in itemTexts {
            if let number = EightKItems.number(forTitle: text, newScheme: newScheme) {
                if !submission.items.contains(number) { submission.items.append(number) }
            } else if let number = EightKItems.leadingNumber(text) {
                submission.items.append(number)
            }
        }
        return submission
    }

    private static func classicEntries(_ bytes: [UInt8], _ range: Range<Int>) -> [(String, String)] {
        var entries: [(String, String)] = []
        var start = range.lowerBound
        while start < range.upperBound {
            var end = start
            while end < range.upperBound, bytes[end] != ASCII.newline { end += 1 }
            let line = bytes.trimmed(start..<end)
            if !line.isEmpty, bytes[line.lowerBound] != ASCII.lessThan,
                let colon = bytes.firstIndex(of: ASCII.colon, in: line)
            {
                let key = String(decoding: bytes[bytes.trimmed(line.lowerBound..<colon)], as: UTF8.self).uppercased()
                let value = String(decoding: bytes[bytes.trimmed((colon + 1)..<line.upperBound)], as: UTF8.self)
                entries.append((key.replacingHyphens(), value))
            }
            start = end + 1
        }
        return entries
    }

    private static func taggedEntries(_ bytes: [UInt8], _ range: Range<Int>) -> [(String, String)] {
        var entries: [(String, String)] = []
        var i = range.lowerBound
        while i < range.upperBound {
            guard bytes[i] == ASCII.lessThan else {
                i += 1
                continue
            }
            var j = i + 1
            while j < range.upperBound, bytes[j] != ASCII.greaterThan, j - i < 48 { j += 1 }
            guard j < range.upperBound, bytes[j] == ASCII.greaterThan else {
                i += 1
                continue
            }
            let closing = bytes[i + 1] == ASCII.slash
            let name = String(decoding: bytes[(closing ? i + 2 : i + 1)..<j], as: UTF8.self).uppercased()
            var k = j + 1
            while k < range.upperBound, bytes[k] != ASCII.lessThan, bytes[k] != ASCII.newline { k += 1 }
            let value = closing ? "" : String(decoding: bytes[bytes.trimmed((j + 1)..<k)], as: UTF8.self)
            entries.append(((closing ? "/" : "") + name.replacingHyphens(), value))
            i = k
        }
        return entries
    }

    /// "19951231" → "1995-12-31"; anything else as given.
    static func isoDate(_ value: String) -> String {
        let digits = Array(value.utf8)
        guard digits.count == 8, digits.allSatisfy(ASCII.isDigit) else { return value }
        return "\(value.prefix(4))-\(value.dropFirst(4).prefix(2))-\(value.suffix(2))"
    }

    static func paddedCIK(_ value: String) -> String {
        guard !value.isEmpty, value.utf8.allSatisfy(ASCII.isDigit), value.count < 10 else { return value }
        return String(repeating: "0", count: 10 - value.count) + value
    }

    /// "COMPUTER PERIPHERAL EQUIPMENT, NEC [3577]" → "3577".
    static func sicCode(_ value: String) -> String {
        if let open = value.lastIndex(of: "["), let close = value.lastIndex(of: "]"), open < close {
            return String(value[value.index(after: open)..<close]).trimmingSpaces()
        }
        return value.utf8.allSatisfy(ASCII.isDigit) ? value : ""
    }
}

extension String {
    fileprivate func replacingHyphens() -> String {
        String(decoding: utf8.map { $0 == ASCII.hyphen ? ASCII.space : $0 }, as: UTF8.self)
    }

    /// The string without leading and trailing ASCII whitespace.
    func trimmingSpaces() -> String {
        let bytes = Array(utf8)
        return String(decoding: bytes[bytes.trimmed(0..<bytes.count)], as: UTF8.self)
    }
}
