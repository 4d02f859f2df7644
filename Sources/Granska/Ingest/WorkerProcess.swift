import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A worker process cannot be started (or does not take input): the run cannot go on.
public struct WorkerStartError: Error, CustomStringConvertible, Sendable {
    public var executable: String
    public var reason: String
    public var description: String { "\(executable): cannot start a worker: \(reason)" }
}

/// How a worker process ended.
struct WorkerExit: Sendable, CustomStringConvertible {
    /// The exit status, when it exited.
    var status: Int32?
    /// The signal that killed it, when it was killed.
    var signal: Int32?

    /// Killed by a signal that stops programs from outside (Ctrl-C, `kill`, a scheduler
    /// cancelling the job), not by anything the document did.
    var wasInterrupted: Bool {
        guard let signal else { return false }
        return [SIGINT, SIGTERM, SIGHUP, SIGQUIT].contains(signal)
    }

    var description: String {
        if let signal {
            return "worker was killed by signal \(signal) (\(String(cString: strsignal(signal))))"
        }
        if let status { return "worker exited with status \(status)" }
        return "worker had already exited"
    }
}

/// One `granska worker` child process, spoken to through two pipes: a path per line in,
/// a JSON result per line out. Its standard error goes to /dev/null (poppler is chatty
/// about damaged files).
///
/// Owned and used by one thread at a time (a worker slot); not shared.
final class WorkerProcess {
    /// What waiting for a reply produced.
    enum Reply {
        case line(Data)
        /// No complete line within the time limit.
        case timedOut
        /// The worker closed its output: it crashed or exited.
        case exited(WorkerExit)
    }

    let pid: pid_t
    private let input: Int32
    private let output: Int32
    private var pending = Data()
    /// The read buffer, allocated once.
    private let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
    private var isReaped = false
    /// Documents sent to this process so far.
    private(set) var documentCount = 0

    /// Starts `executable arguments...` with pipes for standard input and output.
    init(executable: String, arguments: [String]) throws {
        // Pipes and spawns are serialised, so no other worker inherits these pipe ends in
        // the moment before they are marked close-on-exec.
        WorkerProcess.spawnLock.lock()
        defer { WorkerProcess.spawnLock.unlock() }
        var toChild: [Int32] = [-1, -1]
        var fromChild: [Int32] = [-1, -1]
        guard pipe(&toChild) == 0 else { throw WorkerProcess.pipeError(executable) }
        guard pipe(&fromChild) == 0 else {
            close(toChild[0])
            close(toChild[1])
            throw WorkerProcess.pipeError(executable)
        }
        for descriptor in toChild + fromChild { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

        let argv: [UnsafeMutablePointer<CChar>?] =
            ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { for pointer in envp { free(pointer) } }

        var childPID: pid_t = 0
        let status = posix_spawn(&childPID, executable, &actions, nil, argv, envp)
        close(toChild[0])
        close(fromChild[1])
        guard status == 0 else {
            close(toChild[1])
            close(fromChild[0])
            throw WorkerStartError(
                executable: executable, reason: String(cString: strerror(status)))
        }
        pid = childPID
        input = toChild[1]
        output = fromChild[0]
    }

    private static let spawnLock = NSLock()

    private static func pipeError(_ executable: String) -> WorkerStartError {
        WorkerStartError(
            executable: executable, reason: "pipe: \(String(cString: strerror(errno)))")
    }

    deinit {
        kill()
        closeInput()
        close(output)
        chunk.deallocate()
    }

    private var isInputOpen = true

    private func closeInput() {
        if isInputOpen { close(input) }
        isInputOpen = false
    }

    /// Sends one path; false when the worker is gone (broken pipe).
    func send(path: String) -> Bool {
        documentCount += 1
        var line: String
        if path.contains("\n") || path.hasPrefix("\"") {
            let encoded = (try? JSONEncoder().encode(path)).map {
                String(decoding: $0, as: UTF8.self)
            }
            line = encoded ?? path
        } else {
            line = path
        }
        line += "\n"
        var bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                write(input, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        bytes.removeAll()
        return true
    }

    /// Waits until `deadline` for the next reply line.
    func receive(until deadline: Date) -> Reply {
        // Work on a local copy (no exclusivity checks per byte), searching only new bytes.
        var buffer = pending
        pending = Data()
        var scanned = 0
        defer { pending = buffer }
        while true {
            let newline = buffer.withUnsafeBytes { bytes -> Int? in
                guard bytes.count > scanned, let base = bytes.baseAddress else { return nil }
                guard let hit = memchr(base + scanned, 0x0A, bytes.count - scanned) else {
                    return nil
                }
                return base.distance(to: UnsafeRawPointer(hit))
            }
            if let newline {
                let line = buffer.prefix(newline)
                buffer = Data(buffer.dropFirst(newline + 1))
                return .line(Data(line))
            }
            scanned = buffer.count
            // Past the deadline, bytes already waiting in the pipe are still taken (the slot
            // may have been busy), but no more waiting.
            let remaining = max(0, deadline.timeIntervalSinceNow)
            var descriptor = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining * 1000, 60_000).rounded(.up)))
            if ready < 0 {
                if errno == EINTR { continue }
                return .exited(reap())
            }
            if ready == 0 {
                if remaining <= 0 { return .timedOut }
                continue
            }
            let count = read(output, chunk.baseAddress, chunk.count)
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .exited(reap())
            }
            if count == 0 { return .exited(reap()) }
            buffer.append(chunk.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count)
        }
    }

    /// Kills the worker (SIGKILL) and reaps it.
    func kill() {
        guard !isReaped else { return }
        _ = Glibc.kill(pid, SIGKILL)
        _ = reap()
    }

    /// Closes the worker's input so it exits on its own, then reaps it.
    func finish() {
        closeInput()
        _ = reap()
    }

    /// Waits for the worker to end; says how it ended.
    private func reap() -> WorkerExit {
        guard !isReaped else { return WorkerExit(status: nil, signal: nil) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        isReaped = true
        let signal = status & 0x7f
        if signal == 0 { return WorkerExit(status: (status >> 8) & 0xff, signal: nil) }
        return WorkerExit(status: nil, signal: signal)
    }
}
