using MerchantConsole.Data;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Data;

public sealed class MerchantScopingTests
{
    private static AuditEntry Note(string what, Guid merchantId = default) =>
        new() { MerchantId = merchantId, At = DateTimeOffset.UnixEpoch, UserName = "x", EntityType = what, EntityId = "1", Action = "Note" };

    [Fact]
    public async Task ReadsSeeOnlyTheScopedMerchantsRows()
    {
        await using var database = await TestDatabase.CreateAsync();
        var coffee = await database.AddMerchantAsync("coffee");
        var fruit = await database.AddMerchantAsync("fruit");
        await using (var db = database.For(coffee.Id)) { db.AuditEntries.Add(Note("coffee-row")); await db.SaveChangesAsync(); }
        await using (var db = database.For(fruit.Id)) { db.AuditEntries.Add(Note("fruit-row")); await db.SaveChangesAsync(); }

        await using var coffeeDb = database.For(coffee.Id);
        var seen = await coffeeDb.AuditEntries.Select(a => a.EntityType).ToListAsync();

        Assert.Contains("coffee-row", seen);
        Assert.DoesNotContain("fruit-row", seen);
        Assert.Null(await coffeeDb.AuditEntries.FirstOrDefaultAsync(a => a.EntityType == "fruit-row"));
    }

    [Fact]
    public async Task InsertsAreStampedWithTheScopedMerchant()
    {
        await using var database = await TestDatabase.CreateAsync();
        var coffee = await database.AddMerchantAsync("coffee");
        var row = Note("stamped");

        await using (var db = database.For(coffee.Id)) { db.AuditEntries.Add(row); await db.SaveChangesAsync(); }

        Assert.Equal(coffee.Id, row.MerchantId);
    }

    [Fact]
    public async Task WritingAnotherMerchantsRowIsRefused()
    {
        await using var database = await TestDatabase.CreateAsync();
        var coffee = await database.AddMerchantAsync("coffee");
        var fruit = await database.AddMerchantAsync("fruit");

        await using var db = database.For(coffee.Id);
        db.AuditEntries.Add(Note("smuggled", fruit.Id));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        Assert.Contains("another merchant", refused.Message);
        await using var check = database.For(fruit.Id);
        Assert.False(await check.AuditEntries.AnyAsync(a => a.EntityType == "smuggled"));
    }

    [Fact]
    public async Task AContextWithNoMerchantSeesNothingAndCannotWrite()
    {
        await using var database = await TestDatabase.CreateAsync();
        var coffee = await database.AddMerchantAsync("coffee");
        await using (var db = database.For(coffee.Id)) { db.AuditEntries.Add(Note("coffee-row")); await db.SaveChangesAsync(); }

        // What a job would get if it forgot to say which merchant it works for.
        await using var unscoped = database.Unscoped();
        Assert.Equal(0, await unscoped.AuditEntries.CountAsync());
        unscoped.AuditEntries.Add(Note("orphan"));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => unscoped.SaveChangesAsync());
        Assert.Contains("no merchant is in scope", refused.Message);
    }

    [Fact]
    public async Task SupportScopeReadsAcrossMerchants()
    {
        await using var database = await TestDatabase.CreateAsync();
        var coffee = await database.AddMerchantAsync("coffee");
        var fruit = await database.AddMerchantAsync("fruit");
        await using (var db = database.For(coffee.Id)) { db.AuditEntries.Add(Note("a")); await db.SaveChangesAsync(); }
        await using (var db = database.For(fruit.Id)) { db.AuditEntries.Add(Note("b")); await db.SaveChangesAsync(); }

        var scope = new MerchantScope();
        scope.UseAcrossMerchants("support@test");
        await using var support = database.ForScope(scope);

        Assert.Equal(2, await support.AuditEntries.Select(a => a.MerchantId).Distinct().CountAsync());
    }
}
