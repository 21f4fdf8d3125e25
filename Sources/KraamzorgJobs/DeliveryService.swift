import Foundation
import HTTPServer
import Synchronization

/// The background loop of one instance: sends outbox messages and webhook deliveries every
/// `pollInterval`, and runs due jobs every `jobsInterval`. `stop()` ends it after the current pass.
public final class DeliveryService: Sendable {
    let sender: OutboxSender
    let deliverer: WebhookDeliverer
    let scheduler: JobScheduler
    let watcher: DossierWatcher?
    let pollInterval: Duration
    let jobsInterval: Duration
    let logger: Logger
    private let task = Mutex<Task<Void, Never>?>(nil)

    public init(sender: OutboxSender, deliverer: WebhookDeliverer, scheduler: JobScheduler, watcher: DossierWatcher? = nil,
                pollInterval: Duration, jobsInterval: Duration, logger: Logger) {
        self.watcher = watcher
        self.sender = sender
        self.deliverer = deliverer
        self.scheduler = scheduler
        self.pollInterval = pollInterval
        self.jobsInterval = jobsInterval
        self.logger = logger
    }

    public func start() {
        let sender = self.sender, deliverer = self.deliverer, scheduler = self.scheduler, watcher = self.watcher
        let poll = pollInterval, jobsEvery = jobsInterval, logger = self.logger
        let t = Task {
            let clock = ContinuousClock()
            var nextJobs = clock.now
            while !Task.isCancelled {
                if clock.now >= nextJobs {
                    _ = await scheduler.runDue(now: Date())
                    nextJobs = clock.now.advanced(by: jobsEvery)
                }
                do { _ = try await watcher?.runOnce(now: Date()) } catch { logger.warn("dossier watcher pass failed", ["error": "\(error)"]) }
                do { _ = try await sender.runOnce(now: Date()) } catch { logger.warn("outbox pass failed", ["error": "\(error)"]) }
                do { _ = try await deliverer.runOnce(now: Date()) } catch { logger.warn("webhook pass failed", ["error": "\(error)"]) }
                try? await Task.sleep(for: poll)
            }
        }
        task.withLock { $0 = t }
    }

    /// Cancels the loop and waits for the pass in progress to finish.
    public func stop() async {
        let t = task.withLock { t -> Task<Void, Never>? in defer { t = nil }; return t }
        t?.cancel()
        await t?.value
    }
}
