namespace MerchantConsole.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";
    /// <summary>Runs a Hangfire server inside the web process.</summary>
    public bool RunServer { get; set; } = true;
    public int WorkerCount { get; set; } = 4;
    /// <summary>How often idle workers look for new jobs; about a second so an enqueued job starts at once.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);
    public string SqliteFile { get; set; } = "hangfire.db";
    /// <summary>
    /// PostgreSQL: how long a fetched job stays invisible to other nodes without its worker's heartbeat (renewed every fifth
    /// of it while the worker lives), so a dead node's job is fetched again by another node this long after its last heartbeat.
    /// </summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
