using Hangfire;

namespace MerchantConsole.Messaging;

/// <summary>Asks for a dispatch run now; called after a commit that wrote outbox rows.</summary>
public interface IOutboxTrigger
{
    void Trigger();
}

/// <summary>
/// Enqueues a dispatch job off the committing thread, and one job for any number of triggers that arrive while an
/// enqueue is under way. A commit should not wait for the job storage (on the embedded default, writing a job to
/// Hangfire's SQLite file took as long as the commit itself), and a burst of commits needs one run, not one each:
/// a run delivers every due message. Every trigger is followed by an enqueue that starts after it, so no commit's
/// message waits for the recurring catch-up run.
/// </summary>
public sealed class HangfireOutboxTrigger(IServiceProvider services, ILogger<HangfireOutboxTrigger> logger) : IOutboxTrigger
{
    private long _requested;
    private int _enqueuing;

    public void Trigger()
    {
        Interlocked.Increment(ref _requested);
        if (Interlocked.CompareExchange(ref _enqueuing, 1, 0) == 0)
            ThreadPool.UnsafeQueueUserWorkItem(_ => EnqueueWhileRequested(), null);
    }

    private void EnqueueWhileRequested()
    {
        while (true)
        {
            var seen = Interlocked.Read(ref _requested);
            Enqueue();
            Volatile.Write(ref _enqueuing, 0);
            // A trigger after `seen` either finds the flag clear and starts its own enqueue, or finds it still set and
            // relies on this loop: look again, and go round if it came and no one else has taken over.
            if (Interlocked.Read(ref _requested) == seen || Interlocked.CompareExchange(ref _enqueuing, 1, 0) != 0)
                return;
        }
    }

    private void Enqueue()
    {
        try
        {
            services.GetRequiredService<IBackgroundJobClient>().Enqueue<OutboxDispatcher>(d => d.DispatchAsync(CancellationToken.None));
        }
        catch (Exception ex)
        {
            // The change is committed; the recurring catch-up run delivers the message anyway.
            logger.LogWarning(ex, "Could not enqueue an outbox dispatch; the recurring run will pick the message up.");
        }
    }
}
