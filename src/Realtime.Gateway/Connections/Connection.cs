using System.Net.WebSockets;
using Realtime.Delivery;
using Realtime.Protocol;

namespace Realtime.Gateway.Connections;

/// <summary>
/// One socket on this gateway: its identity, a local copy of its metadata for delivery filters,
/// and one send queue drained by one writer. A connection is closed with 4001 when its socket stops
/// taking what is queued (see <see cref="IsStalled"/>); nothing it does slows any other connection.
/// </summary>
/// <remarks>
/// Queuing a frame never writes to the socket: the writer runs on the thread pool, so a broadcast
/// to a thousand members is a thousand enqueues, and the writes spread over every core. Writes pass
/// no cancellation token (the socket's own fast path); cutting a connection aborts its socket.
/// </remarks>
internal sealed partial class Connection : IDisposable, IThreadPoolWorkItem
{
    // Known by reference; not empty, since an empty frame (a raw endpoint's empty message) is Array.Empty.
    private static readonly byte[] s_closeMarker = new byte[1];

    private readonly WebSocket _socket;
    private readonly Queue<Outgoing> _queue = new();
    private readonly Diagnostics.GatewayMetrics? _metrics;
    private readonly long _maxQueueBytes;
    private readonly TimeSpan _closeTimeout;
    private readonly CancellationTokenSource _aborted = new();
    private readonly TaskCompletionSource _closeSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _queuedBytes;
    private bool _started;
    private bool _writing;
    private bool _closing;
    private int _closeCode;
    private string _closeReason = "";

    public Connection(string clientId, string? userId, string path, WebSocket socket, long maxQueueBytes, TimeSpan closeTimeout, DateTimeOffset? tokenExpiresAt = null, TimeSpan? stallTimeout = null, Diagnostics.GatewayMetrics? metrics = null)
    {
        _metrics = metrics;
        _stallMs = (long)(stallTimeout ?? DefaultStallTimeout).TotalMilliseconds;
        _writeBeganMs = Environment.TickCount64;
        ClientId = clientId;
        TokenExpiresAt = tokenExpiresAt;
        UserId = userId;
        Path = path;
        _socket = socket;
        _maxQueueBytes = maxQueueBytes;
        _closeTimeout = closeTimeout;
        LastReceivedMs = LastSentMs = Environment.TickCount64;

        // A close that does not complete in time (or any cut) aborts the socket, failing a write in progress.
        _aborted.Token.UnsafeRegister(static state => ((WebSocket)state!).Abort(), socket);
    }

    public string ClientId { get; }

    /// <summary>The most bytes the send queue may hold.</summary>
    public long MaxQueueBytes => _maxQueueBytes;

    public string? UserId { get; }

    public string Path { get; }

    /// <summary>The gateway id the connection was registered with: the one its rooms know it by.</summary>
    public string GatewayId { get; internal set; } = "";

    private volatile ClientMetadataChange _metadata = new("", [], Version: -1);

    /// <summary>The gateway's copy of the connection's metadata, replaced whole on every change.</summary>
    public IReadOnlyDictionary<string, string> Metadata => _metadata.Metadata;

    /// <summary>Takes the metadata the connection's grain reports, unless a newer version is already here.</summary>
    public void ApplyMetadata(ClientMetadataChange change)
    {
        var current = _metadata;
        while (change.Version > current.Version)
        {
            var seen = Interlocked.CompareExchange(ref _metadata, change, current);
            if (ReferenceEquals(seen, current))
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>When the connection's token runs out (null: anonymous, or a token without expiry); moved by a refresh.</summary>
    public DateTimeOffset? TokenExpiresAt { get; set; }

    public long LastReceivedMs { get; set; }

    public long LastSentMs { get; private set; }

    /// <summary>Cancelled when the connection is cut, or when a close was not completed in time.</summary>
    public CancellationToken Aborted => _aborted.Token;

    /// <summary>This socket's hold on its session (see <c>IClientGrain.Drop</c>); 0 until it is registered.</summary>
    public long Attachment { get; set; }

    /// <summary>The code the client closed with, when it closed first; 0 otherwise.</summary>
    public int ClientCloseCode { get; private set; }

    /// <summary>The client's close arrived: its code counts as the client's only when the server had not begun closing.</summary>
    public void ClientClosed(int code)
    {
        lock (_queue)
        {
            if (_closeCode == 0)
            {
                ClientCloseCode = code;
            }
        }
    }

    /// <summary>
    /// Whether the session may wait for a resume after this socket: never on a raw endpoint (its client
    /// never hears a resume token), and not when the client closed it to leave
    /// (1000, or 1001 as a browser does for a closed page) or the server closed it for cause; yes when the
    /// network dropped it, the client closed it with another code (it means to come back), or the server
    /// closed it for its own reasons (shutting down, a full send queue, overload).
    /// </summary>
    public bool Resumable
        => !Wire.IsRaw() && !BrokeProtocol && !DisconnectedByServer && (ClientCloseCode != 0
            ? ClientCloseCode is not (CloseCodes.Normal or CloseCodes.GoingAway)
            : CloseCode is 0 or CloseCodes.GoingAway or CloseCodes.SlowConsumer or CloseCodes.InternalError or CloseCodes.TryAgainLater);

    /// <summary>Application code closed it (a disconnect of the client or its user): its session ends.</summary>
    public bool DisconnectedByServer { get; set; }

    /// <summary>The client broke the WebSocket protocol (the socket closed it with 1002 or 1007): its session ends.</summary>
    public bool BrokeProtocol { get; set; }

    /// <summary>The close code the server chose, or 0 while it has chosen none.</summary>
    public int CloseCode
    {
        get
        {
            lock (_queue)
            {
                return _closeCode;
            }
        }
    }

    public WebSocket Socket => _socket;

    /// <summary>How this connection's frames look on the wire; frames are queued already encoded for it.</summary>
    public WireProtocol Wire { get; init; }

    /// <summary>
    /// Queues a frame; false when the connection is closing or too slow for it (which closes it with
    /// 4001). <paramref name="publishedTicks"/> (UTC) is a room push's publish time, timed to its write.
    /// </summary>
    public bool Send(byte[] frame, long publishedTicks = 0)
    {
        if (WireFrames.Encode(Wire, frame, out var binary) is not { } bytes)
        {
            // Nothing this protocol sends (a system frame on a raw endpoint).
            return true;
        }

        frame = bytes;
        bool start;
        bool overflow;
        lock (_queue)
        {
            if (_closing)
            {
                return false;
            }

            overflow = _queuedBytes > 0 && _queuedBytes + frame.Length > _maxQueueBytes && IsSlowLocked(frame.Length, Environment.TickCount64);
            if (overflow)
            {
                // Drop what is queued and tell the client why; never wait for it.
                start = RequestCloseLocked(CloseCodes.SlowConsumer, "send queue overflow", flush: false);
            }
            else
            {
                _queue.Enqueue(new Outgoing(frame, publishedTicks, binary));
                _queuedBytes += frame.Length;
                start = _started && !_writing;
                _writing |= start;
                if (start)
                {
                    _writeBeganMs = Environment.TickCount64;
                }
            }
        }

        if (overflow)
        {
            CutAfterCloseTimeout();
        }

        if (start)
        {
            StartWriting();
        }

        return !overflow;
    }

    /// <summary>
    /// Writes <paramref name="first"/> (unless the connection's protocol sends nothing for it), then
    /// whatever was queued while the connection was being registered. Until then nothing is written,
    /// so <paramref name="first"/> is the first frame.
    /// </summary>
    public void Start(byte[] first)
    {
        var encoded = WireFrames.Encode(Wire, first, out var binary);
        bool start;
        lock (_queue)
        {
            if (_closing)
            {
                return;
            }

            if (encoded is not null)
            {
                var held = _queue.ToArray();
                _queue.Clear();
                _queue.Enqueue(new Outgoing(encoded, 0, binary));
                foreach (var frame in held)
                {
                    _queue.Enqueue(frame);
                }

                _queuedBytes += encoded.Length;
            }

            _started = true;
            start = !_writing;
            _writing = true;
            _writeBeganMs = Environment.TickCount64;
        }

        if (start)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>
    /// Closes with <paramref name="code"/> after the frames already queued (<paramref name="flush"/>)
    /// or instead of them. The connection is cut if the close does not complete in time.
    /// </summary>
    public void Close(int code, string reason, bool flush)
    {
        bool start;
        lock (_queue)
        {
            if (_closeCode != 0)
            {
                return;
            }

            start = RequestCloseLocked(code, reason, flush);
        }

        CutAfterCloseTimeout();
        if (start)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    void IThreadPoolWorkItem.Execute() => _ = WriteLoop();


    private bool RequestCloseLocked(int code, string reason, bool flush)
    {
        _closeCode = code;

        // A close frame's reason holds at most 123 bytes of UTF-8.
        _closeReason = System.Text.Encoding.UTF8.GetByteCount(reason) <= 123 ? reason : reason[..Math.Min(reason.Length, 40)];
        _closing = true;
        _started = true;
        if (!flush)
        {
            while (_queue.TryDequeue(out var dropped))
            {
                _queuedBytes -= dropped.Frame.Length;
            }
        }

        _queue.Enqueue(new Outgoing(s_closeMarker, 0, false));
        ReleaseDrainWaitersLocked();
        var start = !_writing;
        _writing = true;
        return start;
    }

    private void CutAfterCloseTimeout()
    {
        try
        {
            _aborted.CancelAfter(_closeTimeout);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Completes when the close frame was written, or the connection was cut.</summary>
    public Task CloseSent => _closeSent.Task;

    /// <summary>Cuts the connection: nothing more is sent, the socket is aborted.</summary>
    public void Abort()
    {
        lock (_queue)
        {
            _closing = true;
            _queue.Clear();
            _queuedBytes = 0;
            ReleaseDrainWaitersLocked();
        }

        _closeSent.TrySetResult();
        try
        {
            _aborted.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Abort();
    }

    public void Dispose() => _aborted.Dispose();
}
