using System.Net;
using System.Text.Json;
using MerchantConsole.Tests.TestSupport;

namespace MerchantConsole.Tests.Http;

/// <summary>
/// Several nodes start with migrate-on-start off and one `migrate` run applies the schema: until it has, a node is
/// live but not ready; afterwards it is ready without a restart.
/// </summary>
public sealed class MigrateCommandTests
{
    [Fact]
    public async Task ANodeIsNotReadyWhileMigrationsArePendingAndTheMigrateCommandMakesItReady()
    {
        await using var node = new AppFactory()
            .WithSetting("Database:MigrateOnStartup", "false")
            .WithSetting("Database:SeedDemoData", "false");
        using var client = node.CreateClient();

        var liveBefore = await client.GetAsync("/health/live");
        var readyBefore = await client.GetAsync("/health/ready");
        var (exitCode, output) = await ReadmeRun.CommandAsync("Testing", TimeSpan.FromMinutes(4),
            "migrate", $"--Database:DataFolder={node.DataFolder}", "--Database:SeedDemoData=false");
        var readyAfter = await client.GetAsync("/health/ready");
        var (againExitCode, againOutput) = await ReadmeRun.CommandAsync("Testing", TimeSpan.FromMinutes(4),
            "migrate", $"--Database:DataFolder={node.DataFolder}", "--Database:SeedDemoData=false");

        Assert.Equal(HttpStatusCode.OK, liveBefore.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyBefore.StatusCode);
        Assert.Equal("Unhealthy", JsonDocument.Parse(await readyBefore.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        Assert.True(exitCode == 0, output);
        Assert.Contains("migrate: applied", output);
        Assert.Equal(HttpStatusCode.OK, readyAfter.StatusCode);
        Assert.True(againExitCode == 0, againOutput);
        Assert.Contains("was up to date", againOutput);
    }
}
