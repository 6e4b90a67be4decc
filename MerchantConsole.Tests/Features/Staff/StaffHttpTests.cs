using System.Net;
using MerchantConsole.Data;
using MerchantConsole.Features.Staff;
using MerchantConsole.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Features.Staff;

/// <summary>The staff, settings and merchant pages as the real app serves them, for each role and across merchants.</summary>
[Collection(AppCollection.Name)]
public sealed class StaffHttpTests(AppFixture app)
{
    [Fact]
    public async Task AStoreManagerCannotOpenTheStaffOrSettingsPages()
    {
        var someone = await AddUserAsync("aroma-coffee", StaffRoles.StoreManager);
        using var manager = await app.SignedInClientAsync("store@aroma.demo");

        foreach (var url in new[] { "/staff", $"/staff/{someone.Id}", "/settings" })
            await AssertRefusedAsync(await manager.GetAsync(url));
    }

    [Fact]
    public async Task OnlySupportOpensTheMerchantPages()
    {
        using var admin = await app.SignedInClientAsync("admin@aroma.demo");
        using var support = await app.SignedInClientAsync("support@merchantconsole.demo");

        foreach (var url in new[] { "/merchants", "/merchants/new" })
            await AssertRefusedAsync(await admin.GetAsync(url));
        var list = await support.GetAsync("/merchants");
        var create = await support.GetAsync("/merchants/new");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains("data-testid=\"merchants-title\"", await list.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, create.StatusCode);
        Assert.Contains("data-testid=\"new-merchant-title\"", await create.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnotherMerchantsStaffMemberAnswersNotFound()
    {
        var aromaUser = await AddUserAsync("aroma-coffee", StaffRoles.StoreManager);
        using var orchard = await app.SignedInClientAsync("admin@orchard.demo");
        using var aroma = await app.SignedInClientAsync("admin@aroma.demo");

        var theirs = await orchard.GetAsync($"/staff/{aromaUser.Id}");
        var missing = await orchard.GetAsync($"/staff/{Guid.NewGuid()}");
        var own = await aroma.GetAsync($"/staff/{aromaUser.Id}");
        var list = await orchard.GetStringAsync("/staff");

        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.DoesNotContain(aromaUser.Email!, await theirs.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains(aromaUser.Email!, await own.Content.ReadAsStringAsync());
        Assert.DoesNotContain(aromaUser.Email!, list);
        Assert.Contains("admin@orchard.demo", list);
    }

    [Fact]
    public async Task ADeactivatedUserIsRefusedAtTheLoginForm()
    {
        var user = await AddUserAsync("fresh-orchard", StaffRoles.StoreManager);
        using (var before = app.NewClient())
            Assert.Equal(HttpStatusCode.Redirect, (await app.PostLoginAsync(before, user.Email!, DemoData.Password)).StatusCode);

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var admin = await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByEmailAsync("admin@orchard.demo");
            scope.ServiceProvider.GetRequiredService<MerchantScope>().UseMerchant(admin!.MerchantId!.Value, "admin@orchard.demo");
            await scope.ServiceProvider.GetRequiredService<StaffService>().DeactivateAsync(user.Id);
        }
        using var after = app.NewClient();
        var response = await app.PostLoginAsync(after, user.Email!, DemoData.Password);

        Assert.NotEqual(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("data-testid=\"login-error\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheSetPasswordPageRefusesAnUnknownLink()
    {
        using var client = app.NewClient();

        var html = await client.GetStringAsync("/account/set-password?token=nothing-here");

        Assert.Contains("data-testid=\"set-password-refused\"", html);
        Assert.DoesNotContain("data-testid=\"set-password-submit\"", html);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.Redirect)
            Assert.Contains("/Account/AccessDenied", response.Headers.Location!.ToString());
        else
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private async Task<StaffUser> AddUserAsync(string merchantCode, string role)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        Guid merchantId;
        await using (var db = app.Factory.CreateUnscopedContext())
            merchantId = (await db.Merchants.SingleAsync(m => m.Code == merchantCode)).Id;
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var email = $"staff-{Guid.NewGuid():N}"[..18] + "@test.demo";
        var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email, MerchantId = merchantId };
        Assert.True((await users.CreateAsync(user, DemoData.Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return user;
    }
}
