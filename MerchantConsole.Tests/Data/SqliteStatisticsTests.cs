using MerchantConsole.Data;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace MerchantConsole.Tests.Data;

public sealed class SqliteStatisticsTests
{
    [Fact]
    public async Task WithStatisticsALookupOfManyPaymentIdsSeeksThePaymentIndexInsteadOfWalkingTheMerchantsOrders()
    {
        await using var database = await TestDatabase.CreateAsync();
        var merchant = await database.AddMerchantAsync("coffee");
        await using (var db = database.Unscoped())
            await db.Database.ExecuteSqlRawAsync("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
                INSERT INTO Orders (Id, MerchantId, CustomerId, PlanId, TierId, JoinChannelId, ProductId, PriceMinorUnits, Currency,
                    Status, IdempotencyKey, StockReserved, PaymentId, CreatedAt, ExpiresAt, LedgerLength, ConcurrencyStamp, IsRenewal)
                SELECT 'order-' || i, {0}, 'customer-' || i, 'plan', 'tier', 'channel', 'product', 100, 'CNY',
                    'Pending', 'key-' || i, 0, 'payment-' || i, 0, 0, 0, 'stamp', 0 FROM n
                """, merchant.Id.ToString().ToUpperInvariant());

        await new SqliteStatisticsJob(database.Contexts, NullLogger<SqliteStatisticsJob>.Instance).RunAsync(CancellationToken.None);

        // The shape EF gives a callback batch's lookup: the merchant filter and 16 payment ids.
        var ids = string.Join(", ", Enumerable.Range(1, 16).Select(i => $"'payment-{i}'"));
        await using var check = database.Unscoped();
        var connection = check.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var explain = connection.CreateCommand();
        explain.CommandText = $"EXPLAIN QUERY PLAN SELECT Id FROM Orders WHERE MerchantId = 'x' AND PaymentId IS NOT NULL AND PaymentId IN ({ids})";
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                plan.Add(reader.GetString(3));
        Assert.Contains(plan, step => step.Contains("IX_Orders_PaymentId", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("MerchantId", StringComparison.Ordinal));
    }
}
