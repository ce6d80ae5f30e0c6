import Foundation

/// The text form of a filter, for the command line (`--where`):
///
///     city = "Cluj-Napoca" and custom.nr_angajati >= 10
///     name ~ stiinta or name ^= "Agro"
///     custom.sursa in ("Târg", Telefon) and created after 2026-01-01
///     email is not empty and custom.client_din between 2020-01-01 .. 2022-12-31
///
/// A criterion is COLUMN OPERATOR VALUE. Columns are the table's ids
/// (`crm export accounts --list-columns`). Operators: `=`, `!=`, `~` or
/// `contains`, `^=` or `starts`, `<`, `>`, `<=`, `>=`, `before`, `after`,
/// `between A .. B`, `in (A, B, …)`, `is empty`, `is not empty`. Values are a
/// word or text in double quotes (`\"` for a quote inside). Criteria join with
/// `and` (all must hold) or `or` (any may) — one kind per filter.
extension Filter {
    public static func parse(_ text: String) throws -> Filter {
        var tokens = try tokenize(text)
        var filter = Filter()
        var joiner: Combine?
        func fail(_ ro: String, _ en: String) -> CoreError {
            CoreError.refused(Localized(ro: "--where: \(ro)", en: "--where: \(en)"))
        }
        func next() -> Token? { tokens.isEmpty ? nil : tokens.removeFirst() }
        func value() throws -> String {
            guard let t = next() else { throw fail("lipsește o valoare la sfârșit", "a value is missing at the end") }
            switch t {
            case .word(let w), .text(let w): return w
            case .symbol(let s): throw fail("așteptam o valoare, nu «\(s)»", "expected a value, not «\(s)»")
            }
        }
        while true {
            guard case .word(let column)? = next() else {
                throw fail("așteptam un nume de coloană (de ex. city, custom.sursa)", "expected a column name (such as city, custom.sursa)")
            }
            guard let opToken = next() else { throw fail("după «\(column)» lipsește operatorul", "an operator is missing after «\(column)»") }
            let criterion: Criterion
            switch opToken {
            case .symbol("="): criterion = Criterion(column, .equals, [try value()])
            case .symbol("!="): criterion = Criterion(column, .notEquals, [try value()])
            case .symbol("~"), .word("contains"), .word("contine"): criterion = Criterion(column, .contains, [try value()])
            case .symbol("^="), .word("starts"): criterion = Criterion(column, .startsWith, [try value()])
            case .symbol(">"): criterion = Criterion(column, .greater, [try value()])
            case .symbol("<"): criterion = Criterion(column, .less, [try value()])
            case .symbol(">="): criterion = Criterion(column, .atLeast, [try value()])
            case .symbol("<="): criterion = Criterion(column, .atMost, [try value()])
            case .word("before"): criterion = Criterion(column, .before, [try value()])
            case .word("after"): criterion = Criterion(column, .after, [try value()])
            case .word("between"):
                let low = try value()
                guard case .symbol("..")? = next() else { throw fail("scrieți between A .. B", "write between A .. B") }
                criterion = Criterion(column, .between, [low, try value()])
            case .word("in"):
                guard case .symbol("(")? = next() else { throw fail("scrieți in (A, B)", "write in (A, B)") }
                var list: [String] = []
                while true {
                    list.append(try value())
                    guard let t = next() else { throw fail("lipsește «)»", "«)» is missing") }
                    if t == .symbol(")") { break }
                    guard t == .symbol(",") else { throw fail("valorile listei se despart prin virgulă", "list values are separated by commas") }
                }
                criterion = Criterion(column, .inList, list)
            case .word("is"):
                if case .word("not")? = tokens.first {
                    _ = next()
                    guard case .word("empty")? = next() else { throw fail("scrieți is not empty", "write is not empty") }
                    criterion = Criterion(column, .notEmpty)
                } else {
                    guard case .word("empty")? = next() else { throw fail("scrieți is empty", "write is empty") }
                    criterion = Criterion(column, .empty)
                }
            default:
                throw fail("operator necunoscut «\(opToken)» după «\(column)»; operatori: = != ~ ^= < > <= >= before after between in is empty",
                            "unknown operator «\(opToken)» after «\(column)»; operators: = != ~ ^= < > <= >= before after between in is empty")
            }
            filter.criteria.append(criterion)
            guard let t = next() else { break }
            let kind: Combine
            switch t {
            case .word("and"), .word("si"), .word("și"): kind = .all
            case .word("or"), .word("sau"): kind = .any
            default: throw fail("după o condiție urmează and sau or, nu «\(t)»", "a criterion is followed by and or or, not «\(t)»")
            }
            if let joiner, joiner != kind {
                throw fail("folosiți fie and, fie or într-un filtru, nu amândouă", "use either and or or in one filter, not both")
            }
            joiner = kind
        }
        filter.combine = joiner ?? .all
        return filter
    }

    enum Token: Equatable, CustomStringConvertible {
        case word(String), text(String), symbol(String)
        var description: String {
            switch self { case .word(let w), .symbol(let w): return w; case .text(let t): return "\"\(t)\"" }
        }
    }

    static func tokenize(_ text: String) throws -> [Token] {
        var out: [Token] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c == "\"" {
                var s = ""
                i += 1
                while i < chars.count && chars[i] != "\"" {
                    if chars[i] == "\\", i + 1 < chars.count { i += 1 }
                    s.append(chars[i])
                    i += 1
                }
                guard i < chars.count else { throw CoreError.refused(Localized(ro: "--where: ghilimele neînchise", en: "--where: an unclosed quote")) }
                i += 1
                out.append(.text(s))
                continue
            }
            let two = i + 1 < chars.count ? String(chars[i...(i + 1)]) : ""
            if ["!=", ">=", "<=", "^=", ".."].contains(two) { out.append(.symbol(two)); i += 2; continue }
            if "=~<>(),".contains(c) { out.append(.symbol(String(c))); i += 1; continue }
            var w = ""
            while i < chars.count, !chars[i].isWhitespace, !"=~<>(),\"!^".contains(chars[i]),
                  !(chars[i] == "." && i + 1 < chars.count && chars[i + 1] == ".") {
                w.append(chars[i])
                i += 1
            }
            guard !w.isEmpty else { throw CoreError.refused(Localized(ro: "--where: nu înțeleg «\(c)»", en: "--where: cannot read «\(c)»")) }
            out.append(.word(w))
        }
        return out
    }
}
