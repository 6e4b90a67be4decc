using MerchantConsole.Data;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Hosting;

/// <summary>
/// `MerchantConsole migrate`: applies the migrations (and the roles, and the demo data where configured) once and exits,
/// so several nodes can start with <c>Database:MigrateOnStartup=false</c> and never race each other over the schema.
/// </summary>
public static class MigrateCommand
{
    public const string Name = "migrate";

    public static bool IsRequested(string[] args) => args.Length > 0 && string.Equals(args[0], Name, StringComparison.OrdinalIgnoreCase);

    public static async Task<int> RunAsync(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MigrateCommand));
        var contexts = app.Services.GetRequiredService<ProviderContextOptions>();
        try
        {
            List<string> pending;
            await using (var db = contexts.CreateAcrossMerchants(SystemActors.Jobs))
                pending = [.. await db.Database.GetPendingMigrationsAsync()];
            await app.PrepareDatabaseAsync(migrate: true);
            // Plain output: an operator's deploy script reads it.
            Console.WriteLine(pending.Count == 0
                ? $"migrate: the {contexts.Provider} database was up to date"
                : $"migrate: applied {pending.Count} migration(s) to the {contexts.Provider} database, last {pending[^1]}");
            return 0;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "migrate failed");
            Console.Error.WriteLine($"migrate failed: {ex.Message}");
            return 1;
        }
    }
}
