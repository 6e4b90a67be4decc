using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Orders;
using MerchantConsole.Features.Benefits;
using MerchantConsole.Features.Coupons;
using MerchantConsole.Features.Grants;
using MerchantConsole.Features.Members;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Messaging;
using MerchantConsole.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Orders;

public enum FulfilOutcome
{
    Fulfilled,
    /// <summary>Nothing to do: the order is not Paid (already fulfilled, or not paid yet).</summary>
    NothingToDo,
}

/// <summary>
/// Fulfils paid orders of one merchant exactly once, a batch in one transaction (one order is a batch of one): a new
/// member's membership (<see cref="Membership.Enrol"/>, a Purchase enrolment, with its <see cref="MemberJoined"/> outbox
/// message) and card number, the plan's "on join" coupons (through <see cref="BulkCouponIssuer"/>, set-based, with the keys
/// the <see cref="MemberJoined"/> handler uses, so its later delivery issues nothing), or a renewal for a customer already in
/// the plan, and each order's Fulfilled status with its ledger. Plans, customers and existing memberships are read once
/// per batch. Exactly once: only a Paid order is fulfilled and its save is conditional on its concurrency stamp (on
/// SQLite the transaction holds the write lock from its first read); a batch that loses a race (another node, the support
/// action) is rolled back and tried again on fresh reads, then its orders fulfilled one by one. See ARCHITECTURE.md, Orders.
/// </summary>
public sealed class OrderFulfilment(ProviderContextOptions contextOptions, ICardNumberGenerator cardNumbers, ICouponCodeRandom codes,
    TimeProvider clock, IEnumerable<IMessageHandler> handlers, ILogger<OrderFulfilment> logger)
{
    private const string Actor = "fulfilment";

    // The join-coupon handler is applied here; a MemberJoined with no other handler to run is written as delivered, so
    // the dispatcher does not spend a write transaction per new member marking it sent (ARCHITECTURE.md, Orders).
    private readonly bool _joinedHasOtherHandlers = handlers.Any(h =>
        h.MessageType == OutboxMessage.MessageTypeName<MemberJoined>() && h.Name != MemberJoinedCouponHandler.InboxName);

    /// <summary>Test seam: runs once a chunk has read and worked out everything, before it locks its orders to write them.</summary>
    public Func<CancellationToken, Task>? BeforeOrdersLocked { get; set; }

    /// <summary>Test seam: runs for each order after everything is saved and before the commit, so a test can crash a fulfilment there.</summary>
    public Func<Order, CancellationToken, Task>? BeforeCommit { get; set; }

    /// <summary>One order (the support action, the sweep's fallback, tests): the batch path with one order, retried on a lost race.</summary>
    public async Task<FulfilOutcome> FulfilAsync(Guid merchantId, Guid orderId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await FulfilOnceAsync(merchantId, [orderId], ct);
                if (result.Refused.TryGetValue(orderId, out var refusal))
                    throw new DomainException(refusal);
                return result.Fulfilled.Count == 1 ? FulfilOutcome.Fulfilled : FulfilOutcome.NothingToDo;
            }
            catch (Exception e) when (LostRace(e) && attempt < MembershipEnrolment.MaxAttempts)
            {
                // Another run fulfilled the order (or took the same card number, or a coupon code) first; look again on a fresh context.
                AppTelemetry.CountLostRace("fulfil");
                logger.LogInformation("Fulfilling order {Order} lost a race (attempt {Attempt}): {Reason}", orderId, attempt, e.GetBaseException().Message);
            }
        }
    }

    // A lost race is mostly one order another node fulfilled or recorded a duplicate payment of meanwhile: the batch read
    // again finds it changed (or no longer Paid) and goes through, far cheaper than its orders one transaction each.
    private const int BatchAttempts = 3;

    /// <summary>
    /// Fulfils the orders that are still Paid in one transaction, read afresh up to three times if it loses a race; then one by one. An order whose
    /// enrolment is refused (the plan suspended meanwhile, say) stays Paid and is logged. Returns the orders it fulfilled.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> FulfilBatchAsync(Guid merchantId, IReadOnlyCollection<Guid> orderIds, CancellationToken ct)
    {
        if (orderIds.Count == 1)
            return await FulfilAsync(merchantId, orderIds.First(), ct) == FulfilOutcome.Fulfilled ? [orderIds.First()] : [];
        for (var attempt = 1; attempt <= BatchAttempts; attempt++)
        {
            try
            {
                return (await FulfilOnceAsync(merchantId, orderIds, ct)).Fulfilled;
            }
            catch (Exception e) when (LostRace(e))
            {
                AppTelemetry.CountLostRace("fulfil");
                logger.LogInformation("A batch of {Count} orders lost a race (attempt {Attempt} of {Attempts}): {Reason}", orderIds.Count, attempt, BatchAttempts,
                    e.GetBaseException().Message);
            }
        }
        var fulfilled = new List<Guid>();
        foreach (var orderId in orderIds)
        {
            try
            {
                if (await FulfilAsync(merchantId, orderId, ct) == FulfilOutcome.Fulfilled)
                    fulfilled.Add(orderId);
            }
            catch (DomainException refusal)
            {
                logger.LogWarning("Order {Order} stays Paid: {Refusal}", orderId, refusal.Refusal.English);
            }
        }
        return fulfilled;
    }

    /// <summary>
    /// Another writer got there first: a unique key taken or a row changed since it was read (<see cref="DbUpdateException"/>,
    /// from EF's save and from the direct writes alike), or on a database server a deadlock — two nodes' chunks holding the
    /// same duplicate-delivered order — which EF, not retrying by itself, reports from a query as an
    /// <see cref="InvalidOperationException"/> around the provider's transient error, and the commit as the provider's own.
    /// </summary>
    private static bool LostRace(Exception e) =>
        e is DbUpdateException or System.Data.Common.DbException { IsTransient: true }
        || e is InvalidOperationException { InnerException: DbUpdateException or System.Data.Common.DbException { IsTransient: true } };

    private sealed record BatchResult(IReadOnlyList<Guid> Fulfilled, IReadOnlyDictionary<Guid, Refusal> Refused);

    private async Task<BatchResult> FulfilOnceAsync(Guid merchantId, IReadOnlyCollection<Guid> orderIds, CancellationToken ct)
    {
        await using var db = contextOptions.CreateForMerchant(merchantId, Actor);
        // On SQLite this is BEGIN IMMEDIATE: what is read below cannot change before the commit.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var ids = orderIds.Distinct().ToList();
        var orders = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.Id) && o.Status == OrderStatus.Paid).OrderBy(o => o.PaidAt).ThenBy(o => o.Id).ToListAsync(ct);
        var refused = new Dictionary<Guid, Refusal>();
        if (orders.Count == 0)
            return new BatchResult([], refused);

        var now = clock.GetUtcNow();
        var writes = new DirectRowWrites(db, now);
        // What each order is to become, applied once the orders are locked (on a fresh copy of one changed meanwhile).
        var outcomes = new Dictionary<Guid, Action<Order>>();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(await db.Merchants.Where(m => m.Id == merchantId).Select(m => m.TimeZoneId).SingleAsync(ct));
        var planIds = orders.Select(o => o.PlanId).Distinct().ToList();
        var plans = await db.MembershipPlans.AsNoTracking().WithParts().Where(p => planIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var customerIds = orders.Select(o => o.CustomerId).Distinct().ToList();
        var customers = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var members = await db.Memberships.AsNoTracking().Where(m => customerIds.Contains(m.CustomerId) && planIds.Contains(m.PlanId))
            .ToDictionaryAsync(m => (m.CustomerId, m.PlanId), ct);
        var membersBefore = members.Values.ToDictionary(m => m, writes.Before);
        var numbers = new Queue<string>(await NewCardNumbersAsync(db, orders.Count(o => !members.ContainsKey((o.CustomerId, o.PlanId))), ct));

        var joined = new List<(Order Order, Membership Membership)>();
        foreach (var order in orders)
        {
            var plan = plans[order.PlanId];
            if (members.TryGetValue((order.CustomerId, order.PlanId), out var membership))
            {
                outcomes[order.Id] = Renew(order, membership, plan, zone, now);
                continue;
            }
            try
            {
                membership = Membership.Enrol(plan, order.TierId, order.JoinChannelId, EnrolmentSource.Purchase, null, customers[order.CustomerId],
                    numbers.Dequeue(), zone, now);
            }
            catch (DomainException refusal)
            {
                refused[order.Id] = refusal.Refusal;
                logger.LogWarning("Order {Order} stays Paid: its enrolment was refused: {Refusal}", order.Id, refusal.Refusal.English);
                continue;
            }
            writes.Add(membership);
            var joinedMessage = OutboxMessage.For(merchantId, membership.JoinedMessage(), now, correlationId: membership.Id);
            if (!_joinedHasOtherHandlers)
                joinedMessage.DeliveredByProducer(now);
            writes.Add(joinedMessage);
            // This transaction issues the join coupons (IssueOnJoinAsync, the handler's rule and keys): the coupon
            // handler's inbox says so, and the message's delivery runs only the handlers that did not apply it here.
            writes.Add(new InboxEntry { MessageId = joinedMessage.Id, Handler = MemberJoinedCouponHandler.InboxName, ProcessedAt = now });
            members[(order.CustomerId, order.PlanId)] = membership;
            joined.Add((order, membership));
        }
        // Rows are written in a fixed order (orders by payment time, renewals by key) so that two nodes' batches that
        // share rows lock them in the same order.
        foreach (var (membership, before) in membersBefore.OrderBy(m => m.Key.Id))
            writes.Modify(membership, before);
        // The memberships are written first: their coupons refer to them.
        await writes.SaveAsync(ct);
        var countsAtCommit = new CouponCountsAtCommit();
        var coupons = await IssueOnJoinAsync(db, merchantId, [.. joined.Select(j => j.Membership)], countsAtCommit, now, ct);
        foreach (var (order, membership) in joined)
            outcomes[order.Id] = o => o.MarkFulfilled(membership.Id, membership.CardNumber, coupons.GetValueOrDefault(membership.Id), now);
        if (BeforeOrdersLocked is { } beforeOrdersLocked)
            await beforeOrdersLocked(ct);
        // Only the orders written are locked: a refused one stays Paid, as read.
        var written = await LockedAsync(db, [.. orders.Where(o => outcomes.ContainsKey(o.Id))], ct);
        foreach (var order in written)
        {
            var (row, ledgerLength) = (writes.Before(order), order.LedgerLength);
            outcomes[order.Id](order);
            writes.Modify(order, row);
            foreach (var line in order.Ledger.Where(l => l.Sequence > ledgerLength))
                writes.Add(line);
        }
        await writes.SaveAsync(ct);
        // Last, so that every node's chunk holds the shared coupon counters only for its commit.
        await countsAtCommit.WriteAsync(db, ct);
        // The coupon counters' first row of a day, if any, is tracked.
        await db.SaveChangesAsync(ct);
        if (BeforeCommit is { } beforeCommit)
            foreach (var order in written)
                await beforeCommit(order, ct);
        await transaction.CommitAsync(ct);
        List<Guid> fulfilled = [.. written.Select(o => o.Id)];
        AppTelemetry.OrdersFulfilled.Add(fulfilled.Count);
        return new BatchResult(fulfilled, refused);
    }

    /// <summary>
    /// The coupons new members get on joining, set-based: per plan, the OnJoin coupon benefits in force today
    /// (<see cref="CouponBenefits.InForceAsync"/>, the rule the <see cref="MemberJoined"/> handler applies), each issued to the
    /// members of the tiers it covers with <see cref="IssueKeys.Join"/>. A refusal (budget, stock) is logged; the card is
    /// issued anyway. Returns how many coupons each membership got.
    /// </summary>
    private async Task<Dictionary<Guid, int>> IssueOnJoinAsync(MerchantDbContext db, Guid merchantId, IReadOnlyList<Membership> joined,
        CouponCountsAtCommit countsAtCommit, DateTimeOffset now, CancellationToken ct)
    {
        var counts = joined.ToDictionary(m => m.Id, _ => 0);
        if (joined.Count == 0)
            return counts;
        var today = await CouponBenefits.TodayAsync(db, merchantId, now, ct);
        // Only BulkCouponIssuer's code drawing uses the batch issuer; its own context factory is never used.
        var issuer = new BulkCouponIssuer(new CouponBatchIssuer(new MerchantDbContextFactory(contextOptions, db.Scope), codes));
        foreach (var plan in joined.GroupBy(m => m.PlanId))
        {
            foreach (var benefit in await CouponBenefits.InForceAsync(db, plan.Key, IssueTrigger.OnJoin, today, ct))
            {
                var covered = plan.Where(m => benefit.Covers(m.TierId))
                    .Select(m => new BatchMember(m.Id, IssueKeys.Join(benefit.BenefitVersionId), benefit.BenefitVersionId)).ToList();
                if (covered.Count == 0)
                    continue;
                var result = await issuer.IssueInAsync(db, benefit.CouponActivityId, covered, now, ct, countsAtCommit);
                var refused = result.Refused.Select(r => r.MembershipId).ToHashSet();
                foreach (var (membershipId, refusal) in result.Refused)
                    logger.LogWarning("Benefit {Benefit} issued no coupon to member {Membership} on purchase: {Refusal}",
                        benefit.BenefitId, membershipId, refusal.English);
                foreach (var member in covered.Where(m => !refused.Contains(m.MembershipId)))
                    counts[member.MembershipId]++;
            }
        }
        return counts;
    }

    /// <summary>
    /// The customer already holds the plan: the order extends the membership by the tier's or plan's duration. The
    /// membership is renewed here; the order's part is returned, to apply once it is locked.
    /// </summary>
    private static Action<Order> Renew(Order order, Membership membership, Domain.Plans.MembershipPlan plan, TimeZoneInfo zone, DateTimeOffset now)
    {
        var tier = plan.Tiers.SingleOrDefault(t => t.Id == order.TierId) ?? plan.Tiers.Single(t => t.Id == membership.TierId);
        var from = membership.ExpiresAt;
        var to = membership.RenewedExpiry(plan, tier, zone, now);
        membership.Renew(to, now);
        return o => o.MarkRenewed(membership.Id, from, to, now);
    }

    /// <summary>
    /// The chunk's orders locked for its writes (PostgreSQL, <see cref="OrderRowLocks"/>), only now: from the first read on,
    /// another node recording a duplicate callback of one of them would wait for the whole chunk. An order such a
    /// recording changed since it was read is read again and, still Paid, goes on from the fresh copy; one no longer Paid
    /// is a lost race (the chunk runs again on fresh reads). Without row locks the orders stay as read: SQLite's transaction
    /// holds the write lock from its start, and SQL Server's conditional update finds any change.
    /// </summary>
    private static async Task<List<Order>> LockedAsync(MerchantDbContext db, List<Order> orders, CancellationToken ct)
    {
        var stamps = await OrderRowLocks.LockAsync(db, [.. orders.Select(o => o.Id)], ct);
        if (stamps is null)
            return orders;
        var changed = orders.Where(o => !stamps.TryGetValue(o.Id, out var stamp) || stamp != o.ConcurrencyStamp).Select(o => o.Id).ToList();
        if (changed.Count == 0)
            return orders;
        var fresh = await db.Orders.AsNoTracking().Where(o => changed.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        if (changed.Any(id => fresh.GetValueOrDefault(id)?.Status != OrderStatus.Paid))
            throw new DbUpdateConcurrencyException("An order of the chunk was fulfilled, refunded or cancelled by another writer since it was read.");
        return [.. orders.Select(o => fresh.GetValueOrDefault(o.Id) ?? o)];
    }

    /// <summary>
    /// <paramref name="count"/> card numbers, different from each other and from the merchant's cards (one query per draw);
    /// the unique index stays the guard.
    /// </summary>
    private async Task<IReadOnlyList<string>> NewCardNumbersAsync(MerchantDbContext db, int count, CancellationToken ct)
    {
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        for (var draw = 0; numbers.Count < count && draw < MembershipEnrolment.MaxAttempts; draw++)
        {
            var fresh = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < (count - numbers.Count) * 2 && fresh.Count < count - numbers.Count; i++)
                if (CardNumbers.Normalise(cardNumbers.Next()) is var number && !numbers.Contains(number))
                    fresh.Add(number);
            var taken = await db.Memberships.Where(m => fresh.Contains(m.CardNumber)).Select(m => m.CardNumber).ToListAsync(ct);
            fresh.ExceptWith(taken);
            numbers.UnionWith(fresh);
        }
        // Still short (a generator that keeps repeating itself): draw the rest anyway and let the unique index decide.
        var result = numbers.ToList();
        while (result.Count < count)
            result.Add(cardNumbers.Next());
        return result;
    }
}
