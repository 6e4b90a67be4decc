using System.Security.Cryptography;
using System.Text;
using MerchantConsole.Account;
using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Hosting;

/// <summary>
/// The one-time link that creates the first Support user of an installation without demo data. The token
/// lives in memory only: printed to the console at start-up while there are no users, valid until used.
/// </summary>
public sealed class FirstRunSetup
{
    public const string Path = "/setup";

    private readonly Lock _gate = new();
    private byte[]? _token;

    /// <summary>The current token, or null once it is used (or when users existed at start-up).</summary>
    public string? Token
    {
        get { lock (_gate) return _token is null ? null : Encoding.ASCII.GetString(_token); }
    }

    public string Issue()
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        lock (_gate) _token = Encoding.ASCII.GetBytes(token);
        return token;
    }

    public bool IsValid(string? token)
    {
        if (string.IsNullOrEmpty(token)) return false;
        lock (_gate)
            return _token is not null && CryptographicOperations.FixedTimeEquals(_token, Encoding.ASCII.GetBytes(token));
    }

    /// <summary>Takes the token so no second request can use it; <see cref="Restore"/> gives it back if the creation failed.</summary>
    public bool TryTake(string? token)
    {
        lock (_gate)
        {
            if (!IsValid(token)) return false;
            _token = null;
            return true;
        }
    }

    public void Restore(string token)
    {
        lock (_gate) _token ??= Encoding.ASCII.GetBytes(token);
    }

    /// <summary>Creates the first Support user; refused when the token is wrong or used, or a user already exists.</summary>
    public async Task<FirstUserResult> CreateFirstSupportUserAsync(UserManager<StaffUser> users, string? token, string email, string password)
    {
        if (!TryTake(token)) return FirstUserResult.LinkInvalid;
        try
        {
            if (await users.Users.AnyAsync())
                return FirstUserResult.LinkInvalid;
            var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                Restore(token!);
                return new FirstUserResult(false, false, IdentityRefusals.From(created.Errors));
            }
            var role = await users.AddToRoleAsync(user, StaffRoles.Support);
            if (!role.Succeeded)
                throw new InvalidOperationException("The first user could not be made Support: " + string.Join("; ", role.Errors.Select(e => e.Description)));
            return FirstUserResult.Created;
        }
        catch
        {
            Restore(token!);
            throw;
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed record FirstUserResult(bool Succeeded, bool LinkRefused, IReadOnlyList<Refusal> Errors)
{
    public static readonly FirstUserResult Created = new(true, false, []);
    public static readonly FirstUserResult LinkInvalid = new(false, true, []);
}

public static class FirstRunSetupStartup
{
    /// <summary>With no users at all, issues the setup token and prints its link once Kestrel listens.</summary>
    public static async Task PrepareFirstRunAsync(this WebApplication app)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            if (await users.Users.AnyAsync()) return;
        }
        var token = app.Services.GetRequiredService<FirstRunSetup>().Issue();
        // From the configured public address, like every absolute link: the listening address may be a container's.
        var link = app.Services.GetRequiredService<PublicUrls>().Absolute($"{FirstRunSetup.Path}?token={token}");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // Console only, not the log: whoever holds the token can create a Support user.
            Console.WriteLine(string.Join(Environment.NewLine,
                "",
                "No staff accounts exist yet. Create the first Support user (this link works once):",
                $"  {link}",
                ""));
        });
    }
}
