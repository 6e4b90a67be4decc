namespace MerchantConsole.Hosting;

public static class SecurityHeaders
{
    /// <summary>
    /// Headers on every response. The CSP allows what Blazor Server and MudBlazor need and no more: our own
    /// scripts (the one inline script, Blazor's import map, carries the request's nonce; nothing needs eval),
    /// inline styles (MudBlazor writes its theme and positions popovers with them), the circuit's WebSocket
    /// to this origin, and data:/blob: images (QR codes, upload previews).
    /// </summary>
    public static IServiceCollection AddConsoleSecurityHeaders(this IServiceCollection services)
    {
        services.AddSecurityHeaderPolicies().SetDefaultPolicy(policy => policy
            .AddDefaultSecurityHeaders()
            .AddContentTypeOptionsNoSniff()
            .AddReferrerPolicyStrictOriginWhenCrossOrigin()
            .AddFrameOptionsDeny()
            .RemoveServerHeader()
            .AddContentSecurityPolicy(csp =>
            {
                csp.AddDefaultSrc().Self();
                csp.AddScriptSrc().Self().WithNonce();
                csp.AddStyleSrc().Self().UnsafeInline();
                csp.AddImgSrc().Self().Data().Blob();
                csp.AddFontSrc().Self().Data();
                csp.AddConnectSrc().Self();
                csp.AddObjectSrc().None();
                csp.AddBaseUri().Self();
                csp.AddFormAction().Self();
                csp.AddFrameAncestors().None();
            }));
        return services;
    }
}
