namespace Realtime.Gateway.Connections;

/// <summary>
/// When a connection is too slow, judged by its socket rather than by the gateway's own writer: the
/// queue may go past <see cref="MaxQueueBytes"/> while the socket keeps taking writes (a burst the
/// writer has not caught up with yet), up to <see cref="HardLimitFactor"/> times it. Past the cap,
/// a write that has not completed for the stall timeout means the peer does not read: 4001.
/// Publishers wait for members past the cap (<see cref="WhenDrained"/>) before they send more.
/// </summary>
internal sealed partial class Connection
{
    /// <summary>How long a write may take, with the queue past its cap, before the peer counts as not reading.</summary>
    public static readonly TimeSpan DefaultStallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The queue never holds more than this many times <see cref="MaxQueueBytes"/>, draining or not.</summary>
    public const int HardLimitFactor = 4;

    private readonly long _stallMs;

    /// <summary>When the write in progress began (or the writer was started); moved by the writer only while it runs.</summary>
    private long _writeBeganMs;

    private TaskCompletionSource? _drained;

    /// <summary>Bytes queued and not yet written.</summary>
    public long QueuedBytes
    {
        get
        {
            lock (_queue)
            {
                return _queuedBytes;
            }
        }
    }

    /// <summary>True when the queue is past its cap and the socket took nothing for the stall timeout.</summary>
    public bool IsStalled(long nowMs)
    {
        lock (_queue)
        {
            return !_closing && _queuedBytes > _maxQueueBytes && nowMs - _writeBeganMs > _stallMs;
        }
    }

    /// <summary>Completes at once when the queue is within its cap, else when it has drained to half of it (or closes).</summary>
    public Task WhenDrained()
    {
        if (Volatile.Read(ref _queuedBytes) <= _maxQueueBytes)
        {
            // The common case, without the lock: the writer keeps up.
            return Task.CompletedTask;
        }

        lock (_queue)
        {
            if (_closing || _queuedBytes <= _maxQueueBytes)
            {
                return Task.CompletedTask;
            }

            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drained.Task;
        }
    }

    /// <summary>Whether queuing <paramref name="adding"/> more bytes past the cap is more than a draining connection may hold.</summary>
    private bool IsSlowLocked(long adding, long nowMs)
        => _queuedBytes + adding > _maxQueueBytes * HardLimitFactor || nowMs - _writeBeganMs > _stallMs;

    private void SignalIfDrainedLocked()
    {
        if (_drained is not null && _queuedBytes <= _maxQueueBytes / 2)
        {
            ReleaseDrainWaitersLocked();
        }
    }

    private void ReleaseDrainWaitersLocked()
    {
        _drained?.TrySetResult();
        _drained = null;
    }
}
