using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace MerchantConsole.Components;

public static class CircuitSetup
{
    /// <summary>
    /// Room for a long paste: SignalR's default 32 KB closes the connection on a 32 KB text field value
    /// (32K Chinese characters are 96 KB of UTF-8). Fields still cap their own length.
    /// </summary>
    public const long MaximumReceiveMessageSize = 256 * 1024;

    public static IServiceCollection AddCircuitSafety(this IServiceCollection services)
    {
        services.AddServerSideBlazor().AddHubOptions(o => o.MaximumReceiveMessageSize = MaximumReceiveMessageSize);
        services.AddScoped<CircuitHandler, CircuitLogScope>();
        return services;
    }
}

/// <summary>
/// Everything the circuit logs while handling an event, a navigation or a render (including Blazor's own
/// "Unhandled exception in circuit") carries the page and the user as log scope values Page and User.
/// </summary>
public sealed class CircuitLogScope(NavigationManager navigation, AuthenticationStateProvider authentication, ILogger<CircuitLogScope> logger) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            using (logger.BeginScope("Page {Page} User {User}", Page(), await UserAsync()))
                await next(context);
        };

    private string Page()
    {
        try
        {
            return navigation.Uri;
        }
        catch (InvalidOperationException)
        {
            return "(not yet known)";
        }
    }

    private async Task<string> UserAsync()
    {
        try
        {
            var user = (await authentication.GetAuthenticationStateAsync()).User;
            return user.Identity?.IsAuthenticated == true ? user.Identity.Name ?? "(unnamed)" : "(anonymous)";
        }
        catch (InvalidOperationException)
        {
            // The circuit has not received its user yet.
            return "(not yet known)";
        }
    }
}
