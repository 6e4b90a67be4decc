using System.Globalization;
using System.Net;
using CsvHelper;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using MerchantConsole.Data;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Members;
using MerchantConsole.Tests.Features.Plans;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Tests.Features.Members;

/// <summary>A Hangfire client that only remembers what was enqueued.</summary>
internal sealed class RecordingJobs : IBackgroundJobClient
{
    public List<Job> Enqueued { get; } = [];

    public string Create(Job job, IState state)
    {
        Enqueued.Add(job);
        return Enqueued.Count.ToString(CultureInfo.InvariantCulture);
    }

    public bool ChangeState(string jobId, IState state, string expectedState) => true;
}

/// <summary>CSV export of the member list's filter: the job writes the filter's rows; the file goes to its merchant only.</summary>
public sealed class MemberExportTests : IAsyncLifetime
{
    private MembersHarness _harness = null!;
    private string _folder = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await MembersHarness.CreateAsync();
        _folder = Path.Combine(Path.GetTempPath(), "mc-export-tests", Guid.NewGuid().ToString("N"));
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    private sealed class Environment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";
        public string ApplicationName { get; set; } = "MerchantConsole";
        public string ContentRootPath { get; set; } = root;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }

    [Fact]
    public async Task TheExportJobWritesExactlyTheRowsOfTheFilterAndReportsItsProgress()
    {
        var plan = await _harness.ActivePlanAsync();
        var enrolment = _harness.Enrolment();
        var golds = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var result = await enrolment.EnrolAsync(MembersHarness.Request(plan, i % 2 == 0 ? "Gold" : "Silver", phone: $"1380013800{i}", name: $"会员,\"{i}\""));
            if (i % 2 == 0)
                golds.Add(CardNumbers.Display(result.CardNumber!));
            _harness.Database.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        var scope = new MerchantScope();
        scope.UseMerchant(_harness.Merchant.Id, "admin@members.test");
        var jobs = new RecordingJobs();
        var factory = new MerchantDbContextFactory(_harness.Database.Contexts, scope);
        var exports = new MemberExports(factory, new MemberQueries(factory), scope, jobs, _harness.Database.Clock);
        var files = new MemberExportFiles(Options.Create(new DatabaseOptions { DataFolder = "data" }), new Environment(_folder));
        var gold = plan.Tiers.Single(t => t.Name == "Gold").Id;

        var started = await exports.StartAsync(new MemberListQuery(null, plan.Id, gold, MembershipStatus.Active, 20));
        Assert.Equal((MemberExportStatus.Queued, 4L), (started.Status, started.Expected));
        Assert.Equal(nameof(MemberExportJob.RunAsync), Assert.Single(jobs.Enqueued).Method.Name);
        await new MemberExportJob(_harness.Database.Contexts, files, _harness.Database.Clock).RunAsync(_harness.Merchant.Id, started.Id, CancellationToken.None);

        var done = await exports.FindAsync(started.Id);
        Assert.Equal((MemberExportStatus.Completed, 4L, 100.0), (done!.Status, done.Written, done.Percent));
        var rows = new List<Dictionary<string, string>>();
        await using (var file = File.OpenRead(files.PathOf(_harness.Merchant.Id, started.Id)))
        using (var reader = CsvReader.Create(file, null, false))
            while (reader.Read())
                rows.Add(MemberExportJob.Columns.ToDictionary(c => c, c => reader.GetString(c)));
        Assert.Equal(golds.AsEnumerable().Reverse(), rows.Select(r => r["CardNumber"]));
        Assert.All(rows, r => Assert.Equal("Gold", r["Tier"]));
        Assert.Equal("会员,\"6\"", rows[0]["Name"]);
        Assert.Null(await new MemberExports(_harness.Contexts(_harness.OtherMerchant.Id), _harness.Queries(_harness.OtherMerchant.Id), scope, jobs,
            _harness.Database.Clock).FindAsync(started.Id));
    }
}

/// <summary>The export's file through the real pipeline.</summary>
[Collection(AppCollection.Name)]
public sealed class MemberExportHttpTests(AppFixture app)
{
    [Fact]
    public async Task OnlyTheMerchantThatExportedDownloadsTheFileAnotherMerchantGets404()
    {
        Guid exportId;
        Guid merchantId;
        await using (var db = await app.Factory.ContextForMerchantAsync("aroma-coffee", "admin@aroma.demo"))
        {
            merchantId = await db.Merchants.Where(m => m.Code == "aroma-coffee").Select(m => m.Id).SingleAsync();
            var export = MemberExport.Request(merchantId, null, null, null, null, 0, "admin@aroma.demo", DateTimeOffset.UtcNow);
            db.MemberExports.Add(export);
            await db.SaveChangesAsync();
            exportId = export.Id;
        }
        await app.Factory.WithScopeAsync(async services =>
        {
            await services.GetRequiredService<MemberExportJob>().RunAsync(merchantId, exportId, CancellationToken.None);
            return true;
        });
        var orchard = await app.SignedInClientAsync("admin@orchard.demo");
        var aroma = await app.SignedInClientAsync("admin@aroma.demo");
        var store = await app.SignedInClientAsync("store@aroma.demo");

        var other = await orchard.GetAsync(MembersSetup.ExportFileUrl(exportId));
        var own = await aroma.GetAsync(MembersSetup.ExportFileUrl(exportId));
        var manager = await store.GetAsync(MembersSetup.ExportFileUrl(exportId));

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("text/csv", own.Content.Headers.ContentType?.MediaType);
        var lines = (await own.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await using var count = await app.Factory.ContextForMerchantAsync("aroma-coffee");
        Assert.Equal(await count.Memberships.CountAsync() + 1, lines.Length);
        Assert.Contains("CardNumber,Name,Phone", lines[0]);
        Assert.NotEqual(HttpStatusCode.OK, manager.StatusCode);
    }
}
