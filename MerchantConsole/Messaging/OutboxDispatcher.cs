using Hangfire;
using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Messaging;

/// <summary>
/// Delivers committed outbox rows to their handlers: claim a batch of rows with a conditional
/// update, run every handler that has not yet applied each one (inbox), then mark the batch sent;
/// a failed message keeps its error and is retried with backoff.
/// </summary>
public sealed class OutboxDispatcher(
    ProviderContextOptions contexts,
    IEnumerable<IMessageHandler> handlers,
    TimeProvider clock,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger)
{
    private readonly OutboxOptions _options = options.Value;

    /// <returns>How many messages were delivered to every handler.</returns>
    // No DisableConcurrentExecution: claims already keep dispatchers apart, and a lock would park workers.
    [AutomaticRetry(Attempts = 0)] // failures are retried per message, by NextAttemptAt
    public async Task<int> DispatchAsync(CancellationToken cancellationToken)
    {
        var delivered = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var due = await FindDueAsync(cancellationToken);
            if (due.Count == 0) break;
            var claim = Guid.NewGuid();
            var claimed = await ClaimAsync(due, claim, cancellationToken);
            var applied = await AppliedAsync(claimed, cancellationToken);
            var sent = new List<Guid>();
            foreach (var message in claimed)
                if (await DeliverAsync(message, applied, cancellationToken)) sent.Add(message.Id);
            await MarkSentAsync(sent, claim, cancellationToken);
            delivered += sent.Count;
            if (claimed.Count == 0 || due.Count < _options.BatchSize) break;
        }
        return delivered;
    }

    private async Task<List<Guid>> FindDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = contexts.Create(new MerchantScope());
        return await db.OutboxMessages
            .Where(m => m.SentAt == null && m.NextAttemptAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .OrderBy(m => m.OccurredAt)
            .Select(m => m.Id)
            .Take(_options.BatchSize)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The conditional update is the lock: a row already claimed by a live lease no longer matches,
    /// so each row goes to exactly one worker. Returns the rows this claim won.
    /// </summary>
    public async Task<List<OutboxMessage>> ClaimAsync(IReadOnlyCollection<Guid> messageIds, Guid claim, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var until = now + _options.ClaimLease;
        await using var db = contexts.Create(new MerchantScope());
        await db.OutboxMessages
            .Where(m => messageIds.Contains(m.Id) && m.SentAt == null && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedBy, claim).SetProperty(m => m.ClaimedUntil, until), cancellationToken);
        return await db.OutboxMessages.AsNoTracking()
            .Where(m => m.ClaimedBy == claim)
            .OrderBy(m => m.OccurredAt)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The handlers that already applied each claimed message, read in one query: a message whose producer applied the
    /// handler's effect in its own transaction (a purchase issues the join coupons itself) is then marked sent without a
    /// context or a write of its own.
    /// </summary>
    private async Task<HashSet<(Guid MessageId, string Handler)>> AppliedAsync(List<OutboxMessage> claimed, CancellationToken cancellationToken)
    {
        if (claimed.Count == 0) return [];
        var ids = claimed.Select(m => m.Id).ToList();
        await using var db = contexts.Create(new MerchantScope());
        var entries = await db.InboxEntries.Where(e => ids.Contains(e.MessageId)).Select(e => new { e.MessageId, e.Handler }).ToListAsync(cancellationToken);
        return [.. entries.Select(e => (e.MessageId, e.Handler))];
    }

    private async Task<bool> DeliverAsync(OutboxMessage message, HashSet<(Guid MessageId, string Handler)> applied, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var handler in handlers.Where(h => h.MessageType == message.Type && !applied.Contains((message.Id, h.Name))))
                await ApplyOnceAsync(handler, message, cancellationToken);
            AppTelemetry.OutboxLag.Record((clock.GetUtcNow() - message.OccurredAt).TotalSeconds,
                new KeyValuePair<string, object?>("message.type", message.Type));
            return true;
        }
        catch (Exception ex)
        {
            await RecordFailureAsync(message, ex, cancellationToken);
            return false;
        }
    }

    private async Task MarkSentAsync(List<Guid> sent, Guid claim, CancellationToken cancellationToken)
    {
        if (sent.Count == 0) return;
        var now = clock.GetUtcNow();
        await using var db = contexts.Create(new MerchantScope());
        await db.OutboxMessages.Where(m => sent.Contains(m.Id) && m.ClaimedBy == claim)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, now)
                .SetProperty(m => m.ClaimedBy, (Guid?)null)
                .SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null)
                .SetProperty(m => m.LastError, (string?)null), cancellationToken);
    }

    /// <summary>The handler's changes and its inbox row commit together, so its effect happens once.</summary>
    private async Task ApplyOnceAsync(IMessageHandler handler, OutboxMessage message, CancellationToken cancellationToken)
    {
        await using var db = contexts.CreateForMerchant(message.MerchantId, $"{SystemActors.Outbox}:{handler.Name}");
        if (await db.InboxEntries.AnyAsync(e => e.MessageId == message.Id && e.Handler == handler.Name, cancellationToken))
            return;

        await handler.HandleAsync(message, db, cancellationToken);
        db.InboxEntries.Add(new InboxEntry { MessageId = message.Id, Handler = handler.Name, ProcessedAt = clock.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another delivery of the same message may have won the race: its effect stands and ours is discarded.
            if (!await AlreadyAppliedAsync(message.Id, handler.Name, cancellationToken)) throw;
        }
    }

    private async Task<bool> AlreadyAppliedAsync(Guid messageId, string handler, CancellationToken cancellationToken)
    {
        await using var db = contexts.Create(new MerchantScope());
        return await db.InboxEntries.AnyAsync(e => e.MessageId == messageId && e.Handler == handler, cancellationToken);
    }

    private async Task RecordFailureAsync(OutboxMessage message, Exception ex, CancellationToken cancellationToken)
    {
        var attempts = message.Attempts + 1;
        var delay = RetryDelay(attempts);
        var next = clock.GetUtcNow() + delay;
        var error = TextLength.Clip($"{ex.GetType().Name}: {ex.Message}", OutboxMessage.MaxErrorLength);
        logger.LogWarning(ex, "Outbox message {MessageId} ({Type}) failed attempt {Attempts}; retrying in {Delay}.", message.Id, message.Type, attempts, delay);
        await using var db = contexts.Create(new MerchantScope());
        await db.OutboxMessages.Where(m => m.Id == message.Id && m.ClaimedBy == message.ClaimedBy)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Attempts, attempts)
                .SetProperty(m => m.LastError, error)
                .SetProperty(m => m.NextAttemptAt, next)
                .SetProperty(m => m.ClaimedBy, (Guid?)null)
                .SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null), cancellationToken);
    }

    public TimeSpan RetryDelay(int attempts) => new Backoff(_options.RetryBaseDelay, _options.MaxRetryDelay).DelayAfter(attempts);
}
