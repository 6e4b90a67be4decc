using MerchantConsole.Data.Migrations.PostgreSql;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace MerchantConsole.Tests.PostgreSql;

/// <summary>
/// The searches PostgreSQL's b-trees cannot seek (<c>ILIKE 'abc%'</c> of the member grid, <c>ILIKE '%abc%'</c> of the order
/// grid) have trigram indexes on the customer's name and phone (migration PostgreSqlTrigramSearch). Skipped without a server.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PostgreSqlTrigramSearchTests(PostgreSqlAppFixture postgres) : IClassFixture<PostgreSqlAppFixture>
{
    [Theory]
    [InlineData("Name", "%会员12%", PostgreSqlTrigramSearch.CustomerNameIndex)]
    [InlineData("Name", "alice%", PostgreSqlTrigramSearch.CustomerNameIndex)]
    [InlineData("Phone", "%0013%", PostgreSqlTrigramSearch.CustomerPhoneIndex)]
    public async Task ACaseInsensitiveSearchOfCustomersCanReadItsTrigramIndex(string column, string pattern, string index)
    {
        var app = postgres.Require();
        await using var db = app.Factory.CreateUnscopedContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        // The demo data is small enough for a sequential scan to win: taken off the table, the planner shows which index can serve the search.
        await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_seqscan = off");

        await using var explain = db.Database.GetDbConnection().CreateCommand();
        explain.Transaction = transaction.GetDbTransaction();
        explain.CommandText = $"""EXPLAIN SELECT "Id" FROM "Customers" WHERE "{column}" ILIKE '{pattern}'""";
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                plan.Add(reader.GetString(0));

        Assert.Contains(plan, line => line.Contains(index, StringComparison.Ordinal));
    }
}
