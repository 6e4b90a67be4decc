using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Features.Staff;

namespace MerchantConsole.Tests.Features.Staff;

/// <summary>A merchant admin's staff actions through the real services, Identity and database.</summary>
public sealed class StaffServiceTests : IAsyncLifetime
{
    private StaffHarness _h = null!;
    private StaffUser _admin = null!;

    public async ValueTask InitializeAsync()
    {
        _h = await StaffHarness.CreateAsync();
        _admin = await _h.AddUserAsync(_h.Merchant.Id, "admin@a.test", StaffRoles.MerchantAdmin);
    }

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task AnInvitedUserSetsAPasswordThroughTheLinkAndCanThenSignIn()
    {
        IssuedLink link;
        await using (var admin = _h.As(_admin))
            link = await admin.Staff.InviteAsync("new@a.test", "New Person", StaffRoles.StoreManager);
        Assert.False((await _h.SignInAsync("new@a.test", "Fresh#2026pass")).Succeeded);

        SetPasswordResult result;
        await using (var anonymous = _h.Anonymous())
        {
            Assert.Equal(SetPasswordOutcome.Usable, (await anonymous.Links.CheckAsync(link.Token)).Outcome);
            result = await anonymous.Links.CompleteAsync(link.Token, "Fresh#2026pass");
        }

        Assert.Equal(SetPasswordOutcome.Done, result.Outcome);
        Assert.True((await _h.SignInAsync("new@a.test", "Fresh#2026pass")).Succeeded);
        Assert.StartsWith("/account/set-password?token=", link.RelativeUrl);
        Assert.Equal(_h.Clock.GetUtcNow().AddHours(72), link.ExpiresAt);
        await using (var admin = _h.As(_admin))
        {
            var row = Assert.Single(await admin.Staff.ListAsync(), r => r.Email == "new@a.test");
            Assert.Equal(StaffRoles.StoreManager, row.Role);
            Assert.Equal(StaffStatus.Active, row.Status);
        }
        var audit = await _h.AuditAsync(_h.Merchant.Id);
        var invited = Assert.Single(audit, a => a.Action == StaffAudit.Invited);
        Assert.Equal("admin@a.test", invited.UserName);
        Assert.Equal(_admin.Id, invited.UserId);
        Assert.Contains(invited.ReadChanges(), c => c.Field == "Role" && c.New == StaffRoles.StoreManager);
        Assert.Contains(invited.ReadChanges(), c => c.Field == "Email" && c.New == "new@a.test");
        Assert.Single(audit, a => a.Action == StaffAudit.PasswordSet && a.EntityId == link.UserId);
    }

    [Fact]
    public async Task ASetPasswordLinkWorksOnlyOnce()
    {
        IssuedLink link;
        await using (var admin = _h.As(_admin))
            link = await admin.Staff.InviteAsync("once@a.test", "", StaffRoles.StoreManager);
        await using var anonymous = _h.Anonymous();

        var first = await anonymous.Links.CompleteAsync(link.Token, "First#2026pass");
        var second = await anonymous.Links.CompleteAsync(link.Token, "Second#2026pass");

        Assert.Equal(SetPasswordOutcome.Done, first.Outcome);
        Assert.Equal(SetPasswordOutcome.Used, second.Outcome);
        Assert.Equal(SetPasswordOutcome.Used, (await anonymous.Links.CheckAsync(link.Token)).Outcome);
        Assert.True((await _h.SignInAsync("once@a.test", "First#2026pass")).Succeeded);
        Assert.False((await _h.SignInAsync("once@a.test", "Second#2026pass")).Succeeded);
    }

    [Fact]
    public async Task AnExpiredSetPasswordLinkIsRefused()
    {
        IssuedLink link;
        await using (var admin = _h.As(_admin))
            link = await admin.Staff.InviteAsync("late@a.test", "", StaffRoles.StoreManager);

        _h.Clock.Advance(TimeSpan.FromHours(72) + TimeSpan.FromSeconds(1));
        await using var anonymous = _h.Anonymous();
        var result = await anonymous.Links.CompleteAsync(link.Token, "Late#2026pass");

        Assert.Equal(SetPasswordOutcome.Expired, result.Outcome);
        Assert.Equal(SetPasswordOutcome.Expired, (await anonymous.Links.CheckAsync(link.Token)).Outcome);
        Assert.Null((await _h.ReloadAsync(link.UserId)).PasswordHash);
    }

    [Fact]
    public async Task ANewLinkReplacesTheOldOneAndAnUnknownTokenIsRefused()
    {
        IssuedLink first, second;
        await using (var admin = _h.As(_admin))
        {
            first = await admin.Staff.InviteAsync("again@a.test", "", StaffRoles.StoreManager);
            second = await admin.Staff.IssueLinkAsync(first.UserId);
        }
        await using var anonymous = _h.Anonymous();

        Assert.Equal(SetPasswordOutcome.Expired, (await anonymous.Links.CompleteAsync(first.Token, "Again#2026pass")).Outcome);
        Assert.Equal(SetPasswordOutcome.Unknown, (await anonymous.Links.CompleteAsync("not-a-token", "Again#2026pass")).Outcome);
        Assert.Equal(SetPasswordOutcome.Done, (await anonymous.Links.CompleteAsync(second.Token, "Again#2026pass")).Outcome);
    }

    [Fact]
    public async Task AWeakPasswordIsRefusedAndTheLinkStaysUsable()
    {
        IssuedLink link;
        await using (var admin = _h.As(_admin))
            link = await admin.Staff.InviteAsync("weak@a.test", "", StaffRoles.StoreManager);
        await using var anonymous = _h.Anonymous();

        var weak = await anonymous.Links.CompleteAsync(link.Token, "short");

        Assert.Equal(SetPasswordOutcome.PasswordRejected, weak.Outcome);
        Assert.Contains(weak.Errors!, e => e.Code == "Identity.PasswordTooShort");
        Assert.Equal(SetPasswordOutcome.Done, (await anonymous.Links.CompleteAsync(link.Token, "Strong#2026pass")).Outcome);
    }

    [Fact]
    public async Task ADeactivatedUserCannotSignInAndTheirOldCookieNoLongerValidates()
    {
        var manager = await _h.AddUserAsync(_h.Merchant.Id, "manager@a.test", StaffRoles.StoreManager);
        var cookie = await _h.CookiePrincipalAsync(manager.Id);
        Assert.NotNull(await _h.ValidateCookieAsync(cookie));

        await using (var admin = _h.As(_admin))
            await admin.Staff.DeactivateAsync(manager.Id);

        Assert.Null(await _h.ValidateCookieAsync(cookie));
        Assert.True((await _h.SignInAsync("manager@a.test", StaffHarness.Password)).IsNotAllowed);
        Assert.NotNull((await _h.ReloadAsync(manager.Id)).DeactivatedAt);
        await using (var admin = _h.As(_admin))
        {
            Assert.Equal(StaffStatus.Deactivated, (await admin.Staff.FindAsync(manager.Id))!.Status);
            await admin.Staff.ReactivateAsync(manager.Id);
        }
        Assert.True((await _h.SignInAsync("manager@a.test", StaffHarness.Password)).Succeeded);
        var actions = (await _h.AuditAsync(_h.Merchant.Id)).Where(a => a.EntityId == manager.Id).Select(a => a.Action).ToList();
        Assert.Equal([StaffAudit.Deactivated, StaffAudit.Reactivated], actions);
    }

    [Fact]
    public async Task ADeactivatedUsersLinkIsRefused()
    {
        IssuedLink link;
        await using (var admin = _h.As(_admin))
        {
            link = await admin.Staff.InviteAsync("gone@a.test", "", StaffRoles.StoreManager);
            await admin.Staff.DeactivateAsync(link.UserId);
        }
        await using var anonymous = _h.Anonymous();

        Assert.Equal(SetPasswordOutcome.Deactivated, (await anonymous.Links.CompleteAsync(link.Token, "Gone#2026pass")).Outcome);
    }

    [Fact]
    public async Task TheLastActiveAdminCannotBeDemotedOrDeactivated()
    {
        await using (var admin = _h.As(_admin))
        {
            var demote = await Assert.ThrowsAsync<DomainException>(() => admin.Staff.ChangeRoleAsync(_admin.Id, StaffRoles.StoreManager));
            var deactivate = await Assert.ThrowsAsync<DomainException>(() => admin.Staff.DeactivateAsync(_admin.Id));
            Assert.Equal("Staff.LastAdmin", demote.Refusal.Code);
            Assert.Equal("Staff.LastAdmin", deactivate.Refusal.Code);
            // An invited admin who has not set a password cannot sign in, so does not count.
            await admin.Staff.InviteAsync("pending@a.test", "", StaffRoles.MerchantAdmin);
            Assert.Equal("Staff.LastAdmin", (await Assert.ThrowsAsync<DomainException>(() => admin.Staff.DeactivateAsync(_admin.Id))).Refusal.Code);
        }
        Assert.True((await _h.SignInAsync("admin@a.test", StaffHarness.Password)).Succeeded);

        await _h.AddUserAsync(_h.Merchant.Id, "second@a.test", StaffRoles.MerchantAdmin);
        await using (var admin = _h.As(_admin))
        {
            await admin.Staff.ChangeRoleAsync(_admin.Id, StaffRoles.StoreManager);
            Assert.Equal(StaffRoles.StoreManager, (await admin.Staff.FindAsync(_admin.Id))!.Role);
        }
    }

    [Fact]
    public async Task ARoleChangeEndsTheUsersSessionsAndIsAudited()
    {
        var manager = await _h.AddUserAsync(_h.Merchant.Id, "promote@a.test", StaffRoles.StoreManager);
        var cookie = await _h.CookiePrincipalAsync(manager.Id);

        await using (var admin = _h.As(_admin))
            await admin.Staff.ChangeRoleAsync(manager.Id, StaffRoles.MerchantAdmin);

        Assert.Null(await _h.ValidateCookieAsync(cookie));
        var entry = Assert.Single(await _h.AuditAsync(_h.Merchant.Id), a => a.Action == StaffAudit.RoleChanged);
        Assert.Contains(entry.ReadChanges(), c => c.Field == "Role" && c.Old == StaffRoles.StoreManager && c.New == StaffRoles.MerchantAdmin);
    }

    [Fact]
    public async Task SupportCannotBeGivenByAMerchantAdmin()
    {
        var manager = await _h.AddUserAsync(_h.Merchant.Id, "nosupport@a.test", StaffRoles.StoreManager);
        await using var admin = _h.As(_admin);

        var change = await Assert.ThrowsAsync<DomainException>(() => admin.Staff.ChangeRoleAsync(manager.Id, StaffRoles.Support));
        var invite = await Assert.ThrowsAsync<DomainException>(() => admin.Staff.InviteAsync("sup@a.test", "", StaffRoles.Support));

        Assert.Equal("Staff.RoleNotAllowed", change.Refusal.Code);
        Assert.Equal("Staff.RoleNotAllowed", invite.Refusal.Code);
        Assert.Equal(StaffRoles.StoreManager, (await admin.Staff.FindAsync(manager.Id))!.Role);
        Assert.DoesNotContain(await admin.Staff.ListAsync(), r => r.Email == "sup@a.test");
    }

    [Fact]
    public async Task AnExistingEmailCannotBeInvitedAgain()
    {
        await _h.AddUserAsync(_h.OtherMerchant.Id, "taken@b.test", StaffRoles.StoreManager);
        await using var admin = _h.As(_admin);

        var refusal = await Assert.ThrowsAsync<DomainException>(() => admin.Staff.InviteAsync("TAKEN@b.test", "", StaffRoles.StoreManager));

        Assert.Equal("Staff.EmailTaken", refusal.Refusal.Code);
    }

    [Fact]
    public async Task AnotherMerchantsStaffAreNotFoundAndUnchanged()
    {
        var theirs = await _h.AddUserAsync(_h.OtherMerchant.Id, "theirs@b.test", StaffRoles.StoreManager);
        await using var admin = _h.As(_admin);

        Assert.Null(await admin.Staff.FindAsync(theirs.Id));
        Assert.DoesNotContain(await admin.Staff.ListAsync(), r => r.Id == theirs.Id);
        Func<Task>[] actions =
        [
            () => admin.Staff.ChangeRoleAsync(theirs.Id, StaffRoles.MerchantAdmin),
            () => admin.Staff.DeactivateAsync(theirs.Id),
            () => admin.Staff.ReactivateAsync(theirs.Id),
            () => admin.Staff.UnlockAsync(theirs.Id),
            () => admin.Staff.IssueLinkAsync(theirs.Id),
        ];
        foreach (var action in actions)
            Assert.Equal(StaffService.NotFoundCode, (await Assert.ThrowsAsync<DomainException>(action)).Refusal.Code);

        var after = await _h.ReloadAsync(theirs.Id);
        Assert.True(after.IsActive);
        Assert.Equal(theirs.SecurityStamp, after.SecurityStamp);
        Assert.Empty(await _h.AuditAsync(_h.OtherMerchant.Id));
        Assert.Empty(await _h.AuditAsync(_h.Merchant.Id));
    }

    [Fact]
    public async Task UnlockingEndsALockout()
    {
        var manager = await _h.AddUserAsync(_h.Merchant.Id, "locked@a.test", StaffRoles.StoreManager);
        for (var i = 0; i < 5; i++) await _h.SignInAsync("locked@a.test", "wrong-password");
        Assert.True((await _h.SignInAsync("locked@a.test", StaffHarness.Password)).IsLockedOut);
        await using (var admin = _h.As(_admin))
        {
            Assert.Equal(StaffStatus.LockedOut, (await admin.Staff.FindAsync(manager.Id))!.Status);
            await admin.Staff.UnlockAsync(manager.Id);
        }

        Assert.True((await _h.SignInAsync("locked@a.test", StaffHarness.Password)).Succeeded);
        Assert.Single(await _h.AuditAsync(_h.Merchant.Id), a => a.Action == StaffAudit.Unlocked && a.EntityId == manager.Id);
    }

    [Fact]
    public async Task TheAuditTrailShowsStaffActionsNewestFirstForThisMerchantOnly()
    {
        var otherAdmin = await _h.AddUserAsync(_h.OtherMerchant.Id, "admin@b.test", StaffRoles.MerchantAdmin);
        await using (var other = _h.As(otherAdmin))
            await other.Staff.InviteAsync("hidden@b.test", "", StaffRoles.StoreManager);
        await using var admin = _h.As(_admin);
        var link = await admin.Staff.InviteAsync("first@a.test", "", StaffRoles.StoreManager);
        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        await admin.Staff.ChangeRoleAsync(link.UserId, StaffRoles.MerchantAdmin);

        var trail = await admin.Staff.AuditTrailAsync(0, 10);

        Assert.Equal(2, trail.Total);
        Assert.Equal([StaffAudit.RoleChanged, StaffAudit.Invited], trail.Rows.Select(r => r.Action));
        Assert.All(trail.Rows, r => Assert.Equal("first@a.test", r.Target));
        Assert.All(trail.Rows, r => Assert.Equal("admin@a.test", r.Actor));
        Assert.Equal(_h.Clock.GetUtcNow(), trail.Rows[0].At);
    }
}
