using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Realtime.Testing;

/// <summary>One log line a test host wrote.</summary>
public sealed record LogEntry(LogLevel Level, string Category, EventId EventId, string Message, Exception? Exception, long Index = 0)
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
    private long _count;
    private readonly ConcurrentBag<Func<LogEntry, bool>> _expected = [];

    public IReadOnlyCollection<LogEntry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>Errors matching <paramref name="match"/> are expected from now on.</summary>
    public void Expect(Func<LogEntry, bool> match) => _expected.Add(match);

    /// <summary>How many entries were captured so far: a mark to check only what comes after.</summary>
    public long Mark => Interlocked.Read(ref _count);

    public IEnumerable<LogEntry> UnexpectedErrors
        => _entries.Where(e => e.Level >= LogLevel.Error && !IsInfrastructureNoise(e) && !_expected.Any(match => match(e)));

    /// <summary>Fails when an error nobody expected was logged (after <paramref name="since"/>, a <see cref="Mark"/>).</summary>
    public void AssertNoUnexpectedErrors(long since = 0)
    {
        var errors = UnexpectedErrors.Where(e => e.Index >= since).ToList();
        if (errors.Count > 0)
        {
            throw new Xunit.Sdk.XunitException("The host logged unexpected errors:\n" + string.Join("\n", errors));
        }
    }

    public void Dispose()
    {
    }

    /// <summary>
    /// Orleans' stream pulling agent logs a cancelled queue read as an error when the machine is
    /// slow; it reads again at its next tick and nothing is lost. Not ours to fail on.
    /// </summary>
    private static bool IsInfrastructureNoise(LogEntry entry)
        => entry.Exception is OperationCanceledException
            && (entry.Category.StartsWith("Orleans.Streams.", StringComparison.Ordinal) || entry.Category.StartsWith("Orleans.Providers.MemoryAdapterReceiver", StringComparison.Ordinal));

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= capture.MinimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                var index = Interlocked.Increment(ref capture._count) - 1;
                capture._entries.Enqueue(new LogEntry(logLevel, category, eventId, formatter(state, exception), exception, index));
            }
        }
    }
}
