import TUIKit

/// What an update asks the loop to do next.
public enum Effect: Sendable, Equatable {
    case none
    case quit
}

/// A full-screen view of the application: state that changes by keys
/// (`update`) and a pure drawing of that state (`render`).
public protocol Screen {
    mutating func update(_ key: Key) -> Effect
    func render(into buffer: inout ScreenBuffer)
    /// The terminal's size, before the first frame and after every resize.
    mutating func resize(width: Int, height: Int)
}

extension Screen {
    public mutating func resize(width: Int, height: Int) {}
}

/// The one loop that owns the state: draw a frame, send the terminal only what
/// changed, wait for a key, update, repeat until an update says quit.
public enum AppLoop {
    public static func run<S: Screen>(_ screen: inout S, on terminal: any Terminal) {
        let renderer = Renderer(terminal: terminal)
        var size = (width: -1, height: -1)
        while true {
            if size != (terminal.width, terminal.height) {
                size = (terminal.width, terminal.height)
                screen.resize(width: size.width, height: size.height)
            }
            var frame = ScreenBuffer(width: terminal.width, height: terminal.height)
            screen.render(into: &frame)
            renderer.render(frame)
            guard let key = terminal.readKey(timeoutMilliseconds: -1) else {
                if terminal.isClosed { return }
                continue
            }
            if key == .resize { renderer.invalidate() }
            if screen.update(key) == .quit { return }
        }
    }
}
