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
