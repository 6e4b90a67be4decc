using MerchantConsole.Data;
using MerchantConsole.Domain.Merchants;
using MerchantConsole.Messaging;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.TestSupport;

/// <summary>
/// A real SQLite database in a temporary folder, built by the migrations, with the product's
/// save interceptor. Contexts are created for a chosen merchant, as the app's scoped factory does.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _folder;

    public ProviderContextOptions Contexts { get; }
    public RecordingOutboxTrigger OutboxTrigger { get; } = new();
    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero));

    private TestDatabase()
    {
        _folder = Path.Combine(Path.GetTempPath(), "mc-tests", Guid.NewGuid().ToString("N"));
        Contexts = new ProviderContextOptions(
            new DatabaseOptions { DataFolder = _folder },
            _folder,
            new SaveStampingInterceptor(Clock, OutboxTrigger));
    }

    public static async Task<TestDatabase> CreateAsync()
    {
        var database = new TestDatabase();
        await database.Contexts.MigrateAsync();
        return database;
    }

    public MerchantDbContext Unscoped() => Contexts.Create(new MerchantScope());

    public MerchantDbContext For(Guid merchantId, string actor = "tester") => Contexts.CreateForMerchant(merchantId, actor);

    public MerchantDbContext ForScope(MerchantScope scope) => Contexts.Create(scope);

    public async Task<Merchant> AddMerchantAsync(string code)
    {
        var merchant = Merchant.Create($"Merchant {code}", code, "Asia/Shanghai", "CNY", Clock.GetUtcNow());
        await using var db = Unscoped();
        db.Merchants.Add(merchant);
        await db.SaveChangesAsync();
        return merchant;
    }

    public async ValueTask DisposeAsync()
    {
        Contexts.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await Task.Yield();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}

public sealed class RecordingOutboxTrigger : IOutboxTrigger
{
    private int _count;
    public int Count => _count;
    public void Trigger() => Interlocked.Increment(ref _count);
}

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
}
