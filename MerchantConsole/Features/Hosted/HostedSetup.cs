using MerchantConsole.Features.Storefront;
using Microsoft.Extensions.Options;
using QRCoder;

namespace MerchantConsole.Features.Hosted;

/// <summary>
/// The hosted card pages under <c>/m/{merchantCode}</c>: statically rendered, mobile-first customer pages over the
/// storefront's services. See ARCHITECTURE.md, Hosted card pages.
/// </summary>
public static class HostedSetup
{
    public const string BasePath = "/m";

    public static IServiceCollection AddHosted(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMemoryCache();
        services.AddScoped<HostedQueries>();
        services.AddSingleton<HostedCodeLimiter>();
        services.AddHostedAuth(configuration);
        return services;
    }

    /// <summary>A printable QR code (PNG) of a text, here the absolute address of a guide page.</summary>
    public static byte[] QrPng(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(10);
    }

    public static WebApplication MapHosted(this WebApplication app)
    {
        HostedEndpoints.Map(app);
        return app;
    }
}

/// <summary>
/// Sign-in code requests one IP address may make per merchant and window: the storefront API's <c>storefront-code</c>
/// limit (same settings), answered here as a page with the message rather than problem details.
/// </summary>
public sealed class HostedCodeLimiter(IOptions<StorefrontOptions> options)
    : SignInCodeLimiter(options.Value.CodesPerIp, options.Value.CodeWindow);
