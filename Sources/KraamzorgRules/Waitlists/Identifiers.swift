/// Identifiers are the store's UUID strings; the rules only compare them.
public typealias RegionID = String
public typealias WaitlistID = String
public typealias OrganisationID = String
public typealias ClientID = String
