namespace Realtime.Client;

/// <summary>How a <see cref="RealtimeClient"/> connects, reconnects and waits.</summary>
public sealed class RealtimeClientOptions
{
    /// <summary>The gateway's WebSocket endpoint, e.g. <c>ws://localhost:5000/ws</c>. Required.</summary>
    public Uri? Uri { get; set; }

    /// <summary>
    /// More endpoints to try in turn when the current one fails (another gateway behind no load
    /// balancer, say). Optional.
    /// </summary>
    public IList<Uri> FallbackUris { get; } = [];

    /// <summary>
    /// A fresh token for every (re)connection, or null for anonymous; sent in the <c>Authorization</c>
    /// header (<c>Bearer</c>), or as <c>?token=</c> with <see cref="TokenInQuery"/>.
    /// </summary>
    public Func<CancellationToken, ValueTask<string?>>? TokenProvider { get; set; }

    /// <summary>Whether the token goes in the query (<c>?token=</c>) instead of the <c>Authorization</c> header. Default false.</summary>
    public bool TokenInQuery { get; set; }

    /// <summary>
    /// Sets up each socket before it connects: headers, a proxy, client certificates, certificate
    /// validation, keep-alive (the <see cref="System.Net.WebSockets.ClientWebSocketOptions"/> of every attempt).
    /// </summary>
    public Action<System.Net.WebSockets.ClientWebSocketOptions>? ConfigureWebSocket { get; set; }

    /// <summary>
    /// Whether a first connection that cannot be made is retried like a lost one. Default false:
    /// <see cref="RealtimeClient.ConnectAsync"/> tries each endpoint once and throws if none answers (as
    /// SignalR's <c>StartAsync</c> does); reconnecting is for connections that were up.
    /// </summary>
    public bool RetryFirstConnect { get; set; }

    /// <summary>
    /// When to try again after a connection was lost; null (the default) is exponential backoff with
    /// jitter from <see cref="ReconnectDelay"/> to <see cref="MaxReconnectDelay"/>, at most
    /// <see cref="MaxReconnectAttempts"/> times in a row.
    /// </summary>
    public IRealtimeRetryPolicy? RetryPolicy { get; set; }

    /// <summary>The first delay before reconnecting. Default 250 ms.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest delay between reconnection attempts. Default 10 s.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many times in a row to try reconnecting; null (the default) never gives up.</summary>
    public int? MaxReconnectAttempts { get; set; }

    /// <summary>How long a request waits for its reply by default. Default 10 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long past the server's announced heartbeat interval the client waits, hearing nothing,
    /// before it treats the connection as dead and reconnects. Default 10 s.
    /// </summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the client lets the connection stay silent before it pings the server itself; the
    /// server then has <see cref="HeartbeatTimeout"/> to answer. Null (default) waits for the server's
    /// own pings, announced in <c>connected</c>; set it to notice a dead server sooner.
    /// </summary>
    public TimeSpan? HeartbeatInterval { get; set; }

    /// <summary>Connection metadata set at every connection, before rooms are rejoined (see <see cref="RealtimeClient.SetMetadataAsync"/>).</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Whether to offer the <c>realtime.v1.json</c> subprotocol (when <see cref="Protocol"/> is JSON). Default true.</summary>
    public bool OfferSubProtocol { get; set; } = true;

    /// <summary>
    /// The wire protocol: JSON text (default) or <c>realtime.v1.msgpack</c>, the same frames as MessagePack
    /// maps. Either way pushes and replies reach the application as JSON; with MessagePack, <c>byte[]</c>
    /// and <c>ReadOnlyMemory&lt;byte&gt;</c> values are sent as <c>bin</c>, and bytes received read as base64
    /// strings (<c>DataAs&lt;byte[]&gt;()</c> gives them back as bytes).
    /// </summary>
    public RealtimeProtocol Protocol { get; set; } = RealtimeProtocol.Json;

    /// <summary>
    /// Whether a reconnect asks for the previous session back (<c>?resume=</c>): the same client id, rooms
    /// and metadata, within the server's resume window. Default true.
    /// </summary>
    public bool Resume { get; set; } = true;
}

/// <summary>The wire protocol a <see cref="RealtimeClient"/> speaks.</summary>
public enum RealtimeProtocol
{
    /// <summary><c>realtime.v1.json</c>: JSON text messages.</summary>
    Json,

    /// <summary><c>realtime.v1.msgpack</c>: MessagePack maps in binary messages.</summary>
    MessagePack,
}
