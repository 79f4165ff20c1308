/// The release of this checkout: the server, the client library and the CLI share it.
public enum Release {
    /// The version, `MAJOR.MINOR.PATCH`.
    public static let version = "0.1.0"
}
