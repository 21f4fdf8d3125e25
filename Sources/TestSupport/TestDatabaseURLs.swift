import Foundation

// The test cluster's two roles (scripts/with-test-postgres.sh): DATABASE_URL logs in as the request role,
// DATABASE_OWNER_URL as the owner, which creates databases, migrates them and grants the request role.
// Without DATABASE_OWNER_URL one role does everything, as before.

/// The owner's URL of the shared test database: `DATABASE_OWNER_URL`, or `DATABASE_URL` with one role.
public func testDatabaseOwnerURL() -> String? {
    if let url = ProcessInfo.processInfo.environment["DATABASE_OWNER_URL"], !url.isEmpty { return url }
    return testDatabaseURL()
}

/// The request role named by `DATABASE_APP_ROLE`; nil: the role `DATABASE_URL` logs in as.
public func testDatabaseAppRole() -> String? {
    guard let role = ProcessInfo.processInfo.environment["DATABASE_APP_ROLE"], !role.isEmpty else { return nil }
    return role
}

/// The owner's URL for the database `url` names, as `DatabaseRoles.migrate` takes it. nil (one role: `url`
/// migrates itself) without `DATABASE_OWNER_URL`, or when `url` is not `DATABASE_URL` or a database next to
/// it (a private cluster of its own, as the postgres superuser).
public func testOwnerURL(forDatabaseOf url: String) -> String? {
    guard let owner = ProcessInfo.processInfo.environment["DATABASE_OWNER_URL"], !owner.isEmpty,
        let shared = testDatabaseURL()
    else { return nil }
    let name = databaseName(of: url)
    guard databaseURL(shared, database: name) == url else { return nil }
    return databaseURL(owner, database: name)
}

/// `url` naming database `name` instead (its query, if any, kept).
public func databaseURL(_ url: String, database name: String) -> String {
    guard let slash = url.lastIndex(of: "/") else { return url }
    let rest = url[url.index(after: slash)...]
    let query = rest.firstIndex(of: "?").map { String(rest[$0...]) } ?? ""
    return String(url[...slash]) + name + query
}

/// The database a URL names.
public func databaseName(of url: String) -> String {
    guard let slash = url.lastIndex(of: "/") else { return "" }
    let rest = url[url.index(after: slash)...]
    return String(rest.prefix { $0 != "?" })
}
