using MerchantConsole.Data;
using Npgsql;

namespace MerchantConsole.Benchmarks;

/// <summary>
/// The options every benchmark takes besides its positional arguments: <c>--provider Sqlite|PostgreSql</c> (SQLite the
/// default), <c>--connection "Host=…"</c> (a PostgreSQL role that may create databases), <c>--keep [name]</c> (PostgreSQL:
/// use that database, create it if missing and never drop it, so a later run reuses what it generated) and
/// <c>--nodes N</c> (fulfil: the app as N separate processes) with <c>--node-cpus X</c> (each node limited to X cores, <see cref="NodeCpuLimit"/>)
/// and <c>--pairs P</c> (one node and N nodes run P times, alternately).
/// </summary>
internal sealed record BenchOptions(DatabaseProvider Provider, string? Connection, string? Keep, int? Nodes, double? NodeCpus, int Pairs, string[] Positional)
{
    public static BenchOptions Parse(string[] args)
    {
        var positional = new List<string>();
        DatabaseProvider provider = DatabaseProvider.Sqlite;
        string? connection = null, keep = null;
        int? nodes = null;
        double? nodeCpus = null;
        var pairs = 1;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--provider":
                    provider = Enum.Parse<DatabaseProvider>(args[++i], ignoreCase: true);
                    break;
                case "--connection":
                    connection = args[++i];
                    break;
                case "--keep":
                    keep = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "";
                    break;
                case "--nodes":
                    nodes = int.Parse(args[++i]);
                    break;
                case "--node-cpus":
                    nodeCpus = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--pairs":
                    pairs = int.Parse(args[++i]);
                    break;
                default:
                    positional.Add(args[i]);
                    break;
            }
        }
        if (provider == DatabaseProvider.SqlServer)
            throw new ArgumentException("The benchmarks run on Sqlite or PostgreSql.");
        if (provider == DatabaseProvider.PostgreSql && string.IsNullOrWhiteSpace(connection))
            throw new ArgumentException("--provider PostgreSql needs --connection \"Host=…;Username=…;Password=…\" (a role that may create databases).");
        if (nodeCpus is not null && nodes is null)
            throw new ArgumentException("--node-cpus limits the nodes of --nodes N.");
        if (pairs < 1 || pairs > 1 && nodes is null)
            throw new ArgumentException("--pairs P (at least 1) repeats the runs of --nodes N.");
        return new BenchOptions(provider, connection, keep, nodes, nodeCpus, pairs, [.. positional]);
    }

    public bool IsPostgreSql => Provider == DatabaseProvider.PostgreSql;
}

/// <summary>
/// The database a benchmark runs on. SQLite: a folder (the caller's, or a fresh one under the temp folder, deleted at the
/// end). PostgreSQL: a fresh database on the given server, named with a random suffix, dropped at the end — unless
/// <c>--keep</c> named one, which is created when missing and kept.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly BenchOptions _options;
    private readonly bool _dropAtEnd;

    private BenchDatabase(BenchOptions options, DatabaseOptions database, string folder, string description, bool dropAtEnd, bool existed)
    {
        _options = options;
        Database = database;
        Folder = folder;
        Description = description;
        _dropAtEnd = dropAtEnd;
        Existed = existed;
    }

    /// <summary>What to hand <see cref="ProviderContextOptions"/> (or the app's <c>Database:*</c> settings).</summary>
    public DatabaseOptions Database { get; }

    /// <summary>The content root for SQLite's relative data folder; a scratch folder on PostgreSQL.</summary>
    public string Folder { get; }

    /// <summary>"SQLite at …" or "PostgreSQL database … on host:port", for the benchmark's first line.</summary>
    public string Description { get; }

    /// <summary>A kept PostgreSQL database that was there before this run (its generated rows may be reused).</summary>
    public bool Existed { get; }

    public bool IsPostgreSql => Database.Provider == DatabaseProvider.PostgreSql;

    public string? ConnectionString => Database.PostgreSqlConnectionString;

    /// <param name="sqliteFolder">SQLite only: a folder to use and keep (the members benchmark's <c>keep=</c>); null for a fresh one.</param>
    public static async Task<BenchDatabase> CreateAsync(BenchOptions options, string label, string? sqliteFolder = null)
    {
        if (!options.IsPostgreSql)
        {
            var folder = sqliteFolder ?? Path.Combine(Path.GetTempPath(), "mc-bench", Guid.NewGuid().ToString("N"));
            return new BenchDatabase(options, new DatabaseOptions { DataFolder = folder }, folder, $"SQLite at {folder}", sqliteFolder is null, false);
        }
        var name = string.IsNullOrEmpty(options.Keep) ? $"mc_bench_{label}_{Guid.NewGuid().ToString("N")[..10]}" : options.Keep;
        var existed = false;
        await using (var server = new NpgsqlConnection(options.Connection))
        {
            await server.OpenAsync();
            await using (var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", server))
            {
                exists.Parameters.AddWithValue("name", name);
                existed = (long)(await exists.ExecuteScalarAsync())! > 0;
            }
            if (!existed)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0", server);
                await create.ExecuteNonQueryAsync();
            }
        }
        var builder = new NpgsqlConnectionStringBuilder(options.Connection) { Database = name };
        var scratch = Path.Combine(Path.GetTempPath(), "mc-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        var kept = options.Keep is not null ? ", kept" : "";
        return new BenchDatabase(options,
            new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, PostgreSqlConnectionString = builder.ConnectionString, DataFolder = scratch },
            scratch, $"PostgreSQL database {name}{kept} on {builder.Host}:{builder.Port}", options.Keep is null, existed);
    }

    /// <summary>The app's settings for this database (in-process app or node processes).</summary>
    public IEnumerable<KeyValuePair<string, string>> AppSettings()
    {
        yield return new("Database:Provider", Database.Provider.ToString());
        yield return new("Database:DataFolder", Database.DataFolder);
        if (IsPostgreSql)
            yield return new("Database:PostgreSqlConnectionString", ConnectionString!);
    }

    public async ValueTask DisposeAsync()
    {
        if (!IsPostgreSql)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (_dropAtEnd)
                try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
            return;
        }
        NpgsqlConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
        if (!_dropAtEnd)
        {
            Console.WriteLine($"kept the database: {new NpgsqlConnectionStringBuilder(ConnectionString).Database}");
            return;
        }
        await using var server = new NpgsqlConnection(_options.Connection);
        await server.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(ConnectionString).Database}\" WITH (FORCE)", server);
        await drop.ExecuteNonQueryAsync();
    }
}
