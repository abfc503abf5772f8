namespace Realtime.Grains.Presence;

/// <summary>How users go online and offline. Section <c>Realtime:Presence</c>.</summary>
public sealed class PresenceOptions
{
    /// <summary>
    /// How long a user whose last connection closed still counts as online, so a quick reconnect
    /// does not run the offline and online hooks. Default 5 s.
    /// </summary>
    public TimeSpan OfflineGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a presence hook may run before it is abandoned (and logged). Default 10 s.</summary>
    public TimeSpan HookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most connections one user may hold across all gateways; the next one is closed with 1008.
    /// 0 (the default): no limit. A rule of the whole cluster, so the silos hold it.
    /// </summary>
    public int MaxConnectionsPerUser { get; set; }

    /// <summary>
    /// Frames per second one user may send across all of their connections on all gateways; each connection
    /// gets an equal share (and keeps its own <c>Realtime:Gateway:RateLimitPerSecond</c> when that is lower).
    /// Excess frames get <c>RATE_LIMIT</c>. 0 turns it off. Default 200.
    /// </summary>
    public double UserRateLimitPerSecond { get; set; } = 200;

    /// <summary>Bytes per second one user may send across all of their connections, shared the same way; 0 turns it off. Default 2 MiB.</summary>
    public double UserRateLimitBytesPerSecond { get; set; } = 2 * 1024 * 1024;
}
