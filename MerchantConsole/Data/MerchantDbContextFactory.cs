using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace MerchantConsole.Data;

/// <summary>
/// Builds the provider's context with this scope's <see cref="MerchantScope"/>. Registered scoped so a
/// circuit's merchant reaches every context it creates (ARCHITECTURE.md, Tenancy).
/// </summary>
public sealed class MerchantDbContextFactory(ProviderContextOptions options, MerchantScope scope) : IDbContextFactory<MerchantDbContext>
{
    public MerchantDbContext CreateDbContext() => options.Create(scope);

    /// <summary>
    /// The embedded database's prepared reads and the one merchant they must be scoped to, when this scope reads one
    /// merchant on SQLite; null otherwise (another provider, support reading across merchants, nobody signed in).
    /// </summary>
    public (SqlitePreparedReads Reads, Guid MerchantId)? SqliteReadsForMerchant =>
        options.SqliteReads is { } reads && scope is { MerchantId: { } merchantId, AcrossMerchants: false } ? (reads, merchantId) : null;
}

/// <summary>The options are built once per app; only the scope differs between contexts.</summary>
public sealed class ProviderContextOptions : IDisposable
{
    private readonly Func<MerchantScope, MerchantDbContext> _create;

    public ProviderContextOptions(DatabaseOptions database, string contentRoot, SaveStampingInterceptor interceptor)
    {
        Provider = database.Provider;
        switch (database.Provider)
        {
            case DatabaseProvider.Sqlite:
                var folder = Path.GetFullPath(Path.Combine(contentRoot, database.DataFolder));
                Directory.CreateDirectory(folder);
                ConnectionString = $"Data Source={Path.Combine(folder, database.SqliteFile)}";
                var sqlite = new DbContextOptionsBuilder<SqliteMerchantDbContext>()
                    .UseSqlite(ConnectionString)
                    .ReplaceService<IModelCacheKeyFactory, MerchantModelCacheKeyFactory>()
                    .AddInterceptors(interceptor, new SqliteConnectionSettings()).Options;
                _create = scope => new SqliteMerchantDbContext(sqlite, scope);
                SqliteReads = new SqlitePreparedReads(ConnectionString);
                break;
            case DatabaseProvider.SqlServer:
                ConnectionString = database.SqlServerConnectionString
                    ?? throw new InvalidOperationException("Database:SqlServerConnectionString is required when Database:Provider is SqlServer.");
                var sqlServer = new DbContextOptionsBuilder<SqlServerMerchantDbContext>()
                    .UseSqlServer(ConnectionString)
                    .ReplaceService<IModelCacheKeyFactory, MerchantModelCacheKeyFactory>()
                    .AddInterceptors(interceptor).Options;
                _create = scope => new SqlServerMerchantDbContext(sqlServer, scope);
                break;
            case DatabaseProvider.PostgreSql:
                ConnectionString = database.PostgreSqlConnectionString
                    ?? throw new InvalidOperationException("Database:PostgreSqlConnectionString is required when Database:Provider is PostgreSql.");
                var postgres = new DbContextOptionsBuilder<PostgreSqlMerchantDbContext>()
                    .UseNpgsql(ConnectionString)
                    .ReplaceService<IModelCacheKeyFactory, MerchantModelCacheKeyFactory>()
                    .AddInterceptors(interceptor, new PostgreSqlCaseInsensitiveLike()).Options;
                _create = scope => new PostgreSqlMerchantDbContext(postgres, scope);
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider '{database.Provider}'.");
        }
    }

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    /// <summary>Open connections with prepared statements for the hottest reads; SQLite only (ARCHITECTURE.md, Members).</summary>
    public SqlitePreparedReads? SqliteReads { get; }

    public void Dispose() => SqliteReads?.Dispose();

    public MerchantDbContext Create(MerchantScope scope) => _create(scope);

    /// <summary>A context for background work acting for one merchant (jobs, handlers, seeding).</summary>
    public MerchantDbContext CreateForMerchant(Guid merchantId, string actor)
    {
        var scope = new MerchantScope();
        scope.UseMerchant(merchantId, actor);
        return Create(scope);
    }

    /// <summary>A context that reads every merchant's rows: the support console and the sweeper only.</summary>
    public MerchantDbContext CreateAcrossMerchants(string actor)
    {
        var scope = new MerchantScope();
        scope.UseAcrossMerchants(actor);
        return Create(scope);
    }

    /// <summary>Applies the provider's migrations: the schema only ever comes from them.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = Create(new MerchantScope());
        await db.Database.MigrateAsync(cancellationToken);
        // Write-ahead logging lets the UI read while jobs write, and makes each commit one append.
        if (Provider == DatabaseProvider.Sqlite)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
