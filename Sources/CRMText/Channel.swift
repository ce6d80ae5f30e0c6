import Foundation

/// A bounded hand-over between two threads: `put` waits while the channel is full,
/// `take` waits while it is empty and returns nil once it is finished and drained.
/// Cancelling wakes both sides and makes `put` return false.
public final class Channel<T: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [T] = []
    private var finished = false
    private var cancelled = false
    private let capacity: Int

    public init(capacity: Int) { self.capacity = capacity }

    public func put(_ item: T) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    public func take() -> T? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !finished && !cancelled { condition.wait() }
        if items.isEmpty { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    public func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

/// A value one thread sets and another reads.
public final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    public init(_ value: T) { stored = value }
    public func set(_ value: T) { lock.withLock { stored = value } }
    public var value: T { lock.withLock { stored } }
}

/// Work on a thread of its own that hands its results over a bounded channel:
/// the consumer takes them in order with `next()`, and after the last one the
/// producer's failure, if it failed. `stop()` cancels the producer (its next
/// `put` answers false, so it should return) and waits until it has.
public final class Producer<T: Sendable>: @unchecked Sendable {
    private let channel: Channel<T>
    private let failure = LockedBox<Error?>(nil)
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var stopped = false

    public init(capacity: Int, _ body: @escaping @Sendable (_ put: (T) -> Bool) throws -> Void) {
        let channel = Channel<T>(capacity: capacity)
        self.channel = channel
        let (failure, done) = (self.failure, self.done)
        let thread = Thread {
            do {
                try body { channel.put($0) }
            } catch {
                failure.set(error)
            }
            channel.finish()
            done.signal()
        }
        thread.stackSize = 4 << 20
        thread.start()
    }

    deinit { stop() }

    /// The next result; nil at the end, or the producer's failure.
    public func next() throws -> T? {
        if let item = channel.take() { return item }
        if let error = failure.value { throw error }
        return nil
    }

    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        channel.cancel()
        done.wait()
    }
}
