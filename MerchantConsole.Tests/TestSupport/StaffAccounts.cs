using System.Net;
using MerchantConsole.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.TestSupport;

/// <summary>
/// Staff accounts of the tests' own, so locking, resetting or signing them out everywhere leaves the demo logins
/// (which other tests sign in with) alone.
/// </summary>
public static class StaffAccounts
{
    /// <summary>A new staff user with the demo password; returns their email.</summary>
    public static async Task<string> CreateStaffAsync(this AppFactory factory, string role = StaffRoles.MerchantAdmin, string merchantCode = "aroma-coffee")
    {
        Guid merchantId;
        await using (var db = factory.CreateUnscopedContext())
            merchantId = await db.Merchants.Where(m => m.Code == merchantCode).Select(m => m.Id).SingleAsync();
        var email = $"staff-{Guid.NewGuid():N}@{merchantCode}.test";
        return await factory.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<StaffUser>>();
            var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, MerchantId = merchantId, DisplayName = "Session test " + role };
            Check(await users.CreateAsync(user, DemoData.Password));
            Check(await users.AddToRoleAsync(user, role));
            return email;
        });
    }

    /// <summary>Runs a change on the user through the app's own UserManager.</summary>
    public static Task ChangeUserAsync(this AppFactory factory, string email, Func<UserManager<StaffUser>, StaffUser, Task<IdentityResult>> change) =>
        factory.WithScopeAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<StaffUser>>();
            var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No user {email}.");
            Check(await change(users, user));
            return true;
        });

    /// <summary>Signs out through the shell's form: the antiforgery token comes from a page rendered for the signed-in user.</summary>
    public static async Task<HttpResponseMessage> PostLogoutAsync(this HttpClient client)
    {
        var page = await client.GetStringAsync("/Account/Login");
        var token = AppFixture.AntiforgeryField().Match(page).Groups[1].Value;
        return await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
    }

    /// <summary>A client holding a copy of the other client's cookies, as a stolen or copied cookie would be.</summary>
    public static HttpClient CopyOfSession(this AppFixture app, CookieContainer cookies)
    {
        var copy = new CookieContainer();
        copy.Add(cookies.GetAllCookies());
        return app.NewClient(copy);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
