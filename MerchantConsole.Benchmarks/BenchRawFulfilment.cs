using System.Diagnostics;
using MerchantConsole.Data;
using MerchantConsole.Features.Orders;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MerchantConsole.Benchmarks;

/// <summary>
/// The fulfilment's raw-SQL baseline on PostgreSQL: N more pending orders of a second, identical plan, and the rows the app
/// writes for each paid order written by the shortest SQL this schema allows, from one connection, in chunks of 100 orders
/// (the app's chunk): per chunk one statement records the payments (Pending → Paid, a PaymentReceived ledger line) and one
/// fulfils them (Paid → Fulfilled, a membership, its on-join coupon, its MemberJoined outbox row, a Fulfilled ledger line),
/// both in one transaction (so the running app's sweep of Paid orders never sees them). No HTTP, no signature check, no audit rows, no duplicates: the database's share of the work.
/// </summary>
internal static class BenchRawFulfilment
{
    private const int Chunk = 100;

    private const string Record = """
        WITH o AS (
            UPDATE "Orders" SET "Status" = 'Paid', "PaidAt" = @now, "LedgerLength" = "LedgerLength" + 1, "ConcurrencyStamp" = gen_random_uuid()
            WHERE "PaymentId" = ANY(@payments) AND "Status" = 'Pending'
            RETURNING "Id", "MerchantId", "LedgerLength")
        INSERT INTO "OrderLedger" ("Id", "OrderId", "MerchantId", "Sequence", "Kind", "At", "Detail")
        SELECT gen_random_uuid(), o."Id", o."MerchantId", o."LedgerLength", 'PaymentReceived', @now, NULL FROM o
        """;

    // Card numbers 7 + the order's number: apart from the app's. The outbox row is written delivered, so no dispatcher picks it up.
    private const string Fulfil = """
        WITH o AS (
            UPDATE "Orders" SET "Status" = 'Fulfilled', "FulfilledAt" = @now, "MembershipId" = gen_random_uuid(), "LedgerLength" = "LedgerLength" + 1,
                "ConcurrencyStamp" = gen_random_uuid()
            WHERE "PaymentId" = ANY(@payments) AND "Status" = 'Paid'
            RETURNING "Id", "MerchantId", "CustomerId", "PlanId", "TierId", "JoinChannelId", "MembershipId", "LedgerLength", "IdempotencyKey"),
        m AS (
            INSERT INTO "Memberships" ("Id", "MerchantId", "CustomerId", "PlanId", "TierId", "JoinChannelId", "Status", "JoinedAt", "ExpiresAt", "CardNumber",
                "CardTemplateVersionId", "EarnedTierId", "SpendMinorUnits", "UpdatedAt", "ConcurrencyStamp")
            SELECT o."MembershipId", o."MerchantId", o."CustomerId", o."PlanId", o."TierId", o."JoinChannelId", 'Active', @now, @expires,
                '7' || lpad(substr(o."IdempotencyKey", 5), 11, '0'), @cardVersion, o."TierId", 0, @now, gen_random_uuid() FROM o
            RETURNING "Id", "MerchantId"),
        c AS (
            INSERT INTO "Coupons" ("Id", "MerchantId", "CouponActivityId", "CouponTemplateVersionId", "MembershipId", "BenefitVersionId", "Code", "IssueKey",
                "Currency", "Status", "IssuedAt", "ValidFrom", "ValidUntil")
            SELECT gen_random_uuid(), m."MerchantId", @couponActivity, @couponVersion, m."Id", @benefitVersion, upper(substr(md5(m."Id"::text), 1, 12)),
                'raw:' || m."Id", 'CNY', 'Issued', @now, @now, @until FROM m),
        x AS (
            INSERT INTO "OutboxMessages" ("Id", "MerchantId", "Type", "Payload", "CorrelationId", "OccurredAt", "SentAt", "Attempts", "NextAttemptAt")
            SELECT gen_random_uuid(), m."MerchantId", 'MemberJoined', '{"raw":true}', m."Id", @now, @now, 0, @now FROM m)
        INSERT INTO "OrderLedger" ("Id", "OrderId", "MerchantId", "Sequence", "Kind", "At", "Detail")
        SELECT gen_random_uuid(), o."Id", o."MerchantId", o."LedgerLength", 'Fulfilled', @now, NULL FROM o
        """;

    public static async Task CompareAsync(ProviderContextOptions contexts, SandboxPaymentProvider? sandbox, int count, double appOrdersPerSecond)
    {
        var (merchantId, planId, orders) = await FulfilmentBenchmark.ArrangeAsync(contexts, sandbox, count, "raw", "167");
        await using var db = contexts.CreateForMerchant(merchantId, "bench");
        var ids = await db.Database.SqlQuery<BenefitIds>($"""
            SELECT v."Id" AS "BenefitVersion", v."CouponActivityId" AS "CouponActivity", v."CouponTemplateVersionId" AS "CouponVersion",
                p."CardTemplateVersionId" AS "CardVersion"
            FROM "Benefits" b JOIN "BenefitVersions" v ON v."BenefitId" = b."Id" JOIN "MembershipPlans" p ON p."Id" = b."PlanId"
            WHERE b."PlanId" = {planId} AND v."CouponActivityId" IS NOT NULL
            """).SingleAsync();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        var sw = Stopwatch.StartNew();
        var (paid, fulfilled) = (0, 0);
        for (var start = 0; start < orders.Count; start += Chunk)
        {
            var payments = orders.Skip(start).Take(Chunk).Select(o => o.PaymentId).ToArray();
            var now = DateTimeOffset.UtcNow;
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var record = new NpgsqlCommand(Record, connection, transaction))
            {
                record.Parameters.AddWithValue("now", now);
                record.Parameters.AddWithValue("payments", payments);
                paid += await record.ExecuteNonQueryAsync();
            }
            await using var fulfil = new NpgsqlCommand(Fulfil, connection, transaction);
            fulfil.Parameters.AddWithValue("now", now);
            fulfil.Parameters.AddWithValue("payments", payments);
            fulfil.Parameters.AddWithValue("expires", now.AddYears(1));
            fulfil.Parameters.AddWithValue("until", now.AddDays(30));
            fulfil.Parameters.AddWithValue("cardVersion", ids.CardVersion);
            fulfil.Parameters.AddWithValue("couponActivity", ids.CouponActivity);
            fulfil.Parameters.AddWithValue("couponVersion", ids.CouponVersion);
            fulfil.Parameters.AddWithValue("benefitVersion", ids.BenefitVersion);
            fulfilled += await fulfil.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }
        var seconds = sw.Elapsed.TotalSeconds;
        var memberships = await db.Memberships.CountAsync(m => m.PlanId == planId);
        var coupons = await db.Coupons.CountAsync(c => db.Memberships.Any(m => m.Id == c.MembershipId && m.PlanId == planId));
        Console.WriteLine($"raw SQL, same rows: {fulfilled:N0} orders fulfilled ({paid:N0} payment lines, {memberships:N0} memberships, {coupons:N0} coupons) " +
            $"in {seconds:F1} s: {fulfilled / seconds:N0} orders/s, chunks of {Chunk}, one connection");
        Console.WriteLine($"ratio app/raw orders/s: {appOrdersPerSecond / (fulfilled / seconds):N2}");
    }

    private sealed record BenefitIds(Guid BenefitVersion, Guid CouponActivity, Guid CouponVersion, Guid CardVersion);
}
