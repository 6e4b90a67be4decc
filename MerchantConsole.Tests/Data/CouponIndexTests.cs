using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Members;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Data;

/// <summary>
/// The coupon's unique index (MembershipId, MerchantId, IssueKey) serves its foreign key to the membership and the issue-key
/// look-ups that used to lead with the merchant: SQLite's plans for them search that index, never scan.
/// </summary>
public sealed class CouponIndexTests
{
    private const string Index = "IX_Coupons_MembershipId_MerchantId_IssueKey";

    [Fact]
    public async Task TheForeignKeyToTheMembershipHasNoIndexOfItsOwn()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.Unscoped();

        var indexes = await db.Database.SqlQuery<string>($"SELECT name AS Value FROM pragma_index_list('Coupons')").ToListAsync();
        var keys = await db.Database.SqlQuery<string>($"SELECT \"table\" AS Value FROM pragma_foreign_key_list('Coupons')").ToListAsync();

        Assert.Contains("Memberships", keys);
        Assert.Contains(Index, indexes);
        Assert.DoesNotContain("IX_Coupons_MembershipId", indexes);
        Assert.DoesNotContain("IX_Coupons_MerchantId_MembershipId_IssueKey", indexes);
    }

    [Fact]
    public async Task TheIssuersLookUpsByMemberAndKeySearchTheUniqueIndex()
    {
        await using var database = await TestDatabase.CreateAsync();
        var merchant = await database.AddMerchantAsync("plans");
        await using var db = database.For(merchant.Id);
        var member = Guid.NewGuid();
        List<Guid> members = [Guid.NewGuid(), Guid.NewGuid()];
        List<string> keys = ["grant:a", "monthly:b"];

        var one = await PlanAsync(db.Coupons.Where(c => c.MembershipId == member && c.IssueKey == "join:x"));
        var batch = await PlanAsync(db.Coupons.Where(c => members.Contains(c.MembershipId) && keys.Contains(c.IssueKey)).Select(c => new { c.MembershipId, c.IssueKey }));
        var membersCoupons = await PlanAsync(db.Coupons.Where(c => c.MembershipId == member));

        Assert.Contains(one, d => d.Contains($"USING INDEX {Index}") || d.Contains($"USING COVERING INDEX {Index}"));
        Assert.Contains(batch, d => d.Contains($"INDEX {Index}"));
        Assert.Contains(membersCoupons, d => d.Contains($"INDEX {Index}"));
        Assert.DoesNotContain(one.Concat(batch).Concat(membersCoupons), d => d.StartsWith("SCAN Coupons", StringComparison.Ordinal) || d.StartsWith("SCAN c", StringComparison.Ordinal));
    }

    /// <summary>SQLite's query plan for the SQL EF sends, with its parameters bound.</summary>
    private static async Task<List<string>> PlanAsync<T>(IQueryable<T> query)
    {
        await using var command = query.CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        await command.Connection!.OpenAsync();
        var details = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                details.Add(reader.GetString(3));
        return details;
    }
}
