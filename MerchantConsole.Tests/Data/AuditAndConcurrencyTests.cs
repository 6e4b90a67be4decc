using System.Text.Json;
using MerchantConsole.Data;
using MerchantConsole.Domain.Merchants;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Data;

public sealed class AuditAndConcurrencyTests
{
    [Fact]
    public async Task AStaffChangeIsAuditedWithWhoWhenAndOldAndNewValues()
    {
        await using var database = await TestDatabase.CreateAsync();
        var merchant = await database.AddMerchantAsync("coffee");
        await using (var db = database.For(merchant.Id, actor: "admin@coffee"))
        {
            db.AuditEntries.Add(new AuditEntry { At = database.Clock.GetUtcNow(), UserName = "x", EntityType = "Seed", EntityId = "1", Action = "Note", Changes = "[]" });
            await db.SaveChangesAsync();
        }

        // A merchant-owned row edited by a staff user: the change is recorded in the same save.
        await using (var db = database.For(merchant.Id, actor: "admin@coffee"))
        {
            var row = await db.AuditEntries.SingleAsync(a => a.EntityType == "Seed");
            row.EntityId = "2";
            await db.SaveChangesAsync();
        }

        await using var read = database.For(merchant.Id);
        var audit = await read.AuditEntries.Where(a => a.EntityType == nameof(AuditEntry) && a.Action == "Modified").SingleAsync();
        Assert.Equal("admin@coffee", audit.UserName);
        Assert.Equal(database.Clock.GetUtcNow(), audit.At);
        Assert.Equal(merchant.Id, audit.MerchantId);
        var changes = JsonDocument.Parse(audit.Changes).RootElement.EnumerateArray().ToList();
        var change = Assert.Single(changes);
        Assert.Equal("EntityId", change.GetProperty("Field").GetString());
        Assert.Equal("1", change.GetProperty("Old").GetString());
        Assert.Equal("2", change.GetProperty("New").GetString());
    }

    [Fact]
    public async Task TheSecondOfTwoConcurrentEditsGetsAConflict()
    {
        await using var database = await TestDatabase.CreateAsync();
        var merchant = await database.AddMerchantAsync("coffee");

        await using var first = database.Unscoped();
        await using var second = database.Unscoped();
        var a = await first.Merchants.SingleAsync(m => m.Id == merchant.Id);
        var b = await second.Merchants.SingleAsync(m => m.Id == merchant.Id);

        a.Rename("First edit");
        await first.SaveChangesAsync();
        b.Rename("Second edit");

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var check = database.Unscoped();
        Assert.Equal("First edit", (await check.Merchants.SingleAsync(m => m.Id == merchant.Id)).Name);
    }

    [Fact]
    public async Task EverySaveRenewsTheConcurrencyStamp()
    {
        await using var database = await TestDatabase.CreateAsync();
        var merchant = await database.AddMerchantAsync("coffee");
        var before = merchant.ConcurrencyStamp;

        await using var db = database.Unscoped();
        var loaded = await db.Merchants.SingleAsync(m => m.Id == merchant.Id);
        loaded.Rename("Renamed");
        await db.SaveChangesAsync();

        Assert.NotEqual(Guid.Empty, before);
        Assert.NotEqual(before, loaded.ConcurrencyStamp);
    }
}
