using System.Security.Claims;
using Hangfire;
using MerchantConsole.Data;
using MerchantConsole.Domain.Members;
using Microsoft.Extensions.Options;

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

    public static string ExportFileUrl(Guid exportId) => $"/members/exports/{exportId}/members.csv";

    public static IServiceCollection AddMembers(this IServiceCollection services)
    {
        services.AddOptions<MembersOptions>().BindConfiguration(MembersOptions.Section)
            .Validate(o => o.LifecycleBatchSize > 0 && !string.IsNullOrWhiteSpace(o.LifecycleCron), "Members: LifecycleBatchSize > 0 and a LifecycleCron.")
            .ValidateOnStart();
        services.AddScoped<MemberQueries>();
        services.AddScoped<MemberTiers>();
        services.AddTransient<MembershipLifecycleJob>();
        services.AddScoped<MemberExports>();
        services.AddSingleton<MemberExportFiles>();
        services.AddTransient<MemberExportJob>();
        services.AddScoped<MembershipEnrolment>();
        services.AddSingleton<ICardNumberGenerator, RandomCardNumbers>();
        services.AddScoped<IDemoMerchantSeed, MembersDemo>();
        return services;
    }

    /// <summary>Registers the recurring lifecycle job (expiry and tier recalculation).</summary>
    public static IEndpointRouteBuilder MapMembers(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<MembersOptions>>().Value;
        endpoints.ServiceProvider.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<MembershipLifecycleJob>(MembershipLifecycleJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), options.LifecycleCron);
        // The file of a completed export, to the merchant that asked for it only: another merchant's id is not found.
        endpoints.MapGet("/members/exports/{id:guid}/members.csv", async (Guid id, MemberExports exports, MemberExportFiles files, MerchantScope scope,
                CancellationToken cancellationToken) =>
            await exports.FindAsync(id, cancellationToken) is { Status: MemberExportStatus.Completed } && scope.MerchantId is { } merchantId
                && File.Exists(files.PathOf(merchantId, id))
                ? Results.File(files.PathOf(merchantId, id), "text/csv; charset=utf-8", $"members-{id:N}.csv")
                : Results.NotFound())
            .RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = AdminRoles });
        return endpoints;
    }
}
