import CRMStore

/// The rows a table shows — one screen of a keyset-paged list — and the
/// selected one. Moving past either end reads the next row or page from where
/// the window stops, so moving through a million rows costs the same as
/// through ten. `fetch` reads rows at a position; `cursor` says where a row is.
struct KeysetWindow<Row: Sendable>: Sendable {
    var rows: [Row] = []
    var selected = 0

    typealias Fetch = (PagePosition, Int) throws -> [Row]

    var current: Row? { rows.indices.contains(selected) ? rows[selected] : nil }

    /// Moves the selection by `delta` rows (Int.min, Int.max: the first, the last).
    mutating func move(_ delta: Int, height: Int, fetch: Fetch, cursor: (Row) -> PageCursor) throws {
        switch delta {
        case Int.min: try load(.first, height: height, fetch: fetch, cursor: cursor); selected = 0
        case Int.max: try load(.last, height: height, fetch: fetch, cursor: cursor); selected = max(0, rows.count - 1)
        case let n where n >= height: try pageDown(height: height, fetch: fetch, cursor: cursor)
        case let n where n <= -height: try pageUp(height: height, fetch: fetch, cursor: cursor)
        case let n where n > 0: for _ in 0..<n { try down(height: height, fetch: fetch, cursor: cursor) }
        default: for _ in 0..<(-delta) { try up(height: height, fetch: fetch, cursor: cursor) }
        }
    }

    mutating func down(height: Int, fetch: Fetch, cursor: (Row) -> PageCursor) throws {
        if selected < rows.count - 1 { selected += 1; return }
        guard let last = rows.last, let next = try fetch(.after(cursor(last)), 1).first else { return }
        rows.append(next)
        if rows.count > height { rows.removeFirst() }
        selected = rows.count - 1
    }

    mutating func up(height: Int, fetch: Fetch, cursor: (Row) -> PageCursor) throws {
        if selected > 0 { selected -= 1; return }
        guard let first = rows.first, let previous = try fetch(.before(cursor(first)), 1).first else { return }
        rows.insert(previous, at: 0)
        if rows.count > height { rows.removeLast() }
        selected = 0
    }

    mutating func pageDown(height: Int, fetch: Fetch, cursor: (Row) -> PageCursor) throws {
        guard let last = rows.last else { return }
        let more = try fetch(.after(cursor(last)), height)
        if more.isEmpty { selected = max(0, rows.count - 1); return }
        rows = Array((rows + more).suffix(height))
        selected = min(selected, rows.count - 1)
    }

    mutating func pageUp(height: Int, fetch: Fetch, cursor: (Row) -> PageCursor) throws {
        guard let first = rows.first else { return }
        let more = try fetch(.before(cursor(first)), height)
        if more.isEmpty { selected = 0; return }
        rows = Array((more + rows).prefix(height))
    }

    /// Loads the page at a position. A page that starts at a row near the end
    /// is filled from above, so the screen never shows a short page when more
    /// rows exist.
    mutating func load(_ position: PagePosition, height: Int, fetch: Fetch, cursor: (Row) -> PageCursor) throws {
        rows = try fetch(position, height)
        if rows.count < height, let first = rows.first {
            switch position {
            case .from, .after:
                let above = try fetch(.before(cursor(first)), height - rows.count)
                rows = above + rows
                selected += above.count
            default: break
            }
        }
        selected = min(selected, max(0, rows.count - 1))
    }
}
