using MerchantConsole.Tests.TestSupport;
using Npgsql;

namespace MerchantConsole.Tests.PostgreSql;

/// <summary>
/// The real app on PostgreSQL: a fresh database on the server named by <see cref="ServerVariable"/> (a connection string
/// of a role that may create databases), the app started on it with migrations on start and the demo data, Hangfire on
/// PostgreSQL storage. Without the variable nothing starts and the tests skip. In the app collection, so only one app
/// configures Hangfire's statics at a time (see ProductionStartTests).
/// </summary>
public sealed class PostgreSqlAppFixture(AppFixture shared) : IAsyncLifetime
{
    public const string ServerVariable = "MC_TEST_POSTGRES";
    public const string SkipReason = $"No PostgreSQL server: set {ServerVariable} to a connection string of a role that may create databases (.ci/run does).";

    private string? _serverConnectionString;
    private string? _databaseName;

    /// <summary>The app on PostgreSQL; null when no server was given.</summary>
    public AppFixture? App { get; private set; }

    public string? ConnectionString { get; private set; }

    public async ValueTask InitializeAsync()
    {
        _serverConnectionString = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(_serverConnectionString))
            return;
        (_databaseName, ConnectionString) = await ThrowawayDatabase.CreateAsync(_serverConnectionString, "mc_test");
        App = new AppFixture(new AppFactory()
            .WithSetting("Database:Provider", "PostgreSql")
            .WithSetting("Database:PostgreSqlConnectionString", ConnectionString)
            .WithSetting("Database:MigrateOnStartup", "true"));
        await App.InitializeAsync();
        shared.RestoreHangfireLogging();
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            shared.RestoreHangfireLogging();
            await App.DisposeAsync();
        }
        if (_databaseName is null)
            return;
        await ThrowawayDatabase.DropAsync(_serverConnectionString!, _databaseName);
    }

    /// <summary>The app, or the test is skipped with the reason.</summary>
    public AppFixture Require()
    {
        Assert.SkipWhen(App is null, SkipReason);
        return App!;
    }
}
