using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MerchantConsole.Tests.TestSupport;

/// <summary>
/// Writes a test app's warnings (and all of Hangfire's log) to a file when MC_APP_LOG_DIR is set, so a CI run
/// that fails on a background job leaves the evidence behind (.ci/run prints the tail on failure).
/// </summary>
public sealed class AppLogFile : ILoggerProvider
{
    private readonly StreamWriter _writer;
    private readonly ConcurrentDictionary<string, Logger> _loggers = new();

    private AppLogFile(string path)
    {
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    /// <summary>A provider writing to a new file in MC_APP_LOG_DIR, or null when that is not set.</summary>
    public static AppLogFile? FromEnvironment(string name)
    {
        var folder = Environment.GetEnvironmentVariable("MC_APP_LOG_DIR");
        if (string.IsNullOrWhiteSpace(folder)) return null;
        Directory.CreateDirectory(folder);
        return new AppLogFile(Path.Combine(folder, $"{DateTime.UtcNow:HHmmss}-{name}.log"));
    }

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, c => new Logger(this, c));

    public void Dispose()
    {
        lock (_writer) _writer.Dispose();
    }

    private void Write(string category, LogLevel level, string message, Exception? exception)
    {
        lock (_writer)
        {
            try
            {
                _writer.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {level,-11} {category}: {message}");
                if (exception is not null) _writer.WriteLine(exception.ToString());
            }
            catch (ObjectDisposedException)
            {
                // The app logs while it stops, after the factory let go of the file.
            }
        }
    }

    private sealed class Logger(AppLogFile file, string category) : ILogger
    {
        private readonly LogLevel _minimum = category.StartsWith("Hangfire", StringComparison.Ordinal) ? LogLevel.Debug : LogLevel.Warning;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= _minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) file.Write(category, logLevel, formatter(state, exception), exception);
        }
    }
}
