using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Features.CardTemplates;
using MerchantConsole.Features.Merchants;
using MerchantConsole.Features.Staff;
using MerchantConsole.Tests.Features.CardTemplates;
using MerchantConsole.Tests.Features.Staff;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Features.Merchants;

/// <summary>Support creating merchants, and a merchant admin's settings, through the real services and database.</summary>
public sealed class MerchantServiceTests : IAsyncLifetime
{
    private StaffHarness _h = null!;
    private StaffUser _support = null!;

    public async ValueTask InitializeAsync()
    {
        _h = await StaffHarness.CreateAsync();
        _support = await _h.AddUserAsync(null, "support@platform.test", StaffRoles.Support);
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task SupportCreatesAMerchantWithItsLogoAndFirstAdminWhoSetsAPasswordAndSignsIn()
    {
        CreatedMerchant created;
        await using (var support = _h.As(_support))
            created = await support.Directory.CreateAsync(new NewMerchant("Tea House 茶馆", "tea-house", "Asia/Hong_Kong", "hkd",
                "owner@tea.test", "Tea owner", TestImages.Png(64, 64), "logo.png"));

        await using (var db = _h.Database.For(created.MerchantId))
        {
            var merchant = await db.Merchants.SingleAsync(m => m.Id == created.MerchantId);
            Assert.Equal(("Tea House 茶馆", "tea-house", "Asia/Hong_Kong", "HKD"), (merchant.Name, merchant.Code, merchant.TimeZoneId, merchant.DefaultCurrency));
            var logo = await db.UploadedImages.SingleAsync(i => i.Id == merchant.LogoImageId);
            Assert.Equal(created.MerchantId, logo.MerchantId);
        }
        await using (var anonymous = _h.Anonymous())
            Assert.Equal(SetPasswordOutcome.Done, (await anonymous.Links.CompleteAsync(created.AdminLink.Token, "Owner#2026pass")).Outcome);
        Assert.True((await _h.SignInAsync("owner@tea.test", "Owner#2026pass")).Succeeded);
        var owner = await _h.ReloadAsync(created.AdminLink.UserId);
        Assert.Equal(created.MerchantId, owner.MerchantId);
        await using (var asOwner = _h.As(owner))
            Assert.Equal(StaffRoles.MerchantAdmin, (await asOwner.Staff.FindAsync(owner.Id))!.Role);
        var audit = await _h.AuditAsync(created.MerchantId);
        var entry = Assert.Single(audit, a => a.Action == StaffAudit.MerchantCreated);
        Assert.Equal("support@platform.test", entry.UserName);
        Assert.Contains(entry.ReadChanges(), c => c.Field == "Currency" && c.New == "HKD");
        Assert.Single(audit, a => a.Action == StaffAudit.Invited && a.EntityId == owner.Id);
    }

    [Fact]
    public async Task ATakenCodeOrEmailOrAnUnreadableLogoCreatesNothing()
    {
        await _h.AddUserAsync(_h.Merchant.Id, "busy@a.test", StaffRoles.StoreManager);
        await using var support = _h.As(_support);

        var code = await Assert.ThrowsAsync<DomainException>(() => support.Directory.CreateAsync(
            new NewMerchant("Again", _h.Merchant.Code, "Asia/Shanghai", "CNY", "new@x.test", "")));
        var email = await Assert.ThrowsAsync<DomainException>(() => support.Directory.CreateAsync(
            new NewMerchant("Busy", "busy-shop", "Asia/Shanghai", "CNY", "busy@a.test", "")));
        var logo = await Assert.ThrowsAsync<DomainException>(() => support.Directory.CreateAsync(
            new NewMerchant("Logo", "logo-shop", "Asia/Shanghai", "CNY", "logo@x.test", "", TestImages.Text("not an image"), "logo.png")));

        Assert.Equal("Merchant.CodeTaken", code.Refusal.Code);
        Assert.Equal("Staff.EmailTaken", email.Refusal.Code);
        Assert.Equal("Merchant.LogoRefused", logo.Refusal.Code);
        await using var db = _h.Database.Unscoped();
        Assert.Equal(2, await db.Merchants.CountAsync());
        Assert.False(await db.Users.AnyAsync(u => u.Email == "new@x.test" || u.Email == "logo@x.test"));
    }

    [Fact]
    public async Task TheMerchantListSearchesByNameOrCodeAndPages()
    {
        await using var support = _h.As(_support);

        var byCode = await support.Directory.ListAsync("staff-b", 0, 10);
        var all = await support.Directory.ListAsync(null, 0, 1);
        var second = await support.Directory.ListAsync(null, 1, 1);
        var none = await support.Directory.ListAsync("100%", 0, 10);

        Assert.Equal(_h.OtherMerchant.Id, Assert.Single(byCode.Rows).Id);
        Assert.Equal(2, all.Total);
        Assert.NotEqual(all.Rows[0].Id, Assert.Single(second.Rows).Id);
        Assert.Empty(none.Rows);
    }

    [Fact]
    public async Task AnAdminChangesTheMerchantsSettingsAndTheChangeIsAudited()
    {
        var admin = await _h.AddUserAsync(_h.Merchant.Id, "admin@a.test", StaffRoles.MerchantAdmin);
        await using var asAdmin = _h.As(admin);
        var before = (await asAdmin.Settings.GetAsync())!;

        var after = await asAdmin.Settings.SaveAsync(before.Stamp, "Renamed shop", "Europe/London", "gbp", TestImages.Png(32, 32), "logo.png");

        Assert.Equal(("Renamed shop", "Europe/London", "GBP"), (after.Name, after.TimeZoneId, after.Currency));
        Assert.NotNull(after.LogoImageId);
        var entry = Assert.Single(await _h.AuditAsync(_h.Merchant.Id), a => a.Action == StaffAudit.SettingsChanged);
        Assert.Equal("admin@a.test", entry.UserName);
        Assert.Contains(entry.ReadChanges(), c => c.Field == "Name" && c.Old == before.Name && c.New == "Renamed shop");
        Assert.Contains(entry.ReadChanges(), c => c.Field == "TimeZone" && c.Old == "Asia/Shanghai" && c.New == "Europe/London");
        Assert.Contains(entry.ReadChanges(), c => c.Field == "Currency" && c.Old == "CNY" && c.New == "GBP");
        var trail = await asAdmin.Staff.AuditTrailAsync(0, 10);
        Assert.Equal(StaffAudit.SettingsChanged, trail.Rows[0].Action);
    }

    [Fact]
    public async Task StaleOrInvalidSettingsAreRefusedAndNothingChanges()
    {
        var admin = await _h.AddUserAsync(_h.Merchant.Id, "admin@a.test", StaffRoles.MerchantAdmin);
        await using var asAdmin = _h.As(admin);
        var loaded = (await asAdmin.Settings.GetAsync())!;
        await asAdmin.Settings.SaveAsync(loaded.Stamp, "First save", "Asia/Shanghai", "CNY");

        var stale = await Assert.ThrowsAsync<DomainException>(() => asAdmin.Settings.SaveAsync(loaded.Stamp, "Second save", "Asia/Shanghai", "CNY"));
        var current = (await asAdmin.Settings.GetAsync())!;
        var zone = await Assert.ThrowsAsync<DomainException>(() => asAdmin.Settings.SaveAsync(current.Stamp, "Zone", "Mars/Olympus", "CNY"));
        var currency = await Assert.ThrowsAsync<DomainException>(() => asAdmin.Settings.SaveAsync(current.Stamp, "Currency", "Asia/Shanghai", "yuan"));

        Assert.Equal("Merchant.Stale", stale.Refusal.Code);
        Assert.Equal("Merchant.TimeZoneUnknown", zone.Refusal.Code);
        Assert.Equal("Merchant.CurrencyInvalid", currency.Refusal.Code);
        Assert.Equal("First save", (await asAdmin.Settings.GetAsync())!.Name);
    }
}
