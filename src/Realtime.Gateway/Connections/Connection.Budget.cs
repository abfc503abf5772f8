namespace Realtime.Gateway.Connections;

/// <summary>
/// What the connection may send: its own frame and byte budgets, refilled at the lower of the gateway's
/// per-connection rate and the connection's share of its user's budget across the cluster.
/// </summary>
internal sealed partial class Connection
{
    // Mutable structs, changed in place: fields, never properties (a property would hand out copies).
    private TokenBucket _frameBudget;
    private TokenBucket _byteBudget;

    /// <summary>This connection's share of its user's budget (frames, bytes per second; 0: none), set by the cluster.</summary>
    private double _userFrameShare;
    private double _userByteShare;

    /// <summary>Takes one frame from the read loop's frame budget (the lower of this rate and the user share); false when it is spent. Read loop only.</summary>
    public bool TryTakeFrame(long nowMs, double ratePerSecond, long burst)
        => _frameBudget.TryTake(nowMs, Lower(ratePerSecond, Volatile.Read(ref _userFrameShare)), burst);

    /// <summary>Takes <paramref name="bytes"/> from the read loop's byte budget (as <see cref="TryTakeFrame"/>); false when it is spent. Read loop only.</summary>
    public bool TryTakeBytes(long nowMs, double ratePerSecond, long burst, long bytes)
        => _byteBudget.TryTake(nowMs, Lower(ratePerSecond, Volatile.Read(ref _userByteShare)), burst, bytes);

    /// <summary>The connection's share of its user's budget across the cluster (0: no user limit).</summary>
    public void ApplyUserShare(double framesPerSecond, double bytesPerSecond)
    {
        Volatile.Write(ref _userFrameShare, framesPerSecond);
        Volatile.Write(ref _userByteShare, bytesPerSecond);
    }

    private static double Lower(double own, double share) => own <= 0 ? share : share <= 0 ? own : Math.Min(own, share);
}
