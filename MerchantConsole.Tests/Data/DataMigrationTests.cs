using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
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

    public async ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await Task.Yield();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
