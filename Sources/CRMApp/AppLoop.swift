import TUIKit

/// What an update asks the loop to do next.
public enum Effect: Sendable, Equatable {
    case none
    case quit
    /// Draw from now on with this theme (every cell is sent again).
    case theme(Theme)
    /// Edit this text in the user's editor; the screen hears the outcome in `edited`.
    case editText(String)
    /// Run this program with the terminal handed over (a file opener); the
    /// screen hears the outcome in `ran`.
    case run([String])
}

/// A full-screen view of the application: state that changes by keys
/// (`update`) and a pure drawing of that state (`render`).
public protocol Screen {
    mutating func update(_ key: Key) -> Effect
    func render(into buffer: inout ScreenBuffer)
    /// The terminal's size, before the first frame and after every resize.
    mutating func resize(width: Int, height: Int)
    /// True while work runs off the loop: the loop then wakes up to redraw.
    var isBusy: Bool { get }
    /// Called when the loop wakes without a key while busy.
    mutating func tick() -> Effect
    /// Called before a frame is drawn, once no key is waiting: the time for work
    /// that a quicker next key would have made useless (a search as one types).
    mutating func settle()
    /// While idle, how often (milliseconds) the loop wakes to call `idle()`; nil: never.
    var pollInterval: Int? { get }
    /// Called when the loop wakes after `pollInterval` without a key.
    mutating func idle() -> Effect
    /// The outcome of an `editText` effect: the edited text, or why the editor failed.
    mutating func edited(_ result: Result<String, ExternalEditor.Failure>)
    /// The outcome of a `run` effect.
    mutating func ran(_ result: Result<Void, ChildProcess.Failure>)
}

extension Screen {
    public mutating func resize(width: Int, height: Int) {}
    public var isBusy: Bool { false }
    public mutating func tick() -> Effect { .none }
    public mutating func settle() {}
    public var pollInterval: Int? { nil }
    public mutating func idle() -> Effect { .none }
    public mutating func edited(_ result: Result<String, ExternalEditor.Failure>) {}
    public mutating func ran(_ result: Result<Void, ChildProcess.Failure>) {}
}

/// The one loop that owns the state: draw a frame, send the terminal only what
/// changed, wait for a key, update, repeat until an update says quit.
public enum AppLoop {
    public static func run<S: Screen>(_ screen: inout S, on terminal: any Terminal) {
        let renderer = Renderer(terminal: terminal)
        var size = (width: -1, height: -1)
        // A key that was already waiting when the last one was handled: it is
        // handled before anything is drawn, so typing never waits for a frame.
        var waiting: Key?
        while true {
            if size != (terminal.width, terminal.height) {
                size = (terminal.width, terminal.height)
                screen.resize(width: size.width, height: size.height)
            }
            if waiting == nil {
                screen.settle()
                var frame = ScreenBuffer(width: terminal.width, height: terminal.height)
                screen.render(into: &frame)
                renderer.render(frame)
            }
            let effect: Effect
            if let key = waiting ?? terminal.readKey(timeoutMilliseconds: screen.isBusy ? 50 : (screen.pollInterval ?? -1)) {
                waiting = nil
                if key == .resize { renderer.invalidate() }
                effect = screen.update(key)
            } else if screen.isBusy {
                effect = screen.tick()
            } else {
                if terminal.isClosed { return }
                effect = screen.idle()
            }
            switch effect {
            case .none: break
            case .quit: return
            case .theme(let theme):
                terminal.setTheme(theme)
                renderer.invalidate()
            case .editText(let text):
                var result: Result<String, ExternalEditor.Failure> = .failure(.init(command: "", detail: ""))
                terminal.suspend {
                    do { result = .success(try ExternalEditor.edit(text)) } catch let failure as ExternalEditor.Failure {
                        result = .failure(failure)
                    } catch {
                        result = .failure(.init(command: ExternalEditor.command(), detail: "\(error)"))
                    }
                }
                renderer.invalidate()
                screen.edited(result)
            case .run(let argv):
                var result: Result<Void, ChildProcess.Failure> = .success(())
                terminal.suspend {
                    do { try ChildProcess.run(argv) } catch let failure as ChildProcess.Failure {
                        result = .failure(failure)
                    } catch {
                        result = .failure(.init(command: argv.joined(separator: " "), detail: "\(error)"))
                    }
                }
                renderer.invalidate()
                screen.ran(result)
            }
            waiting = terminal.readKey(timeoutMilliseconds: 0)
        }
    }
}
