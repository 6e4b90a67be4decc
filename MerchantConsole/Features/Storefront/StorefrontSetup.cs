using System.Globalization;
using System.Threading.RateLimiting;
using Hangfire;
using MerchantConsole.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace MerchantConsole.Features.Storefront;

/// <summary>The storefront API for a merchant's app or mini-program. See ARCHITECTURE.md, Storefront API.</summary>
public static class StorefrontSetup
{
    public const string BasePath = "/api/storefront/v1";
    public const string DocumentName = "storefront";
    /// <summary>The OpenAPI document and the interactive reference page (linked from the README).</summary>
    public const string DocumentUrl = "/openapi/" + DocumentName + ".json";
    public const string ReferenceUrl = "/scalar/" + DocumentName;
    /// <summary>The security-headers policy of the reference page (its one inline module script).</summary>
    public const string ReferencePolicy = MerchantConsole.Hosting.SecurityHeaders.ApiReferencePolicy;

    /// <summary>Anonymous requests for a sign-in code: per merchant and IP address.</summary>
    public const string CodeRequestLimit = "storefront-code";
    /// <summary>Every other request: per customer (their token), or per IP address when anonymous.</summary>
    public const string RequestLimit = "storefront";

    public static IServiceCollection AddStorefront(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorefrontOptions>().Bind(configuration.GetSection(StorefrontOptions.Section));
        services.AddSingleton<SignInCodes>();
        services.AddTransient<SignInCodeSweepJob>();
        services.AddSingleton<SandboxSmsSender>();
        services.AddSingleton<ISmsSender>(sp => sp.GetRequiredService<SandboxSmsSender>());
        services.AddScoped<StorefrontQueries>();
        services.AddMemoryCache();
        services.AddScoped<StorefrontPlansCache>();
        services.AddScoped<StorefrontCustomers>();
        services.AddStorefrontAuth(configuration);

        services.AddOpenApi(DocumentName, o =>
        {
            o.ShouldInclude = description => description.RelativePath?.StartsWith(BasePath.TrimStart('/'), StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "MerchantConsole storefront API";
                document.Info.Version = "v1";
                document.Info.Description = "Plans, sign-in by phone and one-time code, memberships and coupons of one merchant's customers.";
                return Task.CompletedTask;
            });
        });

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, ct) => new ValueTask(TooManyRequests(context.HttpContext,
                context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : null).ExecuteAsync(context.HttpContext));
            o.AddPolicy(CodeRequestLimit, http =>
            {
                var settings = http.RequestServices.GetRequiredService<IOptions<StorefrontOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter($"{http.GetRouteValue("merchantCode")}|{http.Connection.RemoteIpAddress}",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.CodesPerIp, Window = settings.CodeWindow, QueueLimit = 0 });
            });
            o.AddPolicy(RequestLimit, http =>
            {
                var settings = http.RequestServices.GetRequiredService<IOptions<StorefrontOptions>>().Value;
                var authorization = http.Request.Headers.Authorization.ToString();
                var key = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? StorefrontAuth.LimitKeyOf(http, authorization["Bearer ".Length..].Trim())
                    : "ip|" + http.Connection.RemoteIpAddress;
                return RateLimitPartition.GetFixedWindowLimiter(key,
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.RequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });
        return services;
    }

    /// <summary>
    /// Storefront requests answer problem details, never the console's HTML status pages: this runs after
    /// <c>UseStatusCodePagesWithReExecute</c> and turns it off for the API, and words an empty error (an authentication
    /// challenge) as problem details. Then the rate limiter.
    /// </summary>
    public static IApplicationBuilder UseStorefrontApi(this IApplicationBuilder app)
    {
        app.UseWhen(http => http.Request.Path.StartsWithSegments(BasePath), api => api.Use(async (http, next) =>
        {
            if (http.Features.Get<IStatusCodePagesFeature>() is { } pages)
                pages.Enabled = false;
            try
            {
                await next(http);
            }
            catch (Exception failure) when (!http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
            {
                // The console's error page is HTML; an app reading JSON gets problem details (no details of the failure).
                http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StorefrontSetup))
                    .LogError(failure, "Storefront request {Method} {Path} failed", http.Request.Method, http.Request.Path);
                http.Response.Clear();
                http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
            if (http.Response.StatusCode >= 400 && !http.Response.HasStarted && http.Response.ContentLength is null or 0
                && string.IsNullOrEmpty(http.Response.ContentType))
            {
                var refusal = http.Response.StatusCode switch
                {
                    StatusCodes.Status401Unauthorized => Refusal.Of("Storefront.SignInRequired",
                        "Sign in with your phone and a code first; the bearer token is missing, expired or not valid."),
                    StatusCodes.Status400BadRequest => Refusal.Of("Storefront.BodyInvalid",
                        "The request is not valid: send a JSON body with the fields this endpoint names, of the right types."),
                    _ => Refusal.Of("Storefront.RequestFailed", "The request could not be served."),
                };
                await StorefrontProblems.Problem(http, http.Response.StatusCode, refusal).ExecuteAsync(http);
            }
        }));
        app.UseRateLimiter();
        return app;
    }

    public static IResult TooManyRequests(HttpContext http, TimeSpan? retryAfter)
    {
        var seconds = (int)Math.Ceiling((retryAfter ?? TimeSpan.FromMinutes(1)).TotalSeconds);
        http.Response.Headers.RetryAfter = Math.Max(1, seconds).ToString(CultureInfo.InvariantCulture);
        return StorefrontProblems.Problem(http, StatusCodes.Status429TooManyRequests,
            Refusal.Of("Storefront.TooManyRequests", "Too many requests; try again in {Seconds} seconds.", ("Seconds", Math.Max(1, seconds))));
    }

    public static WebApplication MapStorefront(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        // No default fonts: they come from Scalar's CDN, which the CSP (and an offline machine) refuses.
        app.MapScalarApiReference(o => o.WithTitle("MerchantConsole storefront API").DisableDefaultFonts().AddDocument(DocumentName))
            .WithSecurityHeadersPolicy(ReferencePolicy);
        StorefrontApi.Map(app);
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<SignInCodeSweepJob>(SignInCodeSweepJob.RecurringJobId,
            j => j.RunAsync(CancellationToken.None), Cron.Hourly());
        return app;
    }
}

/// <summary>
/// A fixed-window limit on sign-in codes (ASP.NET Core's rate limiter), partitioned by merchant and a key, held by each
/// node: the hosted pages' per-address limit (<c>HostedCodeLimiter</c>). The per-phone limit is the database's
/// (<see cref="SignInCodes"/>), so it holds across nodes.
/// </summary>
public abstract class SignInCodeLimiter(int permits, TimeSpan window) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
        }));

    /// <summary>Null when a code may be sent, else how long to wait.</summary>
    public TimeSpan? TryTake(Guid merchantId, string? key)
    {
        using var lease = _limiter.AttemptAcquire($"{merchantId:N}|{key}");
        if (lease.IsAcquired)
            return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : window;
    }

    public void Dispose() => _limiter.Dispose();
}
