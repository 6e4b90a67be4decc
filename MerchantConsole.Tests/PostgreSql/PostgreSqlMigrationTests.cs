using MerchantConsole.Data;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace MerchantConsole.Tests.PostgreSql;

/// <summary>PostgreSQL's hand-written migrations, down and up again, on a database of their own. Skipped without a server.</summary>
public sealed class PostgreSqlMigrationTests
{
    private const string BeforeSlots = "20261129131118_SandboxStateInDatabase";

    [Fact]
    public async Task TheMemberCountSlotsGoBackToOneRowPerCountAndComeBackWithTheSameCounts()
    {
        var server = Environment.GetEnvironmentVariable(PostgreSqlAppFixture.ServerVariable);
        Assert.SkipWhen(string.IsNullOrWhiteSpace(server), PostgreSqlAppFixture.SkipReason);
        var (name, connectionString) = await ThrowawayDatabase.CreateAsync(server!, "mc_migrations");
        try
        {
            var contexts = new ProviderContextOptions(
                new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, PostgreSqlConnectionString = connectionString }, Path.GetTempPath(),
                new SaveStampingInterceptor(TimeProvider.System, new RecordingOutboxTrigger()));
            await using var db = contexts.Create(new MerchantScope());
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync();
            var (merchant, plan, gold, silver) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
            // Gold's Active count is spread over three connections' slots (one a decrement); Silver's is only in slot 7.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "MemberCounts" ("MerchantId", "PlanId", "TierId", "Status", "Slot", "Count") VALUES
                ({merchant}, {plan}, {gold}, 'Active', 0, 3), ({merchant}, {plan}, {gold}, 'Active', 5, 4), ({merchant}, {plan}, {gold}, 'Active', 9, -1),
                ({merchant}, {plan}, {silver}, 'Active', 7, 2)
                """);

            await migrator.MigrateAsync(BeforeSlots);

            Assert.Equal([(gold, 6L), (silver, 2L)], await CountsAsync(db, plan));
            Assert.False(await SlotColumnExistsAsync(db));
            Assert.DoesNotContain("pg_backend_pid", await TriggerFunctionAsync(db));

            await migrator.MigrateAsync();

            Assert.Equal([(gold, 6L), (silver, 2L)], await CountsAsync(db, plan));
            Assert.True(await SlotColumnExistsAsync(db));
            Assert.Contains("pg_backend_pid", await TriggerFunctionAsync(db));
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }
        finally
        {
            await ThrowawayDatabase.DropAsync(server!, name);
        }
    }

    private static async Task<List<(Guid TierId, long Count)>> CountsAsync(MerchantDbContext db, Guid planId) =>
        [.. (await db.MemberCounts.IgnoreQueryFilters().AsNoTracking().Where(c => c.PlanId == planId).ToListAsync())
            .Select(c => (c.TierId, c.Count)).OrderByDescending(c => c.Count)];

    private static async Task<bool> SlotColumnExistsAsync(MerchantDbContext db) =>
        await db.Database.SqlQueryRaw<int>(
            """SELECT count(*)::int AS "Value" FROM information_schema.columns WHERE table_name = 'MemberCounts' AND column_name = 'Slot'""").SingleAsync() == 1;

    private static Task<string> TriggerFunctionAsync(MerchantDbContext db) =>
        db.Database.SqlQueryRaw<string>("""SELECT pg_get_functiondef('"MemberCounts_Apply"'::regproc) AS "Value" """).SingleAsync();
}
