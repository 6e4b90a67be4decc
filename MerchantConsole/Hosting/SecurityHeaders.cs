using NetEscapades.AspNetCore.SecurityHeaders.Headers.ContentSecurityPolicy;

namespace MerchantConsole.Hosting;

public static class SecurityHeaders
{
    /// <summary>The policy of the API reference page (see <c>Features/Storefront/StorefrontSetup</c>).</summary>
    public const string ApiReferencePolicy = "ApiReference";

    private static void Console(HeaderPolicyCollection policy, Action<ScriptSourceDirectiveBuilder> scripts) => policy
        .AddDefaultSecurityHeaders()
        .AddContentTypeOptionsNoSniff()
        .AddReferrerPolicyStrictOriginWhenCrossOrigin()
        .AddFrameOptionsDeny()
        .RemoveServerHeader()
        .AddContentSecurityPolicy(csp =>
        {
            csp.AddDefaultSrc().Self();
            scripts(csp.AddScriptSrc());
            csp.AddStyleSrc().Self().UnsafeInline();
            csp.AddImgSrc().Self().Data().Blob();
            csp.AddFontSrc().Self().Data();
            csp.AddConnectSrc().Self();
            csp.AddObjectSrc().None();
            csp.AddBaseUri().Self();
            csp.AddFormAction().Self();
            csp.AddFrameAncestors().None();
        });

    /// <summary>
    /// Headers on every response. The CSP allows what Blazor Server and MudBlazor need and no more: our own
    /// scripts (the one inline script, Blazor's import map, carries the request's nonce; nothing needs eval),
    /// inline styles (MudBlazor writes its theme and positions popovers with them), the circuit's WebSocket
    /// to this origin, and data:/blob: images (QR codes, upload previews).
    /// </summary>
    public static IServiceCollection AddConsoleSecurityHeaders(this IServiceCollection services)
    {
        services.AddSecurityHeaderPolicies()
            .SetDefaultPolicy(policy => Console(policy, scripts => scripts.Self().WithNonce()))
            // The storefront's API reference page (Scalar) starts itself with one inline module script and carries no
            // nonce: only its endpoints allow inline scripts; everything else is as strict as the console.
            .AddPolicy(ApiReferencePolicy, policy => Console(policy, scripts => scripts.Self().UnsafeInline()));
        return services;
    }
}
