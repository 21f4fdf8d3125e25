import FoundationEssentials
import Logging
import Synchronization

/// The background work of one instance: sends outbox messages and webhook deliveries every
/// `pollInterval`, and runs due jobs every `jobsInterval`. `stop()` ends it after the current passes.
public final class DeliveryService: Sendable {
    let sender: OutboxSender
    let deliverer: WebhookDeliverer
    let scheduler: JobScheduler
    let watcher: DossierWatcher?
    let pollInterval: Duration
    let jobsInterval: Duration
    let logger: Logger
    private let tasks = Mutex<[Task<Void, Never>]>([])

    public init(
        sender: OutboxSender, deliverer: WebhookDeliverer, scheduler: JobScheduler, watcher: DossierWatcher? = nil,
        pollInterval: Duration, jobsInterval: Duration, logger: Logger
    ) {
        self.watcher = watcher
        self.sender = sender
        self.deliverer = deliverer
        self.scheduler = scheduler
        self.pollInterval = pollInterval
        self.jobsInterval = jobsInterval
        self.logger = logger
    }

    /// Three independent loops, so a slow webhook receiver never delays mail, and a long job neither.
    public func start() {
        let sender = self.sender, deliverer = self.deliverer, scheduler = self.scheduler, watcher = self.watcher
        let poll = pollInterval, jobsEvery = jobsInterval, logger = self.logger
        let mail = Task {
            while !Task.isCancelled {
                do { _ = try await sender.runOnce(now: Date()) } catch { logger.warn("outbox pass failed", ["error": "\(error)"]) }
                try? await Task.sleep(for: poll)
            }
        }
        let hooks = Task {
            while !Task.isCancelled {
                do { _ = try await watcher?.runOnce(now: Date()) } catch {
                    logger.warn("dossier watcher pass failed", ["error": "\(error)"])
                }
                do { _ = try await deliverer.runOnce(now: Date()) } catch { logger.warn("webhook pass failed", ["error": "\(error)"]) }
                try? await Task.sleep(for: poll)
            }
        }
        let jobs = Task {
            while !Task.isCancelled {
                _ = await scheduler.runDue(now: Date())
                try? await Task.sleep(for: jobsEvery)
            }
        }
        tasks.withLock { $0 = [mail, hooks, jobs] }
    }

    /// Cancels the loops and waits for the passes in progress to finish, at most `grace`: a pass stuck
    /// on a dead relay must not hold up shutdown, and what it had claimed is retried after its lease.
    public func stop(grace: Duration = .seconds(10)) async {
        let running = tasks.withLock { t -> [Task<Void, Never>] in
            defer { t = [] }; return t
        }
        for t in running { t.cancel() }
        // Unstructured racers: a task group would wait for the stuck pass after all.
        let finished = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let resumed = Mutex(false)
            let resumeOnce: @Sendable (Bool) -> Void = { value in
                if resumed.withLock({ done in
                    defer { done = true }; return !done
                }) {
                    continuation.resume(returning: value)
                }
            }
            Task {
                for t in running { await t.value }
                resumeOnce(true)
            }
            Task {
                try? await Task.sleep(for: grace)
                resumeOnce(false)
            }
        }
        if !finished { logger.warn("background work did not finish within the grace period; its claims will be retried") }
    }
}
