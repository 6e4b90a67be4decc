using System.Text.RegularExpressions;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Merchants;

/// <summary>A tenant: a business that runs its own member programme on the platform.</summary>
public sealed partial class Merchant : IConcurrencyVersioned
{
    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>Short lowercase code used in URLs (the hosted join page, previews).</summary>
    public string Code { get; private set; } = "";
    /// <summary>IANA time zone id; staff see times in this zone.</summary>
    public string TimeZoneId { get; private set; } = "Asia/Shanghai";
    public string DefaultCurrency { get; private set; } = "CNY";
    public DateTimeOffset CreatedAt { get; private set; }
    public Guid ConcurrencyStamp { get; private set; }

    private Merchant() { }

    public static Merchant Create(string name, string code, string timeZoneId, string defaultCurrency, DateTimeOffset now)
    {
        var merchant = new Merchant { Id = Guid.NewGuid(), CreatedAt = now };
        merchant.Rename(name);
        merchant.SetCode(code);
        merchant.SetRegion(timeZoneId, defaultCurrency);
        return merchant;
    }

    public void Rename(string name)
    {
        name = name.Trim();
        if (name.Length is 0 or > 100)
            throw new DomainException("Merchant.NameInvalid", "A merchant name is required and at most 100 characters.");
        Name = name;
    }

    private void SetCode(string code)
    {
        if (!CodePattern().IsMatch(code))
            throw new DomainException("Merchant.CodeInvalid", "A merchant code is 2–32 lowercase letters, digits or hyphens.");
        Code = code;
    }

    public void SetRegion(string timeZoneId, string defaultCurrency)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out _))
            throw new DomainException("Merchant.TimeZoneUnknown", "Unknown time zone '{TimeZone}'.", ("TimeZone", timeZoneId));
        _ = new Money(0, defaultCurrency);
        TimeZoneId = timeZoneId;
        DefaultCurrency = defaultCurrency;
    }

    public DateTimeOffset ToLocal(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId));

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,31}$")]
    private static partial Regex CodePattern();
}
