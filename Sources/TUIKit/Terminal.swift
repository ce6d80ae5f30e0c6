/// What the screen is drawn on: the ncurses backend in the program, an in-memory
/// terminal in tests.
public protocol Terminal: AnyObject {
    var width: Int { get }
    var height: Int { get }
    /// Writes the changed runs; nothing reaches the screen before `flush`.
    func draw(_ runs: [Run])
    func flush()
    /// The next key, or nil if none came within `timeoutMilliseconds` (−1: wait).
    func readKey(timeoutMilliseconds: Int) -> Key?
    /// True once no key can come any more (an in-memory terminal whose keys ran out).
    var isClosed: Bool { get }
    /// Draws with another theme from the next frame on.
    func setTheme(_ theme: Theme)
    /// Gives the screen to another program while `body` runs (an editor), then
    /// takes it back; the next frame is drawn whole.
    func suspend(_ body: () -> Void)
}

extension Terminal {
    public func setTheme(_ theme: Theme) {}
    public func suspend(_ body: () -> Void) { body() }
}

/// Keeps the last frame and sends a terminal only the difference.
public final class Renderer {
    public let terminal: any Terminal
    private var previous: ScreenBuffer?

    public init(terminal: any Terminal) { self.terminal = terminal }

    /// Draws a frame; returns the runs that were sent.
    @discardableResult
    public func render(_ frame: ScreenBuffer) -> [Run] {
        let runs = frame.diff(from: previous)
        if !runs.isEmpty {
            terminal.draw(runs)
            terminal.flush()
        }
        previous = frame
        return runs
    }

    /// Forgets the last frame (after a resize or a redraw request).
    public func invalidate() { previous = nil }
}

/// A terminal in memory: what was drawn, and keys queued by a test.
public final class MemoryTerminal: Terminal {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var screen: ScreenBuffer
    public private(set) var drawnCells = 0
    public var keys: [Key] = []

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
        screen = ScreenBuffer(width: width, height: height)
    }

    public func draw(_ runs: [Run]) {
        for run in runs {
            for (offset, cell) in run.cells.enumerated() where run.x + offset < width {
                screen[run.x + offset, run.y] = cell
            }
            drawnCells += run.cells.count
        }
    }

    public func flush() {}

    /// When true, queued keys count as already typed (a fast typist, a paste):
    /// a look for a waiting key finds them. When false, every key arrives after
    /// the frame before it was drawn.
    public var typeAhead = false

    public func readKey(timeoutMilliseconds: Int) -> Key? {
        if timeoutMilliseconds == 0 && !typeAhead { return nil }
        return keys.isEmpty ? nil : keys.removeFirst()
    }

    /// Closed once the queued keys have run out (the loop still waits for a
    /// background job to end).
    public var isClosed: Bool { keys.isEmpty }
    public private(set) var theme: Theme?

    public func setTheme(_ theme: Theme) { self.theme = theme }

    public func resize(width: Int, height: Int) {
        self.width = width
        self.height = height
        screen = ScreenBuffer(width: width, height: height)
        keys.append(.resize)
    }
}
