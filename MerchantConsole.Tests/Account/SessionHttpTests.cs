using System.Net;
using MerchantConsole.Account;
using MerchantConsole.Data;
using MerchantConsole.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Account;

/// <summary>Sessions end everywhere, through the real pipeline (the fixture checks stamps on every request).</summary>
[Collection(AppCollection.Name)]
public sealed class SessionHttpTests(AppFixture app)
{
    [Fact]
    public async Task ACopiedCookieNoLongerWorksAfterSignOut()
    {
        var email = await app.Factory.CreateStaffAsync();
        var cookies = new CookieContainer();
        using var client = await SignInAsync(email, cookies);
        using var copy = app.CopyOfSession(cookies);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/")).StatusCode);

        var signOut = await client.PostLogoutAsync();

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/Account/Login", signOut.Headers.Location!.OriginalString);
        AssertSentToLogin(await copy.GetAsync("/"));
    }

    [Fact]
    public async Task SignOutWithoutTheAntiforgeryTokenIsRefusedAndTheSessionStays()
    {
        var email = await app.Factory.CreateStaffAsync();
        using var client = await SignInAsync(email, new CookieContainer());

        var response = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    [Theory]
    [InlineData("locked by an admin")]
    [InlineData("locked by failed sign-ins")]
    [InlineData("password reset")]
    [InlineData("role changed")]
    [InlineData("ended by StaffSessions")]
    [InlineData("stamp updated")]
    public async Task ASessionEndsWhenTheAccountChanges(string change)
    {
        var email = await app.Factory.CreateStaffAsync();
        using var client = await SignInAsync(email, new CookieContainer());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        switch (change)
        {
            case "locked by an admin":
                await app.Factory.ChangeUserAsync(email, (users, user) => users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddHours(1)));
                break;
            case "locked by failed sign-ins":
                using (var attacker = app.NewClient())
                    for (var attempt = 0; attempt < 5; attempt++)
                        await app.PostLoginAsync(attacker, email, "wrong-password");
                break;
            case "password reset":
                await app.Factory.ChangeUserAsync(email, async (users, user) =>
                    await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), "A-new-password-1"));
                break;
            case "role changed":
                await app.Factory.ChangeUserAsync(email, async (users, user) =>
                {
                    var removed = await users.RemoveFromRoleAsync(user, StaffRoles.MerchantAdmin);
                    return removed.Succeeded ? await users.AddToRoleAsync(user, StaffRoles.StoreManager) : removed;
                });
                break;
            case "ended by StaffSessions":
                await app.Factory.WithScopeAsync(async services =>
                {
                    var user = await services.GetRequiredService<UserManager<StaffUser>>().FindByEmailAsync(email);
                    return await services.GetRequiredService<StaffSessions>().EndAllAsync(user!.Id);
                });
                break;
            default:
                await app.Factory.ChangeUserAsync(email, (users, user) => users.UpdateSecurityStampAsync(user));
                break;
        }

        AssertSentToLogin(await client.GetAsync("/"));
    }

    private async Task<HttpClient> SignInAsync(string email, CookieContainer cookies)
    {
        var client = app.NewClient(cookies);
        var response = await app.PostLoginAsync(client, email, DemoData.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    private static void AssertSentToLogin(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery);
    }
}
