import GRDB

extension Writer {
    /// Notes a failed sign-in (the login as typed, where from).
    public func recordSignInFailure(login: String, source: String?) throws {
        try db.execute(sql: "INSERT INTO sign_in_failure (at, login, source) VALUES (?, ?, ?)", arguments: [now, login, source])
    }
}

extension Reader {
    /// How many sign-ins with this login failed since a moment (milliseconds).
    public func signInFailures(login: String, since: Int64) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM sign_in_failure WHERE login = ? AND at >= ?"),
                         arguments: [login, since]) ?? 0
    }
}

extension Store {
    /// The store's clock (milliseconds since 1970).
    public var now: Int64 { clock() }
}

extension Reader {
    /// A number that changes when another connection commits to the file
    /// (`PRAGMA data_version`): what an open screen polls to see others' changes.
    public func dataVersion() throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
    }
}
