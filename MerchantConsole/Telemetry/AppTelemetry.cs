using System.Diagnostics;
using System.Diagnostics.Metrics;
using Hangfire.Common;
using Hangfire.Server;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MerchantConsole.Telemetry;

public enum TelemetryExporter
{
    /// <summary>Traces and metrics are collected but go nowhere.</summary>
    None,
    Console,
    Otlp,
}

public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public TelemetryExporter Exporter { get; set; } = TelemetryExporter.Console;

    /// <summary>The collector for <see cref="TelemetryExporter.Otlp"/> (gRPC, e.g. http://localhost:4317); the exporter's default when empty.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>How often metrics are exported.</summary>
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// The app's own traces and metrics, beside ASP.NET Core's: a span per background job, per workflow step and per batch
/// of payments or fulfilment, and the instruments below. Tags on the current span (merchant, run, order, job) also go
/// on every log line written inside it (<c>ActivityTrackingOptions.Tags</c>), so the ids are on each line that concerns them.
/// </summary>
public static class AppTelemetry
{
    public const string Name = "MerchantConsole";
    public static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    public static readonly Histogram<double> JobDuration = Meter.CreateHistogram<double>("merchantconsole.job.duration", "s",
        "How long a background job ran, by job and outcome.");
    public static readonly Histogram<double> OutboxLag = Meter.CreateHistogram<double>("merchantconsole.outbox.lag", "s",
        "From a message's commit to its delivery to every handler.");
    public static readonly Histogram<double> WorkflowDuration = Meter.CreateHistogram<double>("merchantconsole.workflow.duration", "s",
        "From a workflow run's start (an activation) to its end, by kind and outcome.");
    public static readonly Counter<long> OrdersFulfilled = Meter.CreateCounter<long>("merchantconsole.orders.fulfilled", "{order}",
        "Paid orders fulfilled (cards issued or renewed).");
    private static readonly Counter<long> OrderLostRaces = Meter.CreateCounter<long>("merchantconsole.orders.lost_races", "{transaction}",
        "Payment recordings and fulfilment chunks rolled back and run again because another writer changed one of their orders first, by step.");

    /// <summary>Counts one recording or fulfilment run again after a lost race (<paramref name="step"/>: record or fulfil).</summary>
    public static void CountLostRace(string step) => OrderLostRaces.Add(1, new KeyValuePair<string, object?>("step", step));

    public const string MerchantTag = "merchant.id";
    public const string RunTag = "workflow.run.id";
    public const string OrderTag = "order.id";

    /// <summary>Names the merchant on the current span (a request, a job), and so on its log lines.</summary>
    public static void TagMerchant(Guid merchantId) => Activity.Current?.SetTag(MerchantTag, merchantId);

    public static IServiceCollection AddConsoleTelemetry(this IServiceCollection services, IConfiguration configuration, ILoggingBuilder logging)
    {
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.Tags);
        // Hangfire's filters are process-wide; a second app in one process (tests) must not add it twice.
        if (!Hangfire.GlobalJobFilters.Filters.Any(f => ReferenceEquals(f.Instance, JobTelemetryFilter.Instance)))
            Hangfire.GlobalJobFilters.Filters.Add(JobTelemetryFilter.Instance);
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(Name, serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"))
            .WithTracing(tracing =>
            {
                tracing.AddSource(Name).AddAspNetCoreInstrumentation(o =>
                    // Static files and the circuit's socket are noise; pages, APIs and callbacks are traced.
                    o.Filter = context => !context.Request.Path.StartsWithSegments("/_content") && !context.Request.Path.StartsWithSegments("/_framework")
                                          && !context.Request.Path.StartsWithSegments("/assets") && !context.Request.Path.StartsWithSegments("/_blazor"));
                switch (options.Exporter)
                {
                    case TelemetryExporter.Console: tracing.AddConsoleExporter(); break;
                    case TelemetryExporter.Otlp: tracing.AddOtlpExporter(o => SetEndpoint(o, options)); break;
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Name).AddAspNetCoreInstrumentation();
                switch (options.Exporter)
                {
                    case TelemetryExporter.Console:
                        metrics.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.MetricsInterval.TotalMilliseconds);
                        break;
                    case TelemetryExporter.Otlp:
                        metrics.AddOtlpExporter((o, reader) =>
                        {
                            SetEndpoint(o, options);
                            reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.MetricsInterval.TotalMilliseconds;
                        });
                        break;
                }
            });
        return services;
    }

    private static void SetEndpoint(OpenTelemetry.Exporter.OtlpExporterOptions o, TelemetryOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint))
            o.Endpoint = new Uri(options.OtlpEndpoint);
    }

    /// <summary>A span and a duration per job, named by its method; the job id is tagged on its log lines.</summary>
    private sealed class JobTelemetryFilter : JobFilterAttribute, IServerFilter
    {
        public static readonly JobTelemetryFilter Instance = new();
        private const string ActivityKey = "telemetry.activity";
        private const string StartedKey = "telemetry.started";

        public void OnPerforming(PerformingContext context)
        {
            var job = context.BackgroundJob.Job;
            var activity = Source.StartActivity($"job {job.Type.Name}.{job.Method.Name}", ActivityKind.Internal);
            activity?.SetTag("job.id", context.BackgroundJob.Id);
            context.Items[ActivityKey] = activity;
            context.Items[StartedKey] = Stopwatch.GetTimestamp();
        }

        public void OnPerformed(PerformedContext context)
        {
            var job = context.BackgroundJob.Job;
            var outcome = context.Exception is null ? "ok" : context.Canceled ? "canceled" : "failed";
            if (context.Items.TryGetValue(StartedKey, out var started) && started is long start)
                JobDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds,
                    new KeyValuePair<string, object?>("job", $"{job.Type.Name}.{job.Method.Name}"), new KeyValuePair<string, object?>("outcome", outcome));
            if (context.Items.TryGetValue(ActivityKey, out var value) && value is Activity activity)
            {
                if (context.Exception is { } exception)
                    activity.SetStatus(ActivityStatusCode.Error, exception.Message);
                activity.Dispose();
            }
        }
    }
}
