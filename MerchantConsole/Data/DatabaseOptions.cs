namespace MerchantConsole.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";
    /// <summary>Sqlite (embedded default), SqlServer or PostgreSql.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
    /// <summary>Folder for the SQLite files, relative to the content root.</summary>
    public string DataFolder { get; set; } = "App_Data";
    public string SqliteFile { get; set; } = "merchantconsole.db";
    public string? SqlServerConnectionString { get; set; }
    public string? PostgreSqlConnectionString { get; set; }
    public bool MigrateOnStartup { get; set; } = true;
    /// <summary>Demo merchants and logins with a published password: only the Demo and Development settings turn it on.</summary>
    public bool SeedDemoData { get; set; }
}

public enum DatabaseProvider { Sqlite, SqlServer, PostgreSql }
