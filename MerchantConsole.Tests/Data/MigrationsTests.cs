using MerchantConsole.Data;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Data;

/// <summary>Fails when someone changes the model and forgets the migration for a provider.</summary>
public sealed class MigrationsTests
{
    [Fact]
    public void SqliteMigrationsCoverTheModel()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --context SqliteMerchantDbContext --output-dir Data/Migrations/Sqlite");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public void SqlServerMigrationsCoverTheModel()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --context SqlServerMerchantDbContext --output-dir Data/Migrations/SqlServer");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public void PostgreSqlMigrationsCoverTheModel()
    {
        using var db = new PostgreSqlDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --context PostgreSqlMerchantDbContext --output-dir Data/Migrations/PostgreSql");
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public async Task MigrationsBuildADatabaseWithEveryTable()
    {
        await using var database = await TestSupport.TestDatabase.CreateAsync();
        await using var db = database.Unscoped();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(0, await db.OutboxMessages.CountAsync());
        Assert.Equal(0, await db.Merchants.CountAsync());
    }
}
