namespace Realtime.Grains.Rooms;

/// <summary>
/// A grain's write-behind of one record (a room's history): each change marks it, a grain timer
/// writes it every interval while there are changes and stops in a quiet period. A write that
/// fails (its <c>write</c> returns false, having said why) stays marked and is tried again.
/// </summary>
internal sealed class WriteBehind(IGrainBase grain, TimeSpan interval, Func<CancellationToken, Task<bool>> write)
{
    private IGrainTimer? _timer;

    /// <summary>Whether something changed since the last write.</summary>
    public bool Dirty { get; private set; }

    /// <summary>Something changed: it is written within the interval.</summary>
    public void Changed()
    {
        Dirty = true;
        _timer ??= grain.RegisterGrainTimer(
            static (self, cancellationToken) => self.OnTimer(cancellationToken),
            this,
            new GrainTimerCreationOptions(interval, interval));
    }

    /// <summary>Writes now, when something changed.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (!Dirty)
        {
            return;
        }

        Dirty = false;
        if (!await write(cancellationToken))
        {
            Dirty = true;
        }
    }

    /// <summary>Nothing more is to be written (the record went, or the grain is going).</summary>
    public void Stop(bool forget = false)
    {
        _timer?.Dispose();
        _timer = null;
        Dirty &= !forget;
    }

    private async Task OnTimer(CancellationToken cancellationToken)
    {
        if (!Dirty)
        {
            // A quiet period: stop ticking until the next change.
            Stop();
            return;
        }

        await FlushAsync(cancellationToken);
    }
}
