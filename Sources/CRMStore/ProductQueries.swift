import GRDB

/// The order of the catalogue: a column and a direction, ties broken by id.
/// Names sort the Romanian way (their stored key), codes without case, prices
/// as numbers, each through its index.
public struct ProductOrder: Sendable, Hashable {
    public enum Column: String, Sendable, CaseIterable { case name, code, price }

    public var column: Column
    public var descending: Bool

    public init(_ column: Column = .name, descending: Bool = false) {
        self.column = column
        self.descending = descending
    }

    public static let byName = ProductOrder()

    var expression: String {
        switch column {
        case .name: return "p.name_key"
        case .code: return "lower(p.code)"
        case .price: return "p.price"
        }
    }

    public func value(of p: ProductRecord) -> Value {
        switch column {
        case .name: return .text(p.nameKey)
        case .code: return .text(p.code.lowercased())
        case .price: return .int(p.price)
        }
    }

    public func cursor(_ p: ProductRecord) -> PageCursor { PageCursor(value: value(of: p), id: p.meta?.id ?? 0) }
}

/// Which products a list shows.
public struct ProductQuery: Sendable, Equatable {
    /// Folded words that must all be in the code, the name or the description.
    public var words: [String]
    /// Only this category ("" for those without one).
    public var category: String?
    /// Further conditions over the `p` row (a filter as the core compiles it).
    public var conditions: [SQLCondition]

    public init(words: [String] = [], category: String? = nil, conditions: [SQLCondition] = []) {
        self.words = words
        self.category = category
        self.conditions = conditions
    }
}

extension Reader {
    private func productConditions(_ query: ProductQuery) -> ([String], [Value]) {
        var conditions: [String] = []
        var args: [Value] = []
        for word in query.words {
            conditions.append("""
                (crm_fold(p.name) LIKE ? ESCAPE '\\' OR crm_fold(p.code) LIKE ? ESCAPE '\\' \
                OR crm_fold(coalesce(p.description, '')) LIKE ? ESCAPE '\\')
                """)
            let pattern = Self.contains(word)
            args += [pattern, pattern, pattern]
        }
        if let category = query.category {
            conditions.append(category.isEmpty ? "p.category IS NULL" : "p.category = ?")
            if !category.isEmpty { args.append(.text(category)) }
        }
        for c in query.conditions {
            conditions.append("(" + c.sql + ")")
            args += c.args
        }
        return (conditions, args)
    }

    /// A keyset page of the products a query selects, in an order; the rows come
    /// in the list's order whichever way the page was read.
    public func productsPage(_ query: ProductQuery, at position: PagePosition = .first, limit: Int,
                             order: ProductOrder = .byName) throws -> [ProductRecord] {
        var (conditions, args) = productConditions(query)
        let key = order.expression
        let start = KeysetStart(position, key: key, id: "p.id", descending: order.descending)
        if let condition = start.condition { conditions.append(condition); args += start.args }
        let direction = start.direction(descending: order.descending)
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT p.* FROM product p\(clause) ORDER BY \(key) \(direction), p.id \(direction)" + (limit > 0 ? " LIMIT \(limit)" : "")
        let rows = try fetchRecords(ProductRecord.self, sql: sql, args)
        return start.backwards ? rows.reversed() : rows
    }

    /// Streams the products a query selects as the values of SQL expressions
    /// over the `p` row: the export path. `body` returns false to stop.
    public func forEachProductRow(_ query: ProductQuery, order: ProductOrder, select expressions: [String],
                                  _ body: ([Value]) throws -> Bool) throws {
        let (conditions, args) = productConditions(query)
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let direction = order.descending ? "DESC" : "ASC"
        let sql = "SELECT \(expressions.joined(separator: ", ")) FROM product p\(clause) ORDER BY \(order.expression) \(direction), p.id \(direction)"
        try streamRows(sql, args, columns: expressions.count, body)
    }

    /// How many products a query selects (with `cap`: no further).
    public func countProducts(_ query: ProductQuery, cap: Int? = nil) throws -> Int {
        let (conditions, args) = productConditions(query)
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM product p\(clause)\(cap.map { " LIMIT \($0)" } ?? ""))",
                                arguments: arguments(args)) ?? 0
    }

    /// The categories in use with how many products each has ("" for none), by name.
    public func productCategories() throws -> [(name: String, count: Int)] {
        try Row.fetchAll(db, sql: "SELECT ifnull(category, ''), count(*) FROM product GROUP BY category ORDER BY category")
            .map { ($0[0], $0[1]) }
    }

    /// The product with this code, case aside.
    public func product(code: String) throws -> ProductRecord? {
        try fetchFirst(ProductRecord.self, sql: "SELECT * FROM product WHERE lower(code) = lower(?)", [.text(code)])
    }
}
