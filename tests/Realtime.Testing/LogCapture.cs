using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Realtime.Testing;

/// <summary>One log line a test host wrote.</summary>
public sealed record LogEntry(LogLevel Level, string Category, EventId EventId, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {Category}[{EventId.Id}] {Message}{(Exception is null ? "" : " :: " + Exception.GetType().Name + ": " + Exception.Message)}";
}

/// <summary>
/// Captures what a test host logs. An error that no test said to expect fails the test that
/// checks (<see cref="AssertNoUnexpectedErrors"/>).
/// </summary>
public sealed class LogCapture(LogLevel minimumLevel = LogLevel.Warning) : ILoggerProvider
{
    public LogLevel MinimumLevel => minimumLevel;

    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private readonly ConcurrentBag<Func<LogEntry, bool>> _expected = [];

    public IReadOnlyCollection<LogEntry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>Errors matching <paramref name="match"/> are expected from now on.</summary>
    public void Expect(Func<LogEntry, bool> match) => _expected.Add(match);

    public IEnumerable<LogEntry> UnexpectedErrors
        => _entries.Where(e => e.Level >= LogLevel.Error && !_expected.Any(match => match(e)));

    public void AssertNoUnexpectedErrors()
    {
        var errors = UnexpectedErrors.ToList();
        if (errors.Count > 0)
        {
            throw new Xunit.Sdk.XunitException("The host logged unexpected errors:\n" + string.Join("\n", errors));
        }
    }

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= capture.MinimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                capture._entries.Enqueue(new LogEntry(logLevel, category, eventId, formatter(state, exception), exception));
            }
        }
    }
}
