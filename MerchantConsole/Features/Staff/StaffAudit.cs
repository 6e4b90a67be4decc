using MerchantConsole.Data;

namespace MerchantConsole.Features.Staff;

/// <summary>
/// Audit entries for staff and merchant settings. Identity users and the merchant row are not merchant-owned
/// aggregates, so the save interceptor does not audit them: each action writes its entry here, in its own transaction.
/// </summary>
public static class StaffAudit
{
    public const string StaffType = nameof(StaffUser);
    public const string MerchantType = "Merchant";

    public const string Invited = "Staff.Invited";
    public const string LinkIssued = "Staff.LinkIssued";
    public const string PasswordSet = "Staff.PasswordSet";
    public const string RoleChanged = "Staff.RoleChanged";
    public const string Deactivated = "Staff.Deactivated";
    public const string Reactivated = "Staff.Reactivated";
    public const string Unlocked = "Staff.Unlocked";
    public const string MerchantCreated = "Merchant.Created";
    public const string SettingsChanged = "Merchant.SettingsChanged";

    public static readonly string[] Actions = [Invited, LinkIssued, PasswordSet, RoleChanged, Deactivated, Reactivated, Unlocked, MerchantCreated, SettingsChanged];

    public static AuditEntry ForStaff(Guid merchantId, Actor actor, StaffUser user, string action, DateTimeOffset at, params AuditChange[] changes) => new()
    {
        MerchantId = merchantId,
        At = at,
        UserId = actor.UserId,
        UserName = actor.Name,
        EntityType = StaffType,
        EntityId = user.Id,
        AggregateType = StaffType,
        AggregateId = user.Id,
        Action = action,
        Changes = AuditEntry.WriteChanges([new AuditChange("Email", null, user.Email), .. changes]),
    };

    public static AuditEntry ForMerchant(Guid merchantId, Actor actor, string action, DateTimeOffset at, IEnumerable<AuditChange> changes) => new()
    {
        MerchantId = merchantId,
        At = at,
        UserId = actor.UserId,
        UserName = actor.Name,
        EntityType = MerchantType,
        EntityId = merchantId.ToString(),
        AggregateType = MerchantType,
        AggregateId = merchantId.ToString(),
        Action = action,
        Changes = AuditEntry.WriteChanges(changes),
    };
}

/// <summary>Who did it, as recorded in the trail.</summary>
public sealed record Actor(string? UserId, string Name)
{
    public static Actor Of(MerchantScope scope) => new(scope.UserId, scope.UserName ?? "system");
}
