namespace MerchantConsole.Hosting;

public sealed class AppOptions
{
    public const string Section = "App";

    /// <summary>
    /// Where users and outside services (Google Wallet) reach the app. Absolute links are built from it,
    /// never from the request's Host header, which a client can set to anything.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";

    /// <summary>
    /// Serve MudBlazor's and Blazor's files from the build output when the app runs from a build outside
    /// Development (a publish carries them itself). The Demo settings turn it on for `dotnet run`.
    /// </summary>
    public bool UseStaticWebAssets { get; set; }
}

/// <summary>Absolute addresses of the app's own pages and files, from <see cref="AppOptions.PublicBaseUrl"/>.</summary>
public sealed class PublicUrls(Microsoft.Extensions.Options.IOptions<AppOptions> options)
{
    private readonly Uri _base = new(options.Value.PublicBaseUrl.TrimEnd('/') + "/", UriKind.Absolute);

    public Uri Absolute(string path) => new(_base, path.TrimStart('/'));
}
