using MerchantConsole.Data;
using MerchantConsole.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace MerchantConsole.Tests.Account;

/// <summary>
/// A sign-in costs one password hash check whether or not the email has an account, so the answer's timing does
/// not tell which emails exist. Observed through the hasher, not a clock.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class LoginTimingTests(AppFixture app)
{
    [Fact]
    public async Task AnUnknownEmailCostsTheSameHashCheckAsAWrongPassword()
    {
        var known = await app.Factory.CreateStaffAsync();

        var unknownChecks = await HashChecksForSignInAsync($"nobody-{Guid.NewGuid():N}@aroma-coffee.test");
        var knownChecks = await HashChecksForSignInAsync(known);

        Assert.Equal(1, knownChecks);
        Assert.Equal(knownChecks, unknownChecks);
    }

    private Task<int> HashChecksForSignInAsync(string email) =>
        app.Factory.WithScopeAsync(async services =>
        {
            // The scope's UserManager is the one its SignInManager uses.
            var users = services.GetRequiredService<UserManager<StaffUser>>();
            var hasher = new CountingHasher(users.PasswordHasher);
            users.PasswordHasher = hasher;
            var result = await services.GetRequiredService<SignInManager<StaffUser>>().PasswordSignInAsync(email, "not-the-password", false, lockoutOnFailure: true);
            Assert.False(result.Succeeded);
            return hasher.Verifications;
        });

    private sealed class CountingHasher(IPasswordHasher<StaffUser> inner) : IPasswordHasher<StaffUser>
    {
        public int Verifications { get; private set; }

        public string HashPassword(StaffUser user, string password) => inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(StaffUser user, string hashedPassword, string providedPassword)
        {
            Verifications++;
            return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
