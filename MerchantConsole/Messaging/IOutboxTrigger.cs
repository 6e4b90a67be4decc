using Hangfire;

namespace MerchantConsole.Messaging;

/// <summary>Asks for a dispatch run now; called after a commit that wrote outbox rows.</summary>
public interface IOutboxTrigger
{
    void Trigger();
}

public sealed class HangfireOutboxTrigger(IServiceProvider services, ILogger<HangfireOutboxTrigger> logger) : IOutboxTrigger
{
    public void Trigger()
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
