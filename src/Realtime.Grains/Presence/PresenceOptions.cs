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
}
