namespace Realtime.Gateway.Hosting;

/// <summary>Whether the gateway takes new connections, and how many sessions are still running.</summary>
internal sealed class GatewayState
{
    private readonly Lock _lock = new();
    private int _sessions;
    private TaskCompletionSource? _drained;

    /// <summary>True once the gateway is subscribed to its stream and registered, until it starts stopping.</summary>
    public bool Accepting { get; set; }

    /// <summary>While the gateway starts: what it waits for (the cluster's last answer), for <c>/health/ready</c>.</summary>
    public string? Waiting { get; set; } = "Starting: waiting for the cluster.";

    public int Sessions => Volatile.Read(ref _sessions);

    public void SessionStarted()
    {
        lock (_lock)
        {
            _sessions++;
        }
    }

    public void SessionEnded()
    {
        lock (_lock)
        {
            if (--_sessions == 0)
            {
                _drained?.TrySetResult();
            }
        }
    }

    /// <summary>Completes when no session is running.</summary>
    public Task WhenDrained()
    {
        lock (_lock)
        {
            if (_sessions == 0)
            {
                return Task.CompletedTask;
            }

            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drained.Task;
        }
    }
}
