using System.Text.RegularExpressions;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Merchants;

/// <summary>A tenant: a business that runs its own member programme on the platform.</summary>
public sealed partial class Merchant : IConcurrencyVersioned
{
    public const int MaxNameLength = 100;
    public static readonly TextLimit NameLimit = TextLimit.Of(MaxNameLength);

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>Short lowercase code used in URLs (the hosted join page, previews).</summary>
    public string Code { get; private set; } = "";
    /// <summary>IANA time zone id; staff see times in this zone.</summary>
    public string TimeZoneId { get; private set; } = "Asia/Shanghai";
    /// <summary>ISO 4217 code new plans start with.</summary>
    public string DefaultCurrency { get; private set; } = "CNY";
    /// <summary>An uploaded image of this merchant, shown in the console and on cards; none until one is chosen.</summary>
    public Guid? LogoImageId { get; private set; }
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
        name = (name ?? "").Trim();
        if (name.Length == 0)
            throw new DomainException("Merchant.NameInvalid", "A merchant name is required and at most {Max} characters.", ("Max", MaxNameLength));
        NameLimit.Enforce(name, "MerchantName", "A merchant name");
        Name = name;
    }

    private void SetCode(string code)
    {
        if (!CodePattern().IsMatch(code ?? ""))
            throw new DomainException("Merchant.CodeInvalid", "A merchant code is 2–32 lowercase letters, digits or hyphens; '{Code}' is not.", ("Code", code));
        Code = code!;
    }

    public void SetRegion(string timeZoneId, string defaultCurrency)
    {
        ChangeTimeZone(timeZoneId);
        ChangeCurrency(defaultCurrency);
    }

    public void ChangeTimeZone(string timeZoneId)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId) || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out _))
            throw new DomainException("Merchant.TimeZoneUnknown", "Unknown time zone '{TimeZone}'.", ("TimeZone", timeZoneId));
        TimeZoneId = timeZoneId;
    }

    /// <summary>Plans keep the currency they were created with; this is what new plans start with.</summary>
    public void ChangeCurrency(string currency)
    {
        if (!CurrencyPattern().IsMatch(currency ?? ""))
            throw new DomainException("Merchant.CurrencyInvalid", "'{Currency}' is not a three-letter ISO currency code such as CNY or USD.", ("Currency", currency));
        DefaultCurrency = currency!;
    }

    /// <summary>The caller makes sure the image is one of this merchant's uploads; null removes the logo.</summary>
    public void ChangeLogo(Guid? imageId)
    {
        if (imageId == Guid.Empty)
            throw new DomainException("Merchant.LogoInvalid", "A logo must be an uploaded image.");
        LogoImageId = imageId;
    }

    public DateTimeOffset ToLocal(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(TimeZoneId));

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,31}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyPattern();
}
