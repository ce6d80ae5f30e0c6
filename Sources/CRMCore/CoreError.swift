import CRMStore

/// Everything a core operation can refuse, with a message that says what is wrong,
/// where, and how to fix it, in both languages.
public enum CoreError: Error, Sendable, Equatable {
    case invalid([ValidationIssue])
    case notFound(what: Localized, ref: String)
    case ambiguous(what: Localized, ref: String, candidates: [String])
    case refused(Localized)
    case store(StoreError)
    /// The person stopped a long operation; nothing of it was kept.
    case cancelled
    /// An import refused because of these rows; nothing was imported.
    case importRefused([ImportReport.Rejected])

    public func message(_ lang: Language) -> String {
        switch self {
        case .invalid(let issues):
            return issues.map { $0.message(lang) }.joined(separator: "\n")
        case .notFound(let what, let ref):
            return Localized(ro: "\(what.ro) «\(ref)» nu există", en: "\(what.en) «\(ref)» not found").text(lang)
        case .ambiguous(let what, let ref, let candidates):
            return Localized(
                ro: "«\(ref)» se potrivește cu mai multe: \(what.ro) \(candidates.joined(separator: "; ")); folosiți codul sau UUID-ul",
                en: "«\(ref)» matches several: \(what.en) \(candidates.joined(separator: "; ")); use the code or the UUID"
            ).text(lang)
        case .cancelled:
            return Localized(ro: "operațiune anulată; nu s-a schimbat nimic", en: "cancelled; nothing was changed").text(lang)
        case .importRefused(let rows):
            let head = Localized(ro: "\(rows.count) rânduri greșite; nu s-a importat nimic (--skip-invalid importă restul):",
                                 en: "\(rows.count) bad rows; nothing was imported (--skip-invalid imports the rest):").text(lang)
            let lines = rows.flatMap { row in
                row.problems.map { Localized(ro: "rândul \(row.line): ", en: "row \(row.line): ").text(lang) + $0.message(lang) }
            }
            return ([head] + lines).joined(separator: "\n")
        case .refused(let text):
            return text.text(lang)
        case .store(let e):
            return CoreError.storeMessage(e).text(lang)
        }
    }

    static func storeMessage(_ e: StoreError) -> Localized {
        switch e {
        case .notFound(let p):
            return .init(ro: "baza de date \(p) nu există; creați-o cu `crm init` (sau `crm demo`) ori dați alta cu --db",
                         en: "database \(p) does not exist; create it with `crm init` (or `crm demo`) or pass another with --db")
        case .notADatabase(let p):
            return .init(ro: "\(p) nu este o bază de date SQLite; verificați calea dată cu --db sau $CRM_DB",
                         en: "\(p) is not an SQLite database; check the path given with --db or $CRM_DB")
        case .notCRMDatabase(let p):
            return .init(ro: "\(p) este o bază SQLite, dar nu a programului crm; nu a fost modificată",
                         en: "\(p) is an SQLite database but not a crm one; it was left untouched")
        case .corrupt(let p, let d):
            return .init(ro: "\(p) este deteriorată (\(d)); restaurați o copie de siguranță",
                         en: "\(p) is damaged (\(d)); restore a backup")
        case .newerSchema(let p, let found, let known):
            return .init(ro: "\(p) are schema v\(found), mai nouă decât v\(known) cunoscută de acest program; actualizați crm (fișierul nu a fost modificat)",
                         en: "\(p) has schema v\(found), newer than the v\(known) this program knows; upgrade crm (the file was left untouched)")
        case .cannotOpen(let p, let d):
            return .init(ro: "nu pot deschide \(p): \(d)", en: "cannot open \(p): \(d)")
        case .staleVersion(let entity, let id, _, _):
            return .init(ro: "înregistrarea \(entity) #\(id) a fost modificată între timp de altcineva; reîncărcați și reîncercați",
                         en: "\(entity) #\(id) was changed by someone else meanwhile; reload and try again")
        case .rowNotFound(let entity, let id):
            return .init(ro: "înregistrarea \(entity) #\(id) nu mai există", en: "\(entity) #\(id) no longer exists")
        case .constraint(let d):
            return .init(ro: "regulă a bazei de date încălcată: \(d)", en: "a database rule refused the change: \(d)")
        case .sqlite(let d):
            return .init(ro: "eroare SQLite: \(d)", en: "SQLite error: \(d)")
        case .alreadyUndone(let op, let by):
            return .init(ro: "operațiunea #\(op) a fost deja anulată (de operațiunea #\(by))",
                         en: "operation #\(op) was undone already (by operation #\(by))")
        case .changedSince(let op, let entity, let id, let by):
            return .init(ro: "operațiunea #\(op) nu se mai poate anula: \(entity) #\(id) a fost modificat după ea (operațiunea #\(by)); nu s-a schimbat nimic",
                         en: "operation #\(op) can no longer be undone: \(entity) #\(id) changed after it (operation #\(by)); nothing was changed")
        }
    }
}

/// Runs a store call and reports its failures as core errors.
public func storeCall<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as StoreError {
        throw CoreError.store(e)
    }
}
