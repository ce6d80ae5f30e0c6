import CRMStore
import CRMText
import Foundation

/// A filter (ACC-5): criteria on any column of a table, all of which (or any of
/// which) must hold. The same filter drives the table, its counts and exports.
public struct Filter: Codable, Sendable, Equatable {
    public enum Combine: String, Codable, Sendable, CaseIterable { case all, any }

    public var combine: Combine
    public var criteria: [Criterion]

    public init(combine: Combine = .all, criteria: [Criterion] = []) {
        self.combine = combine
        self.criteria = criteria
    }
}

/// One condition on one column.
public struct Criterion: Codable, Sendable, Equatable {
    public enum Op: String, Codable, Sendable, CaseIterable {
        case equals, notEquals, contains, startsWith, greater, less, atLeast, atMost, between, before, after
        case empty, notEmpty, inList

        /// How many values the condition takes (-1: one or more).
        public var arity: Int {
            switch self {
            case .empty, .notEmpty: return 0
            case .between: return 2
            case .inList: return -1
            default: return 1
            }
        }

        public var label: Localized {
            switch self {
            case .equals: return .init(ro: "este egal cu", en: "equals")
            case .notEquals: return .init(ro: "este diferit de", en: "is not")
            case .contains: return .init(ro: "conține", en: "contains")
            case .startsWith: return .init(ro: "începe cu", en: "starts with")
            case .greater: return .init(ro: "mai mare decât", en: "greater than")
            case .less: return .init(ro: "mai mic decât", en: "less than")
            case .atLeast: return .init(ro: "cel puțin", en: "at least")
            case .atMost: return .init(ro: "cel mult", en: "at most")
            case .between: return .init(ro: "între", en: "between")
            case .before: return .init(ro: "înainte de", en: "before")
            case .after: return .init(ro: "după", en: "after")
            case .empty: return .init(ro: "este gol", en: "is empty")
            case .notEmpty: return .init(ro: "nu este gol", en: "is not empty")
            case .inList: return .init(ro: "este unul dintre", en: "is one of")
            }
        }
    }

    public var column: String
    public var op: Op
    public var values: [String]

    public init(_ column: String, _ op: Op, _ values: [String] = []) {
        self.column = column
        self.op = op
        self.values = values
    }
}

extension Filter {
    /// The filter as SQL over the account row, checked against the columns: an
    /// unknown column, a missing value or a value of the wrong type is an
    /// invalid filter, named in the message.
    public func sql<Row, Order>(columns: [TableColumn<Row, Order>]) throws -> SQLCondition? {
        guard !criteria.isEmpty else { return nil }
        var parts: [String] = []
        var args: [Value] = []
        var issues: [ValidationIssue] = []
        for (n, c) in criteria.enumerated() {
            let field = "criteria[\(n + 1)]"
            guard let column = columns.first(where: { $0.id == c.column }) else {
                issues.append(.init(field: field, value: c.column, reason: .invalidChoice(allowed: columns.map(\.id))))
                continue
            }
            do {
                let (sql, values) = try c.compile(column)
                parts.append(sql)
                args += values
            } catch let issue as ValidationIssue {
                issues.append(issue)
            }
        }
        guard issues.isEmpty else { throw CoreError.invalid(issues) }
        return SQLCondition(parts.map { "(\($0))" }.joined(separator: combine == .all ? " AND " : " OR "), args)
    }

    /// A short text for the footer: "Oraș conține cluj și Sursă este egal cu Târg".
    public func summary<Row, Order>(columns: [TableColumn<Row, Order>], language: Language) -> String {
        let joiner = combine == .all ? Localized(ro: " și ", en: " and ") : Localized(ro: " sau ", en: " or ")
        return criteria.map { c in
            let label = columns.first { $0.id == c.column }?.label.text(language) ?? c.column
            let values = c.values.map { "«\($0)»" }.joined(separator: c.op == .between ? Localized(ro: " și ", en: " and ").text(language) : ", ")
            return [label, c.op.label.text(language), values].filter { !$0.isEmpty }.joined(separator: " ")
        }.joined(separator: joiner.text(language))
    }
}

extension ValidationIssue: Error {}

extension Criterion {
    /// The SQL of one criterion. Text compares without diacritics or case; a
    /// number, money or date compares as one; yes/no as 1 or 0.
    func compile<Row, Order>(_ column: TableColumn<Row, Order>) throws -> (String, [Value]) {
        let field = column.id
        let needed = op.arity
        if needed >= 0 && values.count != needed || needed < 0 && values.isEmpty {
            throw ValidationIssue(field: field, value: values.joined(separator: ", "), reason: .required)
        }
        let raw = column.filterSQL
        if op == .empty { return ("\(raw) IS NULL OR \(raw) = ''", []) }
        if op == .notEmpty { return ("\(raw) IS NOT NULL AND \(raw) <> ''", []) }
        switch column.type {
        case .number, .money:
            let numbers = try values.map { v -> Value in
                guard let d = FieldRules.decimal(v) else { throw ValidationIssue(field: field, value: v, reason: .invalidNumber) }
                let scaled = column.type == .money ? d * 100 : d
                return .real(NSDecimalNumber(decimal: scaled).doubleValue)
            }
            return try comparison("CAST(\(raw) AS REAL)", numbers, text: false)
        case .date:
            let days = try values.map { v -> Value in
                guard let iso = FieldRules.date(v) else { throw ValidationIssue(field: field, value: v, reason: .invalidDate) }
                return .text(iso)
            }
            return try comparison(raw, days, text: false)
        case .bool:
            let flags = try values.map { v -> Value in
                guard let b = FieldRules.bool(v) else { throw ValidationIssue(field: field, value: v, reason: .invalidBool) }
                return .int(b ? 1 : 0)
            }
            return try comparison("ifnull(\(raw), 0)", flags, text: false)
        case .text, .choice:
            return try comparison("crm_fold(\(raw))", values.map { .text(Fold.key($0)) }, text: true)
        }
    }

    private func comparison(_ expr: String, _ values: [Value], text: Bool) throws -> (String, [Value]) {
        func like(_ v: Value, prefix: Bool) -> Value {
            let s = (v.text ?? "").replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_")
            return .text((prefix ? "" : "%") + s + "%")
        }
        switch op {
        case .equals: return ("\(expr) = ?", values)
        case .notEquals: return ("\(expr) IS NOT ?", values)
        case .contains:
            guard text else { throw ValidationIssue(field: column, value: op.rawValue, reason: .invalidChoice(allowed: ["=", "<", ">"])) }
            return ("\(expr) LIKE ? ESCAPE '\\'", [like(values[0], prefix: false)])
        case .startsWith:
            guard text else { throw ValidationIssue(field: column, value: op.rawValue, reason: .invalidChoice(allowed: ["=", "<", ">"])) }
            return ("\(expr) LIKE ? ESCAPE '\\'", [like(values[0], prefix: true)])
        case .greater, .after: return ("\(expr) > ?", values)
        case .less, .before: return ("\(expr) < ?", values)
        case .atLeast: return ("\(expr) >= ?", values)
        case .atMost: return ("\(expr) <= ?", values)
        case .between: return ("\(expr) BETWEEN ? AND ?", values)
        case .inList: return ("\(expr) IN (\(values.map { _ in "?" }.joined(separator: ", ")))", values)
        case .empty, .notEmpty: return ("1", [])
        }
    }
}
