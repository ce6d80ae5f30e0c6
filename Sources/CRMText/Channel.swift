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
