namespace MerchantConsole.Tests.TestSupport;

/// <summary>
/// A second app node on the shared app's database: the same SQLite data folder, no migrations or demo data of its own and
/// no Hangfire server (the shared app's is the one this process runs), on its own loopback port. Two nodes behind a load
/// balancer, in one process. Like <c>ProductionAppFixture</c>, it hands Hangfire's static log provider back to the shared app.
/// </summary>
public sealed class SecondNodeFixture(AppFixture shared) : IAsyncLifetime
{
    public AppFixture Node { get; } = new(new AppFactory()
        .WithSetting("Database:DataFolder", shared.Factory.DataFolder)
        .WithSetting("Database:MigrateOnStartup", "false")
        .WithSetting("Database:SeedDemoData", "false")
        .WithSetting("Jobs:RunServer", "false"));

    public async ValueTask InitializeAsync()
    {
        await Node.InitializeAsync();
        shared.RestoreHangfireLogging();
    }

    public async ValueTask DisposeAsync()
    {
        shared.RestoreHangfireLogging();
        await Node.DisposeAsync();
    }
}
