using System.Security.Claims;
using MerchantConsole.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Logging;

namespace MerchantConsole.Tests.Account;

/// <summary>What a circuit logs while it handles something (Blazor's "Unhandled exception in circuit" included) names the page and the user.</summary>
public sealed class CircuitLogScopeTests
{
    [Fact]
    public async Task AnErrorLoggedDuringACircuitActivityCarriesThePageAndTheUser()
    {
        var records = new RecordingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(records));
        var handler = new CircuitLogScope(new FixedNavigation("http://localhost/plans/42/edit?step=tiers"), new SignedIn("admin@aroma.demo"), factory.CreateLogger<CircuitLogScope>());
        var circuitLogger = factory.CreateLogger("Microsoft.AspNetCore.Components.Server.Circuits.CircuitHost");

        await handler.CreateInboundActivityHandler(_ =>
        {
            circuitLogger.LogError(new InvalidOperationException("boom"), "Unhandled exception in circuit");
            return Task.CompletedTask;
        })(null!);

        var record = Assert.Single(records.Records);
        Assert.Equal("http://localhost/plans/42/edit?step=tiers", record.Scope["Page"]);
        Assert.Equal("admin@aroma.demo", record.Scope["User"]);
    }

    private sealed class FixedNavigation : NavigationManager
    {
        public FixedNavigation(string uri) => Initialize("http://localhost/", uri);
    }

    private sealed class SignedIn(string name) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], "test"))));
    }

    private sealed record Record(string Message, IReadOnlyDictionary<string, object?> Scope);

    private sealed class RecordingLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
        public List<Record> Records { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose() { }

        private sealed class Logger(RecordingLoggerProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scope = new Dictionary<string, object?>();
                provider._scopes.ForEachScope((value, values) =>
                {
                    if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
                        foreach (var (key, item) in pairs) values[key] = item;
                }, scope);
                provider.Records.Add(new Record(formatter(state, exception), scope));
            }
        }
    }
}
