using System.Threading.Channels;
using MerchantConsole.Telemetry;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Orders;

/// <summary>
/// The in-process hot path from a verified payment to a card, one loop per app node:
/// <list type="bullet">
/// <item>Group commit of payments: callers hand a notice over and wait; the loop takes every notice that arrived
/// meanwhile (up to <see cref="OrderOptions.RecordBatchSize"/>), records them with one transaction per merchant
/// (<see cref="PaymentRecording"/>) and answers each caller after the commit, so a 200 is never given for a payment not yet
/// durable.</item>
/// <item>Fulfilment of the orders those commits left Paid, in chunks of up to <see cref="OrderOptions.FulfilBatchSize"/>,
/// each one transaction (<see cref="OrderFulfilment.FulfilBatchAsync"/>).</item>
/// </list>
/// It alternates: a batch of records, then (when due, see <see cref="ChunkDue"/>) a chunk of fulfilment, so neither starves
/// the other and the two never wait on each other for SQLite's one writer. Nothing here guards exactly-once: the database does (ARCHITECTURE.md, Orders); a
/// hand-off lost with the process is found by <see cref="PaidOrderSweepJob"/>.
/// </summary>
public sealed class OrderPipeline(IServiceScopeFactory scopes, IOptions<OrderOptions> options, ILogger<OrderPipeline> logger) : BackgroundService
{
    private sealed record PendingRecord(PaymentNotice Notice, TaskCompletionSource<CallbackOutcome> Done);

    private readonly Channel<PendingRecord> _records = Channel.CreateUnbounded<PendingRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<(Guid MerchantId, Guid OrderId)> _paid =
        Channel.CreateUnbounded<(Guid MerchantId, Guid OrderId)>(new UnboundedChannelOptions { SingleReader = true });
    // Paid orders waiting for a chunk, in the order they were paid; an order handed over twice waits once.
    private readonly Queue<(Guid MerchantId, Guid OrderId, long QueuedAt)> _toFulfil = new();
    private readonly HashSet<Guid> _queued = [];

    /// <summary>Records the payment and completes once it is committed (or refused).</summary>
    public Task<CallbackOutcome> RecordAsync(PaymentNotice notice, CancellationToken ct)
    {
        var pending = new PendingRecord(notice, new TaskCompletionSource<CallbackOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_records.Writer.TryWrite(pending))
            throw new InvalidOperationException("The order pipeline has stopped.");
        return pending.Done.Task.WaitAsync(ct);
    }

    /// <summary>Asks for a Paid order to be fulfilled soon; an order already fulfilled costs one read.</summary>
    public void Fulfil(Guid merchantId, Guid orderId) => _paid.Writer.TryWrite((merchantId, orderId));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var recorded = await RecordBatchAsync(stoppingToken);
                while (_paid.Reader.TryRead(out var paid))
                    if (_queued.Add(paid.OrderId))
                        _toFulfil.Enqueue((paid.MerchantId, paid.OrderId, TimeProvider.System.GetTimestamp()));
                if (ChunkDue() && await FulfilChunkAsync(stoppingToken) || recorded)
                    continue;
                if (_toFulfil.TryPeek(out var oldest))
                {
                    // Paid orders wait for company: more callbacks, or the end of their time to gather.
                    var left = options.Value.FulfilWithin - TimeProvider.System.GetElapsedTime(oldest.QueuedAt);
                    if (left <= TimeSpan.Zero || !await WaitForRecordsAsync(left, stoppingToken))
                        await FulfilChunkAsync(stoppingToken);
                }
                else
                    await Task.WhenAny(_records.Reader.WaitToReadAsync(stoppingToken).AsTask(), _paid.Reader.WaitToReadAsync(stoppingToken).AsTask());
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        _records.Writer.TryComplete();
        while (_records.Reader.TryRead(out var left))
            left.Done.TrySetCanceled(stoppingToken);
    }

    private async Task<bool> RecordBatchAsync(CancellationToken ct)
    {
        var batch = new List<PendingRecord>();
        while (batch.Count < options.Value.RecordBatchSize && _records.Reader.TryRead(out var pending))
            batch.Add(pending);
        if (batch.Count == 0)
            return false;
        foreach (var merchant in batch.GroupBy(p => p.Notice.MerchantId))
        {
            var group = merchant.ToList();
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var recorded = await scope.ServiceProvider.GetRequiredService<PaymentRecording>()
                    .RecordAsync(merchant.Key, [.. group.Select(p => p.Notice)], ct);
                logger.LogDebug("Recorded {Count} payments in {Elapsed} ms", group.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                for (var i = 0; i < group.Count; i++)
                {
                    if (recorded[i].PaidOrderId is { } orderId)
                        Fulfil(merchant.Key, orderId);
                    group[i].Done.TrySetResult(recorded[i].Outcome);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // Nothing of the group was committed: each caller fails (the provider retries its callback).
                logger.LogError(e, "Recording {Count} payments of merchant {Merchant} failed", group.Count, merchant.Key);
                foreach (var pending in group)
                    pending.Done.TrySetException(e);
            }
        }
        return true;
    }

    private async Task<bool> WaitForRecordsAsync(TimeSpan within, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(within);
        try
        {
            return await _records.Reader.WaitToReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// A chunk's cost is mostly fixed (plans, benefits, coupon counters, the commit), so while callbacks keep coming the
    /// loop lets paid orders gather into a full chunk for up to <see cref="OrderOptions.FulfilWithin"/>, and as long only when no callback comes.
    /// </summary>
    private bool ChunkDue() =>
        _toFulfil.TryPeek(out var oldest)
        && (_toFulfil.Count >= options.Value.FulfilBatchSize || TimeProvider.System.GetElapsedTime(oldest.QueuedAt) >= options.Value.FulfilWithin);

    private async Task<bool> FulfilChunkAsync(CancellationToken ct)
    {
        var chunk = new List<(Guid MerchantId, Guid OrderId)>();
        while (chunk.Count < options.Value.FulfilBatchSize && _toFulfil.TryDequeue(out var next))
        {
            chunk.Add((next.MerchantId, next.OrderId));
            _queued.Remove(next.OrderId);
        }
        foreach (var merchant in chunk.GroupBy(c => c.MerchantId))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                using var span = AppTelemetry.Source.StartActivity("fulfil paid orders");
                span?.SetTag(AppTelemetry.MerchantTag, merchant.Key).SetTag("order.count", merchant.Count());
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var done = await scope.ServiceProvider.GetRequiredService<OrderFulfilment>()
                    .FulfilBatchAsync(merchant.Key, [.. merchant.Select(c => c.OrderId)], ct);
                logger.LogDebug("Fulfilled {Count} of {Chunk} orders in {Elapsed} ms", done.Count, merchant.Count(),
                    System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // The orders stay Paid; the sweep fulfils them.
                logger.LogError(e, "Fulfilling {Count} paid orders of merchant {Merchant} failed; the sweep will retry them", merchant.Count(), merchant.Key);
            }
        }
        return true;
    }
}
