namespace Realtime.Gateway.Hosting;

/// <summary>How a gateway treats its connections. Section <c>Realtime:Gateway</c>.</summary>
public sealed class RealtimeGatewayOptions
{
    /// <summary>This gateway's id in the cluster; empty picks a new random one at every start (the default).</summary>
    public string? GatewayId { get; set; }

    /// <summary>
    /// The WebSocket endpoints the gateway host maps (<c>MapRealtime</c> each). The path a connection
    /// arrived on is kept with it, and the server can send to every connection on a path. Empty (the
    /// default) means <c>/ws</c>.
    /// </summary>
    public string[] Paths { get; set; } = [];

    internal string[] EffectivePaths => Paths.Length == 0 ? ["/ws"] : [.. Paths.Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Raw endpoints, by path: each message is handed whole to the path's raw handler (<c>MapRaw</c> in
    /// the silo) as text (<see cref="RawEndpointMode.String"/>) or bytes (<see cref="RawEndpointMode.Binary"/>),
    /// and what the server pushes to such a connection goes out as its <c>data</c> alone, with no envelope.
    /// There is no <c>connected</c> frame and no <c>system</c> action there. Mapped with <see cref="Paths"/>.
    /// </summary>
    public Dictionary<string, RawEndpointMode> RawEndpoints { get; } = new(StringComparer.Ordinal);

    /// <summary>The largest frame a client may send, in bytes; a larger one closes the connection with 1009. Default 64 KiB.</summary>
    public int MaxFrameBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The bytes a connection's send queue holds before it counts as behind. Past it, publishers in
    /// its rooms on this gateway wait for it, and it is closed with 4001 when its socket takes nothing
    /// for <see cref="SendStallTimeout"/> (or the queue reaches four times this). Default 1 MiB.
    /// </summary>
    public long SendQueueBytes { get; set; } = 1024 * 1024;

    /// <summary>How long a connection whose queue is past <see cref="SendQueueBytes"/> may take no data before it is closed with 4001. Default 5 s.</summary>
    public TimeSpan SendStallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the server lets a connection go without sending it anything before it sends a ping. Default 25 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Whether connections silent for <see cref="InactiveTime"/> are closed with 4000. Default false.</summary>
    public bool DisconnectInactiveClients { get; set; }

    /// <summary>How long a connection may send nothing before it counts as inactive. Default 5 minutes.</summary>
    public TimeSpan InactiveTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often connections are checked for inactivity. Default 30 s.</summary>
    public TimeSpan InactiveCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Frames per second a connection may send on average; 0 turns the limit off. Default 100.</summary>
    public double RateLimitPerSecond { get; set; } = 100;

    /// <summary>Frames a connection may send in a burst above the average. Default 200.</summary>
    public int RateLimitBurst { get; set; } = 200;

    /// <summary>Bytes per second a connection may send on average; 0 turns the limit off. Default 1 MiB.</summary>
    public double RateLimitBytesPerSecond { get; set; } = 1024 * 1024;

    /// <summary>Bytes a connection may send in a burst; at most <see cref="SendQueueBytes"/>, so one burst fits every member's queue. Default 1 MiB.</summary>
    public long RateLimitBytesBurst { get; set; } = 1024 * 1024;

    /// <summary>
    /// Connection attempts per second one client IP may make on average, refused with 429 before the upgrade
    /// (and before its token is checked); 0 turns the limit off. Behind a proxy, let ASP.NET Core's forwarded
    /// headers set the client's address, or every client counts as the proxy. Default 50.
    /// </summary>
    public int ConnectionsPerSecondPerIp { get; set; } = 50;

    /// <summary>Connection attempts one client IP may make at once above the average (a reconnect storm from one office). Default 200.</summary>
    public int ConnectionBurstPerIp { get; set; } = 200;

    /// <summary>Open connections one client IP may hold on this gateway, refused with 503 before the upgrade; 0: no limit. Default 5,000.</summary>
    public int MaxConnectionsPerIp { get; set; } = 5000;

    /// <summary>Open connections this gateway holds at most, refused with 503 before the upgrade; 0: no limit. Default 100,000.</summary>
    public int MaxConnections { get; set; } = 100_000;

    /// <summary>
    /// How long a peer may leave a WebSocket ping unanswered before its connection is cut (the
    /// socket's own ping/pong, answered by every client library, sent every heartbeat interval).
    /// Finds peers that vanished without closing. 0 turns it off. Default 60 s.
    /// </summary>
    public TimeSpan PeerTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a closing connection may take to flush and answer the close before it is cut. Default 5 s.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most metadata keys a connection may set. Default 32.</summary>
    public int MaxMetadataKeys { get; set; } = 32;

    /// <summary>The longest metadata value in UTF-8 bytes. Default 1 KiB.</summary>
    public int MaxMetadataValueBytes { get; set; } = 1024;

    /// <summary>How long a gateway's registration in the cluster lasts unless renewed. Default 30 s.</summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>What a raw endpoint takes from its clients (the data types of queue-run's socket handlers).</summary>
public enum RawEndpointMode
{
    /// <summary>Text messages, handed to the handler as a string.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The configured value is queue-run's name for the mode: string.")]
    String,

    /// <summary>Binary messages, handed to the handler as bytes.</summary>
    Binary,
}
