namespace Realtime.Testing;

/// <summary>
/// A test class whose host must log no unexpected error while its test runs: checked after each
/// test (while the host still runs, so its own shutdown noise does not count).
/// </summary>
public abstract class LogCheckedTest : Xunit.IAsyncLifetime
{
    /// <summary>The logs of the host under test.</summary>
    protected abstract LogCapture Logs { get; }

    private long _mark;

    public virtual Task InitializeAsync()
    {
        _mark = Logs.Mark;
        return Task.CompletedTask;
    }

    public virtual Task DisposeAsync()
    {
        Logs.AssertNoUnexpectedErrors(_mark);
        return Task.CompletedTask;
    }
}
