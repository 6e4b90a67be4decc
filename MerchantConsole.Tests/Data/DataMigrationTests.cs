using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace MerchantConsole.Tests.Data;

/// <summary>Migrations fill their new columns for rows that existed before them.</summary>
public sealed class DataMigrationTests : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mc-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task ExistingImagesGetTheirOwnTokenAndExistingVersionsTheirImageIds()
    {
        var contexts = new ProviderContextOptions(new DatabaseOptions { DataFolder = _folder }, _folder,
            new SaveStampingInterceptor(TimeProvider.System, new RecordingOutboxTrigger()));
        await using var db = contexts.Create(new MerchantScope());
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("20261127183950_InitialCreate");
        var (merchant, template, version, logo, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        string Id(Guid id) => id.ToString().ToUpperInvariant();
        // Rows as the old schema stored them; every value is made by this test.
        var oldRows =
            $"INSERT INTO Merchants VALUES ('{Id(merchant)}', 'Old shop', 'old-shop', 'Asia/Shanghai', 'CNY', 0, '{Id(Guid.NewGuid())}');" +
            $"INSERT INTO CardTemplates VALUES ('{Id(template)}', '{Id(merchant)}', 'Old card', 0, 0, 'admin', '{Id(Guid.NewGuid())}');" +
            $"INSERT INTO CardTemplateVersions VALUES ('{Id(version)}', '{Id(template)}', 1, 'Published', " +
            $"'{{\"BrandName\":\"Old\",\"LogoImageId\":\"{logo}\",\"BackgroundImageId\":null}}', 0, 0, 'admin');" +
            $"INSERT INTO UploadedImages VALUES ('{Id(logo)}', '{Id(merchant)}', 'image/png', x'00', 1, 1, 1, 'logo.png', 0);" +
            $"INSERT INTO UploadedImages VALUES ('{Id(other)}', '{Id(merchant)}', 'image/png', x'00', 1, 1, 1, 'other.png', 0);";
        // Raw SQL still reads braces as parameter placeholders.
        await db.Database.ExecuteSqlRawAsync(oldRows.Replace("{", "{{").Replace("}", "}}"));

        await migrator.MigrateAsync();

        var versions = await db.Set<CardTemplateVersion>().Select(v => new { v.LogoImageId, v.BackgroundImageId }).ToListAsync();
        Assert.Equal((logo, (Guid?)null), (Assert.Single(versions).LogoImageId, versions[0].BackgroundImageId));
        var tokens = await db.UploadedImages.IgnoreQueryFilters().Select(i => i.PublicToken).ToListAsync();
        Assert.Equal(2, tokens.Distinct().Count());
        Assert.All(tokens, t => Assert.True(UploadedImage.IsWellFormedToken(t), t));
    }

    [Fact]
    public async Task AuditRowsWrittenBeforeOperationsWereRecordedEachBecomeTheirOwnOperation()
    {
        var contexts = new ProviderContextOptions(new DatabaseOptions { DataFolder = _folder }, _folder,
            new SaveStampingInterceptor(TimeProvider.System, new RecordingOutboxTrigger()));
        await using var db = contexts.Create(new MerchantScope());
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("20261128232251_Uploads");
        var merchant = Guid.NewGuid().ToString().ToUpperInvariant();
        for (var i = 0; i < 3; i++)
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO AuditEntries (MerchantId, At, UserName, EntityType, EntityId, AggregateType, AggregateId, Action, Changes) " +
                "VALUES ({0}, 0, 'admin', 'MembershipPlan', 'p', 'MembershipPlan', 'p', 'Modified', '[]')", merchant);

        await migrator.MigrateAsync();

        var operations = await db.AuditEntries.IgnoreQueryFilters().Select(a => a.OperationId).ToListAsync();
        Assert.Equal(3, operations.Count);
        Assert.Equal(3, operations.Distinct().Count());
        Assert.DoesNotContain(Guid.Empty, operations);
    }

    [Fact]
    public async Task ExistingActivationRunsBecomePlanActivationRunsWithTheirStepsNotesAndHistory()
    {
        var contexts = new ProviderContextOptions(new DatabaseOptions { DataFolder = _folder }, _folder,
            new SaveStampingInterceptor(TimeProvider.System, new RecordingOutboxTrigger()));
        await using var db = contexts.Create(new MerchantScope());
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("20261128233326_HistoryOperations");
        var (merchant, plan, run, version) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        string Id(Guid id) => id.ToString().ToUpperInvariant();
        string[] steps = ["Validate", "FreezeTemplateVersion", "ProductsPending", "PlanActive", "ProductsActive"];
        // Rows as the old schema stored them: a run stuck at ProductsPending after freezing a version, with a support note.
        var oldRows =
            $"INSERT INTO MembershipPlans (Id, MerchantId, Name, Currency, ValidityPolicy, Status, Revision, RevisionActivating, CreatedAt, UpdatedAt, ConcurrencyStamp) " +
            $"VALUES ('{Id(plan)}', '{Id(merchant)}', 'Old plan', 'CNY', 'Permanent', 'Activating', 1, 0, 0, 0, '{Id(Guid.NewGuid())}');" +
            $"INSERT INTO ActivationRuns (Id, MerchantId, PlanId, Kind, Revision, Status, StartedAt, FinishedAt, RequestedBy, TemplateVersionId, ConcurrencyStamp) " +
            $"VALUES ('{Id(run)}', '{Id(merchant)}', '{Id(plan)}', 'Activate', 1, 'Stuck', 0, NULL, 'alice', '{Id(version)}', '{Id(Guid.NewGuid())}');" +
            string.Concat(steps.Select((name, i) =>
                $"INSERT INTO ActivationSteps (Id, RunId, Name, \"Order\", Status, Attempts, LastError, StartedAt, FinishedAt, NextAttemptAt) " +
                $"VALUES ('{Id(Guid.NewGuid())}', '{Id(run)}', '{name}', {i + 1}, '{(i < 2 ? "Succeeded" : i == 2 ? "Failed" : "Pending")}', " +
                $"{(i <= 2 ? 1 : 0)}, {(i == 2 ? "'boom'" : "NULL")}, NULL, NULL, NULL);")) +
            $"INSERT INTO ActivationRunNotes (Id, RunId, At, \"By\", \"Action\", Step, Reason) VALUES ('{Id(Guid.NewGuid())}', '{Id(run)}', 0, 'bob', 'Retry', 'ProductsPending', 'db down');" +
            $"INSERT INTO AuditEntries (MerchantId, At, UserName, EntityType, EntityId, AggregateType, AggregateId, Action, Changes, OperationId) " +
            $"VALUES ('{Id(merchant)}', 0, 'bob', 'ActivationRun', '{run}', 'ActivationRun', '{run}', 'SupportRetry', '[]', '{Id(Guid.NewGuid())}');";
        await db.Database.ExecuteSqlRawAsync(oldRows.Replace("{", "{{").Replace("}", "}}"));

        await migrator.MigrateAsync();

        var migrated = await db.WorkflowRuns.IgnoreQueryFilters().AsNoTracking().WithSteps().SingleAsync();
        Assert.Equal((run, PlanActivation.Kind, plan, "Old plan", "Activate", 1, WorkflowRunStatus.Stuck, "alice"),
            (migrated.Id, migrated.Kind, migrated.SubjectId, migrated.SubjectName, migrated.Variant, migrated.SubjectRevision, migrated.Status, migrated.RequestedBy));
        Assert.Equal(steps, migrated.Steps.Select(s => s.Name));
        Assert.Equal([false, false, false, true, false], migrated.Steps.Select(s => s.Irreversible));
        Assert.Equal(version, migrated.TemplateVersionId);
        Assert.Equal(ActivationStepName.ProductsPending, migrated.NextStep!.Name);
        Assert.Equal(("boom", 1), (migrated.NextStep.LastError, migrated.NextStep.Attempts));
        var note = Assert.Single(migrated.Notes);
        Assert.Equal((SupportAction.Retry, "bob", "ProductsPending", "db down"), (note.Action, note.By, note.Step, note.Reason));
        var audit = await db.AuditEntries.IgnoreQueryFilters().SingleAsync();
        Assert.Equal((nameof(WorkflowRun), nameof(WorkflowRun)), (audit.EntityType, audit.AggregateType));
        // The migrated run goes on as any run: its frozen version is its own, another is refused.
        migrated.Retry("support", null, DateTimeOffset.UnixEpoch);
        migrated.FreezeTemplateVersion(version);
        Assert.Throws<MerchantConsole.Domain.Common.DomainException>(() => migrated.FreezeTemplateVersion(Guid.NewGuid()));
    }

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await Task.Yield();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
