using MerchantConsole.Domain.Common;

namespace MerchantConsole.Domain.Members;

/// <summary>
/// A person a merchant knows (顾客), found by phone. One per phone per merchant; they hold memberships of the
/// merchant's plans (<see cref="Membership"/>). The storefront will create them on sign-up as staff do on enrolment.
/// </summary>
public sealed class Customer : IMerchantOwned, IConcurrencyVersioned
{
    public const int MaxNameLength = 50;
    public const int MaxExternalRefLength = 64;
    public static readonly TextLimit NameLimit = TextLimit.Of(MaxNameLength);
    /// <summary>An id from the merchant's own system (POS, CRM); typed or imported, so ASCII in practice, but not required to be.</summary>
    public static readonly TextLimit ExternalRefLimit = TextLimit.Of(MaxExternalRefLength);
    public static readonly DateOnly EarliestBirthday = new(1900, 1, 1);

    public Guid Id { get; private set; }
    public Guid MerchantId { get; private set; }
    /// <summary>Normalised by <see cref="PhoneNumber"/>; unique per merchant.</summary>
    public string Phone { get; private set; } = "";
    public string Name { get; private set; } = "";
    public DateOnly? Birthday { get; private set; }
    /// <summary>Unique per merchant when set.</summary>
    public string? ExternalRef { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public Guid ConcurrencyStamp { get; private set; }

    private Customer() { }

    public static Customer Create(Guid merchantId, string? phone, string? name, DateOnly? birthday, string? externalRef, DateTimeOffset now)
    {
        if (merchantId == Guid.Empty)
            throw new DomainException("Customer.MerchantRequired", "A customer belongs to a merchant.");
        var customer = new Customer { Id = Guid.CreateVersion7(now), MerchantId = merchantId, CreatedAt = now };
        customer.ChangePhone(phone);
        customer.UpdateDetails(name, birthday, externalRef, now);
        return customer;
    }

    public void ChangePhone(string? phone) => Phone = PhoneNumber.Normalise(phone);

    public void UpdateDetails(string? name, DateOnly? birthday, string? externalRef, DateTimeOffset now)
    {
        name = (name ?? "").Trim();
        if (name.Length == 0)
            throw new DomainException("Customer.NameRequired", "A customer's name is required.");
        NameLimit.Enforce(name, "CustomerName", "A customer's name");
        externalRef = string.IsNullOrWhiteSpace(externalRef) ? null : externalRef.Trim();
        ExternalRefLimit.Enforce(externalRef, "ExternalRef", "An external reference");
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        // A day of slack: "today" in the merchant's zone may already be tomorrow in UTC.
        if (birthday is { } day && (day < EarliestBirthday || day > today.AddDays(1)))
            throw new DomainException("Customer.BirthdayInvalid", "A birthday must be between {Earliest} and today; {Birthday} is not.",
                ("Earliest", EarliestBirthday), ("Birthday", day));
        Name = name;
        Birthday = birthday;
        ExternalRef = externalRef;
    }
}
