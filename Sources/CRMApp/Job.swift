import CRMCore
import Foundation

/// Long work that runs off the interface loop: it reports progress, can be
/// cancelled (the core rolls its transaction back) and ends with a message.
/// The loop polls it between keys, so the screen never freezes.
public final class Job: @unchecked Sendable {
    public let title: Localized
    private let lock = NSLock()
    private var _done = 0
    private var _total = 0
    private var _cancelled = false
    private var _outcome: Result<Localized, Error>?

    /// Starts `work` on its own thread. It gets a progress callback that answers
    /// false once the person has cancelled.
    public init(title: Localized, work: @escaping @Sendable (_ progress: @escaping (Int, Int) -> Bool) throws -> Localized) {
        self.title = title
        let thread = Thread { [self] in
            let result = Result { try work { done, total in self.report(done, total) } }
            lock.withLock { _outcome = result }
        }
        thread.stackSize = 4 << 20
        thread.start()
    }

    private func report(_ done: Int, _ total: Int) -> Bool {
        lock.withLock {
            _done = done
            _total = total
            return !_cancelled
        }
    }

    public func cancel() { lock.withLock { _cancelled = true } }
    public var progress: (done: Int, total: Int) { lock.withLock { (_done, _total) } }
    public var isCancelled: Bool { lock.withLock { _cancelled } }
    /// The result, once the work has ended.
    public var outcome: Result<Localized, Error>? { lock.withLock { _outcome } }

    /// Waits for the end (tests and the end of the program).
    public func wait() -> Result<Localized, Error> {
        while true {
            if let outcome { return outcome }
            usleep(2_000)
        }
    }
}
