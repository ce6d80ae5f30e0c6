/// Why a database file could not be used. Each case names the file and what to do.
public enum StoreError: Error, Equatable, Sendable {
    case notFound(path: String)
    case notADatabase(path: String)
    case notCRMDatabase(path: String)
    case corrupt(path: String, detail: String)
    case newerSchema(path: String, found: Int, known: Int)
    case cannotOpen(path: String, detail: String)
    /// A row changed in another session since it was read.
    case staleVersion(entity: String, id: Int64, expected: Int64, found: Int64)
    case rowNotFound(entity: String, id: Int64)
    /// A schema rule refused the write (unique, foreign key, check).
    case constraint(detail: String)
    case sqlite(detail: String)
    /// An undo asked for an operation undone already (by operation `by`).
    case alreadyUndone(operation: Int64, by: Int64)
    /// An undo refused: a later operation changed one of the same rows.
    case changedSince(operation: Int64, entity: String, rowID: Int64, by: Int64)
}
