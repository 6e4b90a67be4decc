using Hangfire;

namespace MerchantConsole.Messaging;

/// <summary>Asks for a dispatch run now; called after a commit that wrote outbox rows.</summary>
public interface IOutboxTrigger
{
    void Trigger();
}

/// <summary>
/// Enqueues a dispatch off the committing thread, and one for every commit that comes while it waits to be enqueued: a hot
/// writer (the order pipeline commits many times a second) neither waits for Hangfire's storage nor floods it with jobs.
/// </summary>
public sealed class HangfireOutboxTrigger(IServiceProvider services, ILogger<HangfireOutboxTrigger> logger) : IOutboxTrigger
{
    // Commits that come this soon after one another share one dispatch run.
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(50);
    // 1 from a trigger until its enqueue starts: a dispatch enqueued after a commit finds that commit's rows, so every
    // trigger meanwhile is served by the one already on its way.
    private int _scheduled;

    public void Trigger()
    {
        if (Interlocked.Exchange(ref _scheduled, 1) == 1)
            return;
        _ = Task.Delay(Gather).ContinueWith(_ => Enqueue(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private void Enqueue()
    {
        Volatile.Write(ref _scheduled, 0);
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
