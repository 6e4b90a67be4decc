using MerchantConsole.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MerchantConsole.Account;

public static class MerchantScopeSetup
{
    public static IServiceCollection AddMerchantScope(this IServiceCollection services)
    {
        services.TryAddScoped<MerchantScope>();
        services.AddScoped<CircuitHandler, MerchantScopeCircuitHandler>();
        return services;
    }

    /// <summary>HTTP requests (including prerendering) take the merchant from the request's user.</summary>
    public static IApplicationBuilder UseMerchantScope(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var scope = context.RequestServices.GetRequiredService<MerchantScope>();
            scope.UseUser(context.User);
            if (scope.MerchantId is { } merchantId)
                MerchantConsole.Telemetry.AppTelemetry.TagMerchant(merchantId);
            await next();
        });
}

/// <summary>
/// A circuit has no HttpContext after it starts; take the user from the circuit's authentication
/// state instead, and follow it if it changes.
/// </summary>
public sealed class MerchantScopeCircuitHandler(AuthenticationStateProvider authentication, MerchantScope scope) : CircuitHandler, IDisposable
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        authentication.AuthenticationStateChanged += OnChanged;
        return base.OnCircuitOpenedAsync(circuit, cancellationToken);
    }

    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        scope.UseUser((await authentication.GetAuthenticationStateAsync()).User);
    }

    private void OnChanged(Task<AuthenticationState> task) =>
        _ = task.ContinueWith(t => { if (t.IsCompletedSuccessfully) scope.UseUser(t.Result.User); }, TaskScheduler.Default);

    public void Dispose() => authentication.AuthenticationStateChanged -= OnChanged;
}
