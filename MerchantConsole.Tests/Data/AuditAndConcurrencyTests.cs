using System.Text.Json;
using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Tests.Domain.CardTemplates;
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
        var template = CardTemplate.Create(merchant.Id, "Gold card", Designs.Compliant(), "admin@coffee", database.Clock.GetUtcNow());
        await using (var db = database.For(merchant.Id, actor: "admin@coffee"))
        {
            db.Add(template);
            await db.SaveChangesAsync();
        }
        database.Clock.Advance(TimeSpan.FromMinutes(5));

        await using (var db = database.For(merchant.Id, actor: "admin@coffee"))
        {
            var loaded = await db.Set<CardTemplate>().SingleAsync(t => t.Id == template.Id);
            loaded.Rename("Platinum card", "admin@coffee", database.Clock.GetUtcNow());
            await db.SaveChangesAsync();
        }

        await using var read = database.For(merchant.Id);
        var entries = await read.AuditEntries.Where(a => a.EntityType == nameof(CardTemplate) && a.EntityId == template.Id.ToString()).ToListAsync();
        Assert.Contains(entries, e => e.Action == "Added");
        var modified = Assert.Single(entries, e => e.Action == "Modified");
        Assert.Equal("admin@coffee", modified.UserName);
        Assert.Equal(database.Clock.GetUtcNow(), modified.At);
        Assert.Equal(merchant.Id, modified.MerchantId);
        var changes = JsonDocument.Parse(modified.Changes).RootElement.EnumerateArray()
            .ToDictionary(c => c.GetProperty("Field").GetString()!, c => (Old: c.GetProperty("Old").GetString(), New: c.GetProperty("New").GetString()));
        Assert.Equal(("Gold card", "Platinum card"), changes["Name"]);
        Assert.DoesNotContain("ConcurrencyStamp", changes.Keys);
    }

    [Fact]
    public async Task AChangeToAPartOfAnAggregateIsAuditedUnderItsRoot()
    {
        await using var database = await TestDatabase.CreateAsync();
        var merchant = await database.AddMerchantAsync("coffee");
        var plan = MembershipPlan.Create(merchant.Id, "Coffee Club", null, "CNY", database.Clock.GetUtcNow());
        var tier = plan.AddTier("Silver", "#C0C0C0", UpgradeRule.None, null, TierValidity.Permanent, null, database.Clock.GetUtcNow());
        await using (var db = database.For(merchant.Id, actor: "admin@coffee"))
        {
            db.Add(plan);
            await db.SaveChangesAsync();
        }

        await using (var db = database.For(merchant.Id, actor: "admin@coffee"))
        {
            var loaded = await db.MembershipPlans.Include(p => p.Tiers).SingleAsync(p => p.Id == plan.Id);
            loaded.UpdateTierLook(tier.Id, "Silver Star", "#C0C0C0", database.Clock.GetUtcNow());
            await db.SaveChangesAsync();
        }

        await using var read = database.For(merchant.Id);
        var tierChange = await read.AuditEntries
            .SingleAsync(a => a.EntityType == nameof(Tier) && a.EntityId == tier.Id.ToString() && a.Action == "Modified");
        Assert.Equal(nameof(MembershipPlan), tierChange.AggregateType);
        Assert.Equal(plan.Id.ToString(), tierChange.AggregateId);
        Assert.Equal(merchant.Id, tierChange.MerchantId);
        Assert.Equal("admin@coffee", tierChange.UserName);
        Assert.Contains("Silver Star", tierChange.Changes);
        Assert.True(await read.AuditEntries.AnyAsync(a => a.EntityType == nameof(Tier) && a.Action == "Added" && a.AggregateId == plan.Id.ToString()));
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
