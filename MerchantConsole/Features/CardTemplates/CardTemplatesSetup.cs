using System.Text;
using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Common;
using MerchantConsole.Localization;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.CardTemplates;

/// <summary>Identifiers the wallet exports need; an unsigned preview pass works with the defaults.</summary>
public sealed class WalletExportOptions
{
    public const string Section = "WalletExport";
    public string ApplePassTypeIdentifier { get; set; } = "pass.com.merchantconsole.membership";
    public string AppleTeamIdentifier { get; set; } = "TEAMID0000";
    public string GoogleIssuerId { get; set; } = "3388000000000000000";
}

public static class CardTemplatesSetup
{
    public const string AdminRoles = StaffRoles.MerchantAdmin;
    public const string PreviewRoles = StaffRoles.MerchantAdmin + "," + StaffRoles.StoreManager;

    public static string ImageUrl(Guid imageId) => $"/card-templates/images/{imageId}";

    public static string PreviewUrl(Guid templateId) => $"/card-templates/{templateId}/preview";

    public static string ExportUrl(Guid templateId, Guid versionId, string format) => $"/card-templates/{templateId}/versions/{versionId}/export/{format}";

    public static IServiceCollection AddCardTemplates(this IServiceCollection services)
    {
        services.AddOptions<WalletExportOptions>().BindConfiguration(WalletExportOptions.Section);
        services.AddScoped<CardTemplateService>();
        services.AddScoped<AuditHistory>();
        return services;
    }

    public static IEndpointRouteBuilder MapCardTemplates(this IEndpointRouteBuilder endpoints)
    {
        // Served from the database through the merchant's own scope: another merchant's id is simply not found.
        endpoints.MapGet("/card-templates/images/{id:guid}", async (Guid id, CardTemplateService templates, HttpContext http) =>
        {
            var image = await templates.ImageAsync(id, http.RequestAborted);
            if (image is null)
                return Results.NotFound();
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.ContentDisposition = "inline";
            http.Response.Headers.CacheControl = "private, max-age=86400";
            return Results.Bytes(image.Bytes, image.ContentType);
        }).RequireAuthorization(p => p.RequireRole(StaffRoles.MerchantAdmin, StaffRoles.StoreManager));

        endpoints.MapGet("/card-templates/{id:guid}/versions/{versionId:guid}/export/{format}",
            async (Guid id, Guid versionId, string format, CardTemplateService templates, IOptions<WalletExportOptions> options, HttpContext http) =>
            {
                var template = await templates.FindAsync(id, http.RequestAborted);
                var version = template?.Versions.SingleOrDefault(v => v.Id == versionId);
                if (template is null || version is null)
                    return Results.NotFound();
                var o = options.Value;
                var serial = $"{template.Id:N}-v{version.Number}";
                try
                {
                    var (json, name) = format switch
                    {
                        "apple" => (WalletExport.ApplePassJson(version.Design, o.ApplePassTypeIdentifier, o.AppleTeamIdentifier, serial, SampleCard.Regular),
                            "pass.json"),
                        "google" => (WalletExport.GoogleLoyaltyClassJson(version.Design, o.GoogleIssuerId, serial,
                                imageId => new Uri($"{http.Request.Scheme}://{http.Request.Host}{ImageUrl(imageId)}"), "zh-CN"),
                            $"loyalty-class-{serial}.json"),
                        _ => (null, null),
                    };
                    if (json is null)
                        return Results.NotFound();
                    http.Response.Headers.XContentTypeOptions = "nosniff";
                    return Results.File(Encoding.UTF8.GetBytes(json), "application/json", name);
                }
                catch (DomainException refusal)
                {
                    return Results.Problem(http.RequestServices.GetRequiredService<RefusalText>().Render(refusal),
                        statusCode: StatusCodes.Status422UnprocessableEntity, extensions: new Dictionary<string, object?> { ["code"] = refusal.Refusal.Code });
                }
            }).RequireAuthorization(p => p.RequireRole(StaffRoles.MerchantAdmin));

        return endpoints;
    }
}
