using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MerchantConsole.Data;

public sealed class SqliteMerchantDbContext(DbContextOptions<SqliteMerchantDbContext> options, MerchantScope scope)
    : MerchantDbContext(options, scope)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no offset-aware type; stored as a sortable integer, ordering and comparisons translate.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

public sealed class SqlServerMerchantDbContext(DbContextOptions<SqlServerMerchantDbContext> options, MerchantScope scope)
    : MerchantDbContext(options, scope);

public sealed class PostgreSqlMerchantDbContext(DbContextOptions<PostgreSqlMerchantDbContext> options, MerchantScope scope)
    : MerchantDbContext(options, scope)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // timestamptz keeps the instant, not the offset, and Npgsql refuses to write a non-zero offset: every instant is
        // written as UTC. Nothing reads an offset back (times are shown in the merchant's zone), and instants compare equal.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcDateTimeOffsetConverter>();
    }
}

/// <summary>The same instant at offset zero, for PostgreSQL's <c>timestamptz</c>.</summary>
public sealed class UtcDateTimeOffsetConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v);

// Design-time factories: one per provider so `dotnet ef --context X` never answers for the other (STACK.md gotcha 3).
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteMerchantDbContext>
{
    public SqliteMerchantDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteMerchantDbContext>().UseSqlite("Data Source=design.db").Options, new MerchantScope());
}

public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerMerchantDbContext>
{
    public SqlServerMerchantDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerMerchantDbContext>().UseSqlServer("Server=.;Database=MerchantConsole;Trusted_Connection=True;TrustServerCertificate=True").Options, new MerchantScope());
}

public sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlMerchantDbContext>
{
    public PostgreSqlMerchantDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlMerchantDbContext>().UseNpgsql("Host=localhost;Database=merchantconsole").Options, new MerchantScope());
}
