public import FilingsCore

extension ParsedFiling {
    /// What an older parser might have made of this filing's bytes: `other`'s facts (another filing's title, text,
    /// names, keys and date) under this filing's identity (SHA-256 and length), stamped with `version`. Stored
    /// with the right raw bytes, it is a filing whose facts a Reparse must replace.
    public func asIfParsed(by version: String, factsOf other: ParsedFiling) -> ParsedFiling {
        var old = other
        old.sha256 = sha256
        old.byteLength = byteLength
        old.parserVersion = version
        return old
    }
}
