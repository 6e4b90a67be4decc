using System.Security.Claims;
using MerchantConsole.Data;

namespace MerchantConsole.Features.Members;

public static class MembersSetup
{
    /// <summary>Who enrols members.</summary>
    public const string AdminRoles = StaffRoles.MerchantAdmin;

    /// <summary>Who may look members up: store managers find a customer's card at the till.</summary>
    public const string ViewRoles = StaffRoles.MerchantAdmin + "," + StaffRoles.StoreManager;

    public static bool CanEnrol(ClaimsPrincipal user) => user.IsInRole(AdminRoles);

    public const string ListUrl = "/members";

    public static string MemberUrl(Guid membershipId) => $"/members/{membershipId}";

    public static IServiceCollection AddMembers(this IServiceCollection services)
    {
        services.AddScoped<MemberQueries>();
        services.AddScoped<MembershipEnrolment>();
        services.AddSingleton<ICardNumberGenerator, RandomCardNumbers>();
        services.AddScoped<IDemoMerchantSeed, MembersDemo>();
        return services;
    }
}
