using MerchantConsole.Data;
using MerchantConsole.Messaging;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Tests.Messaging;

public sealed record CupSold(string Cup);

/// <summary>Its effect is a row, so tests can count how often it really happened.</summary>
public sealed class RecordSaleHandler(int failuresBeforeSuccess = 0) : MessageHandler<CupSold>
{
    public int Calls { get; private set; }

    protected override Task HandleAsync(CupSold message, OutboxMessage envelope, MerchantDbContext db, CancellationToken cancellationToken)
    {
        Calls++;
        if (Calls <= failuresBeforeSuccess) throw new InvalidOperationException($"till offline (call {Calls})");
        db.AuditEntries.Add(new AuditEntry { At = envelope.OccurredAt, UserName = "handler", EntityType = "Sale", EntityId = message.Cup, Action = "Effect" });
        return Task.CompletedTask;
    }
}

public sealed class SecondSaleHandler : MessageHandler<CupSold>
{
    public int Calls { get; private set; }

    protected override Task HandleAsync(CupSold message, OutboxMessage envelope, MerchantDbContext db, CancellationToken cancellationToken)
    {
        Calls++;
        return Task.CompletedTask;
    }
}

/// <summary>Counts the dispatch jobs the trigger enqueues; <see cref="Hold"/> keeps an enqueue in progress.</summary>
public sealed class CountingJobClient : Hangfire.IBackgroundJobClient
{
    private int _enqueued;
    public ManualResetEventSlim Hold { get; } = new(true);
    public ManualResetEventSlim Started { get; } = new(false);
    public int Enqueued => Volatile.Read(ref _enqueued);

    public string Create(Hangfire.Common.Job job, Hangfire.States.IState state)
    {
        Started.Set();
        Hold.Wait(TimeSpan.FromSeconds(10));
        Interlocked.Increment(ref _enqueued);
        return Guid.NewGuid().ToString();
    }

    public bool ChangeState(string jobId, Hangfire.States.IState state, string expectedState) => true;
}

public sealed class OutboxTests
{
    private static OutboxDispatcher Dispatcher(TestDatabase database, params IMessageHandler[] handlers) =>
        new(database.Contexts, handlers, database.Clock, Options.Create(new OutboxOptions()), NullLogger<OutboxDispatcher>.Instance);

    private static async Task<int> EffectsAsync(TestDatabase database, Guid merchantId)
    {
        await using var db = database.For(merchantId);
        return await db.AuditEntries.CountAsync(a => a.EntityType == "Sale" && a.Action == "Effect");
    }

    [Fact]
    public async Task AMessageSavedWithItsChangeIsDeliveredAndMarkedSent()
    {
        await using var database = await TestDatabase.CreateAsync();
        var merchant = await database.AddMerchantAsync("coffee");
        var handler = new RecordSaleHandler();
        await using (var db = database.For(merchant.Id))
        {
            db.OutboxMessages.Add(OutboxMessage.For(merchant.Id, new CupSold("latte"), database.Clock.GetUtcNow()));
            await db.SaveChangesAsync();
        }

        Assert.Equal(1, database.OutboxTrigger.Count);
        Assert.Equal(1, await Dispatcher(database, handler).DispatchAsync(CancellationToken.None));
        Assert.Equal(1, await EffectsAsync(database, merchant.Id));
        await using var check = database.Unscoped();
        Assert.NotNull((await check.OutboxMessages.SingleAsync()).SentAt);
    }

    [Fact]
    public async Task AMessageWrittenWithARolledBackChangeIsNeverDelivered()
    {
        await using var database = await TestDatabase.CreateAsync();
        var merchant = await database.AddMerchantAsync("coffee");
        var handler = new RecordSaleHandler();
        await using (var db = database.For(merchant.Id))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.OutboxMessages.Add(OutboxMessage.For(merchant.Id, new CupSold("mocha"), database.Clock.GetUtcNow()));
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        Assert.Equal(0, await Dispatcher(database, handler).DispatchAsync(CancellationToken.None));
        Assert.Equal(0, handler.Calls);
        Assert.Equal(0, database.OutboxTrigger.Count);
        await using var check = database.Unscoped();
        Assert.Equal(0, await check.OutboxMessages.CountAsync());
    }

    [Fact]
    public async Task AMessageCommittedInATransactionTriggersTheDispatcherOnlyAtCommit()
    {
        await using var database = await TestDatabase.CreateAsync();
        var merchant = await database.AddMerchantAsync("coffee");
        await using var db = database.For(merchant.Id);
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.OutboxMessages.Add(OutboxMessage.For(merchant.Id, new CupSold("flat white"), database.Clock.GetUtcNow()));
        await db.SaveChangesAsync();
        Assert.Equal(0, database.OutboxTrigger.Count);

        await transaction.CommitAsync();

        Assert.Equal(1, database.OutboxTrigger.Count);
    }

    [Fact]
    public async Task AHandlerThatThrowsIsRetriedWithBackoffAndItsErrorRecorded()
    {
        await using var database = await TestDatabase.CreateAsync();
        var merchant = await database.AddMerchantAsync("coffee");
        var handler = new RecordSaleHandler(failuresBeforeSuccess: 2);
        var dispatcher = Dispatcher(database, handler);
        await using (var db = database.For(merchant.Id))
        {
            db.OutboxMessages.Add(OutboxMessage.For(merchant.Id, new CupSold("americano"), database.Clock.GetUtcNow()));
            await db.SaveChangesAsync();
        }

        Assert.Equal(0, await dispatcher.DispatchAsync(CancellationToken.None));
        OutboxMessage failed;
        await using (var check = database.Unscoped()) failed = await check.OutboxMessages.AsNoTracking().SingleAsync();
        Assert.Equal(1, failed.Attempts);
        Assert.Contains("till offline (call 1)", failed.LastError);
        Assert.Null(failed.SentAt);
        Assert.Equal(database.Clock.GetUtcNow() + TimeSpan.FromSeconds(2), failed.NextAttemptAt);

        // Not due yet: nothing happens until the backoff has passed.
        Assert.Equal(0, await dispatcher.DispatchAsync(CancellationToken.None));
        Assert.Equal(1, handler.Calls);

        database.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, await dispatcher.DispatchAsync(CancellationToken.None));
        await using (var check = database.Unscoped()) failed = await check.OutboxMessages.AsNoTracking().SingleAsync();
        Assert.Equal(2, failed.Attempts);
        Assert.Equal(database.Clock.GetUtcNow() + TimeSpan.FromSeconds(4), failed.NextAttemptAt);

        database.Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(1, await dispatcher.DispatchAsync(CancellationToken.None));
        Assert.Equal(1, await EffectsAsync(database, merchant.Id));
        await using (var check = database.Unscoped())
        {
            var sent = await check.OutboxMessages.AsNoTracking().SingleAsync();
            Assert.NotNull(sent.SentAt);
            Assert.Null(sent.LastError);
        }
    }

    [Fact]
    public async Task AMessageDeliveredTwiceHasOneEffect()
    {
        await using var database = await TestDatabase.CreateAsync();
        var merchant = await database.AddMerchantAsync("coffee");
        var handler = new RecordSaleHandler();
        var dispatcher = Dispatcher(database, handler);
        await using (var db = database.For(merchant.Id))
        {
            db.OutboxMessages.Add(OutboxMessage.For(merchant.Id, new CupSold("cortado"), database.Clock.GetUtcNow()));
            await db.SaveChangesAsync();
        }
        Assert.Equal(1, await dispatcher.DispatchAsync(CancellationToken.None));

        // As if the worker died after the handler committed but before the row was marked sent.
        await using (var db = database.Unscoped())
            await db.OutboxMessages.ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, (DateTimeOffset?)null));
        Assert.Equal(1, await dispatcher.DispatchAsync(CancellationToken.None));

        Assert.Equal(1, await EffectsAsync(database, merchant.Id));
        await using var check = database.Unscoped();
        Assert.Equal(1, await check.InboxEntries.CountAsync());
    }

    [Fact]
    public async Task AMessageWhoseProducerAppliedAHandlersEffectRunsOnlyTheOtherHandlers()
    {
        await using var database = await TestDatabase.CreateAsync();
        var merchant = await database.AddMerchantAsync("coffee");
        var appliedByProducer = new RecordSaleHandler();
        var other = new SecondSaleHandler();
        await using (var db = database.For(merchant.Id))
        {
            // As a purchase does: the message and the inbox entry of the handler whose effect the same save applied.
            var message = OutboxMessage.For(merchant.Id, new CupSold("flat white"), database.Clock.GetUtcNow());
            db.OutboxMessages.Add(message);
            db.InboxEntries.Add(new InboxEntry { MessageId = message.Id, Handler = appliedByProducer.Name, ProcessedAt = database.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }

        Assert.Equal(1, await Dispatcher(database, appliedByProducer, other).DispatchAsync(CancellationToken.None));

        Assert.Equal(0, appliedByProducer.Calls);
        Assert.Equal(1, other.Calls);
        await using var check = database.Unscoped();
        Assert.NotNull((await check.OutboxMessages.SingleAsync()).SentAt);
        Assert.Equal([appliedByProducer.Name, other.Name], (await check.InboxEntries.Select(e => e.Handler).ToListAsync()).Order());
    }

    [Fact]
    public async Task TriggersArrivingTogetherEnqueueFewerRunsThanTriggersAndOneAfterTheLast()
    {
        var jobs = new CountingJobClient();
        var services = new ServiceCollection()
            .AddSingleton<Hangfire.IBackgroundJobClient>(jobs).BuildServiceProvider();
        var trigger = new HangfireOutboxTrigger(services, NullLogger<HangfireOutboxTrigger>.Instance);
        jobs.Hold.Reset();
        // The first trigger's enqueue is held while 50 more arrive: they share the one enqueue that follows it.
        trigger.Trigger();
        Assert.True(jobs.Started.Wait(TimeSpan.FromSeconds(10)));
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(trigger.Trigger)));
        var whileHeld = jobs.Enqueued;
        jobs.Hold.Set();
        await WaitUntilAsync(() => jobs.Enqueued == 2);
        await Task.Delay(200);
        Assert.Equal(2, jobs.Enqueued);
        Assert.Equal(0, whileHeld);

        // A trigger after every enqueue has finished gets one of its own.
        trigger.Trigger();
        await WaitUntilAsync(() => jobs.Enqueued == 3);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
            await Task.Delay(50);
        Assert.True(condition());
    }

    [Fact]
    public async Task WorkersClaimingTogetherNeverTakeTheSameMessage()
    {
        await using var database = await TestDatabase.CreateAsync();
        var merchant = await database.AddMerchantAsync("coffee");
        var ids = new List<Guid>();
        await using (var db = database.For(merchant.Id))
        {
            for (var i = 0; i < 20; i++)
            {
                var message = OutboxMessage.For(merchant.Id, new CupSold($"cup {i}"), database.Clock.GetUtcNow());
                db.OutboxMessages.Add(message);
                ids.Add(message.Id);
            }
            await db.SaveChangesAsync();
        }
        var dispatcher = Dispatcher(database);

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => dispatcher.ClaimAsync(ids, Guid.NewGuid(), CancellationToken.None)));

        var claimedIds = claims.SelectMany(c => c.Select(m => m.Id)).ToList();
        Assert.Equal(ids.Count, claimedIds.Count);
        Assert.Equal(ids.Order(), claimedIds.Order());
        // A live lease keeps the rows away from a later worker too.
        Assert.Empty(await dispatcher.ClaimAsync(ids, Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task HandlersRunScopedToTheMessagesMerchant()
    {
        await using var database = await TestDatabase.CreateAsync();
        var coffee = await database.AddMerchantAsync("coffee");
        var fruit = await database.AddMerchantAsync("fruit");
        await using (var db = database.For(fruit.Id))
        {
            db.OutboxMessages.Add(OutboxMessage.For(fruit.Id, new CupSold("juice"), database.Clock.GetUtcNow()));
            await db.SaveChangesAsync();
        }

        await Dispatcher(database, new RecordSaleHandler()).DispatchAsync(CancellationToken.None);

        Assert.Equal(1, await EffectsAsync(database, fruit.Id));
        Assert.Equal(0, await EffectsAsync(database, coffee.Id));
    }
}
