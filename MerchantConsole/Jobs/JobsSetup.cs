using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.SqlServer;
using Hangfire.Storage.SQLite;
using MerchantConsole.Data;
using MerchantConsole.Messaging;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Jobs;

public static class JobsSetup
{
    /// <summary>Hangfire on storage that follows the database provider, with a server in this process.</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var jobs = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.Configure<JobsOptions>(configuration.GetSection(JobsOptions.Section));

        services.AddHangfire(config =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            switch (database.Provider)
            {
                case DatabaseProvider.SqlServer:
                    config.UseSqlServerStorage(database.SqlServerConnectionString, new SqlServerStorageOptions
                    {
                        QueuePollInterval = jobs.QueuePollInterval,
                        PrepareSchemaIfNecessary = true,
                    });
                    break;
                case DatabaseProvider.PostgreSql:
                    config.UsePostgreSqlStorage(c => c.UseNpgsqlConnection(database.PostgreSqlConnectionString), new PostgreSqlStorageOptions
                    {
                        QueuePollInterval = jobs.QueuePollInterval,
                        PrepareSchemaIfNecessary = true,
                        // A fetched job stays invisible while its worker's heartbeat renews it, and a dead node's job
                        // returns to the queue this long after its last heartbeat instead of after the default half hour.
                        UseSlidingInvisibilityTimeout = true,
                        InvisibilityTimeout = jobs.InvisibilityTimeout,
                    });
                    break;
                default:
                    var folder = Path.GetFullPath(Path.Combine(contentRoot, database.DataFolder));
                    Directory.CreateDirectory(folder);
                    config.UseSQLiteStorage(Path.Combine(folder, jobs.SqliteFile), new SQLiteStorageOptions
                    {
                        QueuePollInterval = jobs.QueuePollInterval,
                        // A held lock's heartbeat runs on a timer over the holder's own connection, which is opened
                        // without SQLite's mutex; a heartbeat while the holder still uses it can wedge that connection.
                        // Locks here last milliseconds, so a long lifetime means the heartbeat (every fifth of it)
                        // practically never fires; a lock left by a crashed process frees itself after two minutes.
                        DistributedLockLifetime = TimeSpan.FromMinutes(2),
                    });
                    break;
            }
        });
        if (jobs.RunServer)
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = jobs.WorkerCount;
                o.SchedulePollingInterval = jobs.QueuePollInterval;
            });
        return services;
    }

    public static WebApplication MapJobs(this WebApplication app)
    {
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new SupportOnlyDashboardFilter()],
            AppPath = "/",
            DashboardTitle = "MerchantConsole jobs",
            // The footer would show the storage's connection string or file path.
            DisplayStorageConnectionString = false,
        });
        var outbox = app.Services.GetRequiredService<IOptions<OutboxOptions>>().Value;
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<OutboxDispatcher>("outbox-catch-up", d => d.DispatchAsync(CancellationToken.None), outbox.CatchUpCron);
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<SqliteStatisticsJob>(SqliteStatisticsJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), Cron.Hourly());
        return app;
    }
}

/// <summary>The dashboard can retry and delete any job, so only support staff may open it.</summary>
public sealed class SupportOnlyDashboardFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var user = context.GetHttpContext().User;
        return user.Identity?.IsAuthenticated == true && user.IsInRole(StaffRoles.Support);
    }
}
