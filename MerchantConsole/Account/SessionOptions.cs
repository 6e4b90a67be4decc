namespace MerchantConsole.Account;

/// <summary>How soon a session ends after its user's security stamp changes (sign-out, lockout, password reset, role change).</summary>
public sealed class SessionOptions
{
    public const string Section = "Sessions";

    /// <summary>How old a sign-in cookie may be before a request checks its stamp against the database (zero: every request).</summary>
    public TimeSpan ValidationInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an open interactive tab checks its user's stamp; a changed stamp sends the tab to the login page.</summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromSeconds(30);
}
