using System.Text;
using Hangfire;
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

    /// <summary>Where staff of the merchant see an upload (signed in, any upload of theirs).</summary>
    public static string ImageUrl(Guid imageId) => $"/card-templates/images/{imageId}";

    /// <summary>Where anyone, Google Wallet included, fetches an image a published design uses.</summary>
    public static string PublicImageUrl(string token) => $"/public/images/{token}";

    public static string PreviewUrl(Guid templateId) => $"/card-templates/{templateId}/preview";

    public static string ExportUrl(Guid templateId, Guid versionId, string format) => $"/card-templates/{templateId}/versions/{versionId}/export/{format}";

    public static IServiceCollection AddCardTemplates(this IServiceCollection services)
    {
        services.AddOptions<WalletExportOptions>().BindConfiguration(WalletExportOptions.Section);
        services.AddOptions<UploadOptions>().BindConfiguration(UploadOptions.Section)
            .Validate(o => o.MerchantQuotaBytes > 0 && o.UnusedImageRetention > TimeSpan.Zero,
                "Uploads: MerchantQuotaBytes > 0 and UnusedImageRetention > 0.")
            .ValidateOnStart();
        services.AddScoped<CardTemplateService>();
        services.AddTransient<UploadedImageStore>();
        services.AddScoped<AuditHistory>();
        services.AddScoped<IDemoMerchantSeed, CardTemplateDemo>();
        return services;
    }

    /// <summary>An uploaded image as stored: its sniffed type only, shown inline, never rendered as a page.</summary>
    private static IResult ImageResult(HttpContext http, byte[] bytes, string contentType, string cacheControl)
    {
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentDisposition = "inline";
        http.Response.Headers.CacheControl = cacheControl;
        return Results.Bytes(bytes, contentType);
    }

    public static IEndpointRouteBuilder MapCardTemplates(this IEndpointRouteBuilder endpoints)
    {
        // Served from the database through the merchant's own scope: another merchant's id is simply not found.
        endpoints.MapGet("/card-templates/images/{id:guid}", async (Guid id, CardTemplateService templates, HttpContext http) =>
        {
            var image = await templates.ImageAsync(id, http.RequestAborted);
            return image is null ? Results.NotFound() : ImageResult(http, image.Bytes, image.ContentType, "private, max-age=86400");
        }).RequireAuthorization(p => p.RequireRole(StaffRoles.MerchantAdmin, StaffRoles.StoreManager));

        // Anonymous on purpose: wallets fetch card images without signing in. Only images a published
        // design uses answer; a draft's image, or a wrong token, is simply not found.
        endpoints.MapGet("/public/images/{token}", async (string token, UploadedImageStore images, HttpContext http) =>
        {
            var image = await images.FindPublishedAsync(token, http.RequestAborted);
            // A token always names the same bytes: uploads never change, so caches may keep them.
            return image is null ? Results.NotFound() : ImageResult(http, image.Bytes, image.ContentType, "public, max-age=86400");
        }).AllowAnonymous();

        endpoints.MapGet("/card-templates/{id:guid}/versions/{versionId:guid}/export/{format}",
            async (Guid id, Guid versionId, string format, CardTemplateService templates, IOptions<WalletExportOptions> options,
                Hosting.PublicUrls urls, HttpContext http) =>
            {
                var template = await templates.FindAsync(id, http.RequestAborted);
                var version = template?.Versions.SingleOrDefault(v => v.Id == versionId);
                if (template is null || version is null)
                    return Results.NotFound();
                var o = options.Value;
                var serial = $"{template.Id:N}-v{version.Number}";
                var tokens = await templates.PublicTokensAsync(
                    new[] { version.Design.LogoImageId, version.Design.BackgroundImageId }.OfType<Guid>(), http.RequestAborted);
                try
                {
                    var (json, name) = format switch
                    {
                        "apple" => (WalletExport.ApplePassJson(version.Design, o.ApplePassTypeIdentifier, o.AppleTeamIdentifier, serial, SampleCard.Regular),
                            "pass.json"),
                        "google" => (WalletExport.GoogleLoyaltyClassJson(version.Design, o.GoogleIssuerId, serial,
                                imageId => urls.Absolute(PublicImageUrl(tokens.TryGetValue(imageId, out var token) ? token
                                    : throw new DomainException("Export.ImageMissing", "An image of this design is no longer stored; upload it again.",
                                        ("ImageId", imageId)))), "zh-CN"),
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

        var uploads = endpoints.ServiceProvider.GetRequiredService<IOptions<UploadOptions>>().Value;
        endpoints.ServiceProvider.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<UploadedImageStore>(UploadedImageStore.CleanupJobId, s => s.RemoveUnusedAsync(CancellationToken.None), uploads.CleanupCron);
        return endpoints;
    }
}
