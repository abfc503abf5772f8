using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Realtime.Protocol;

namespace Realtime.Client;

/// <summary>
/// A client of PROTOCOL.md v1. It reconnects by itself (exponential backoff with jitter, unlimited by
/// default), answers the server's pings and treats a silent server as gone, and keeps its rooms: after a
/// reconnect, or when it sees a gap in a room's <c>seq</c>, it rejoins with <c>since</c>/<c>epoch</c>
/// and delivers what it missed, in order, before anything newer. When a room cannot be recovered it
/// raises <see cref="RecoveryFailed"/> naming the room.
/// </summary>
public sealed partial class RealtimeClient : IAsyncDisposable
{
    private readonly RealtimeClientOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<string, PendingRequest> _pending = new();
    // Pushes and recovery failures, in the order they happened; handlers run one at a time.
    private readonly Channel<object> _events = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly Lock _handlersLock = new();
    private readonly Lock _startLock = new();
    private readonly Task _dispatchLoop;
    private readonly ConcurrentDictionary<string, string> _metadata;
    private (string Type, string Action, Func<PushMessage, ValueTask> Handler)[] _handlers = [];
    private ServerClose? _lastClose;
    private int _closedRaised;
    private TaskCompletionSource _firstConnection = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClientWebSocket? _socket;

    // The socket whose `connected` frame has come: requests may be sent on it.
    private ClientWebSocket? _session;
    private Task? _runLoop;
    private long _nextId;
    private string? _resumeToken;
    private long _lastReceivedMs;
    private int _uriIndex;

    /// <summary>A client for <see cref="RealtimeClientOptions.Uri"/>; call <see cref="ConnectAsync"/> to start.</summary>
    public RealtimeClient(RealtimeClientOptions options, ILogger<RealtimeClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Uri);
        _options = options;
        _metadata = new ConcurrentDictionary<string, string>(options.Metadata, StringComparer.Ordinal);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _dispatchLoop = DispatchLoop();
    }

    /// <summary>The state changed (connecting, connected, reconnecting, disconnected).</summary>
    public event Action<RealtimeConnectionState>? StateChanged;

    /// <summary>
    /// The client stopped for good: the retry policy gave up, the first connection could not be made, or
    /// it was disposed. Says the server's last close code and reason, and the failure, when there were any.
    /// </summary>
    public event Action<RealtimeClosedInfo>? Closed;

    /// <summary>A room's missed pushes could not all be recovered: reload the room's state.</summary>
    public event Action<string>? RecoveryFailed;

    /// <summary>Whether the current connection resumed the previous one's session (same <see cref="ClientId"/>, rooms and metadata).</summary>
    public bool Resumed { get; private set; }

    /// <summary>Where the client stands.</summary>
    public RealtimeConnectionState State { get; private set; }

    /// <summary>The connection's id from the last <c>connected</c> frame.</summary>
    public string? ClientId { get; private set; }

    /// <summary>The user from the last <c>connected</c> frame (null when anonymous).</summary>
    public string? UserId { get; private set; }

    /// <summary>The server's heartbeat interval from the last <c>connected</c> frame.</summary>
    public TimeSpan ServerHeartbeat { get; private set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// Connects and keeps connected until disposed. Completes when the first connection is made; throws
    /// when it cannot be made (each endpoint tried once, unless <see cref="RealtimeClientOptions.RetryFirstConnect"/>).
    /// After the client stopped (see <see cref="Closed"/>), it starts again.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_lifetime.IsCancellationRequested, this);
        lock (_startLock)
        {
            if (_runLoop is null || _runLoop.IsCompleted)
            {
                if (_firstConnection.Task.IsCompleted)
                {
                    _firstConnection = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                _closedRaised = 0;
                _uriIndex = 0;
                SetState(RealtimeConnectionState.Connecting);
                _runLoop = RunAsync();
            }
        }

        await _firstConnection.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Sends a frame with an <c>id</c> and returns the reply's <c>data</c>; an error reply throws <see cref="RealtimeRequestException"/>.</summary>
    public Task<JsonElement> RequestAsync(string type, string action, object? data = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => RequestAsync(type, action, data, null, timeout, cancellationToken);

    /// <summary>Like <see cref="RequestAsync(string, string, object?, TimeSpan?, CancellationToken)"/>, with the reply bound to <typeparamref name="TReply"/>.</summary>
    public async Task<TReply?> RequestAsync<TReply>(string type, string action, object? data = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var reply = await RequestAsync(type, action, data, null, timeout, cancellationToken);
        return reply.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? default : reply.Deserialize<TReply>(ClientJson.Options);
    }

    /// <summary>Sends a frame without <c>id</c>: no reply; errors come back as <c>system</c>/<c>error</c> pushes.</summary>
    public Task SendAsync(string type, string action, object? data = null, CancellationToken cancellationToken = default)
        => SendFrameAsync(Frame(type, action, data, null), cancellationToken);

    /// <summary>
    /// Sets a metadata key of this connection (null removes it). The client remembers it and sets it
    /// again at every connection, before rooms are rejoined, so rooms always see it.
    /// </summary>
    public async Task SetMetadataAsync(string key, string? value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (value is null)
        {
            _metadata.TryRemove(key, out _);
        }
        else
        {
            _metadata[key] = value;
        }

        if (State == RealtimeConnectionState.Connected)
        {
            await RequestAsync(SystemActions.Type, SystemActions.SetMetadata, new Dictionary<string, string?> { [FrameFields.Key] = key, [FrameFields.Value] = value }, cancellationToken: cancellationToken);
        }
    }

    /// <summary>Closes the connection (normal closure) and stops reconnecting; handlers get no more pushes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_lifetime.IsCancellationRequested)
        {
            return;
        }

        await _lifetime.CancelAsync();
        var socket = _socket;
        if (socket is { State: WebSocketState.Open })
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
            }
        }

        socket?.Abort();
        if (_runLoop is not null)
        {
            await _runLoop;
        }

        _events.Writer.TryComplete();
        await _dispatchLoop;
        socket?.Dispose();
        _sendLock.Dispose();
        _lifetime.Dispose();
        SetState(RealtimeConnectionState.Disconnected);
        if (_runLoop is not null)
        {
            RaiseClosed(new RealtimeClosedInfo(null, null, null));
        }
    }

    private async Task<JsonElement> RequestAsync(string type, string action, object? data, Action<JsonElement>? onReply, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var id = "n" + Interlocked.Increment(ref _nextId);
        var pending = new PendingRequest(onReply);
        _pending[id] = pending;
        try
        {
            await SendFrameAsync(Frame(type, action, data, id), cancellationToken);
            var reply = await pending.Reply.Task.WaitAsync(timeout ?? _options.RequestTimeout, cancellationToken);
            if (reply.TryGetProperty(FrameFields.Ok, out var ok) && ok.ValueKind == JsonValueKind.True)
            {
                return reply.TryGetProperty(FrameFields.Data, out var replyData) ? replyData : default;
            }

            throw new RealtimeRequestException(
                reply.TryGetProperty(FrameFields.Code, out var code) ? code.GetString() ?? "" : "",
                reply.TryGetProperty(FrameFields.Error, out var error) ? error.GetString() ?? "" : "request failed");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>A frame in the connection's protocol: JSON text, or (MessagePack) the map it stands for, with bytes as <c>bin</c>.</summary>
    private byte[] Frame(string type, string action, object? data, string? id)
    {
        var frame = new Dictionary<string, object?> { [FrameFields.Type] = type, [FrameFields.Action] = action };
        if (data is not null)
        {
            frame[FrameFields.Data] = data;
        }

        if (id is not null)
        {
            frame[FrameFields.Id] = id;
        }

        if (_options.Protocol == RealtimeProtocol.MessagePack)
        {
            return MessagePackFrames.FromJson(BinaryValues.Marked(JsonSerializer.SerializeToUtf8Bytes(frame, ClientJson.MessagePackOptions)));
        }

        return JsonSerializer.SerializeToUtf8Bytes(frame, ClientJson.Options);
    }

    private async Task SendFrameAsync(byte[] frame, CancellationToken cancellationToken)
    {
        var socket = _socket;
        if (socket is null || socket.State != WebSocketState.Open || !ReferenceEquals(socket, Volatile.Read(ref _session)))
        {
            throw new InvalidOperationException("The client is not connected.");
        }

        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            var type = _options.Protocol == RealtimeProtocol.MessagePack ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
            await socket.SendAsync(frame, type, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private void Emit(JsonElement frame) => _events.Writer.TryWrite(PushMessage.From(frame));

    private async Task TrySendAsync(byte[] frame, CancellationToken token)
    {
        try
        {
            await SendFrameAsync(frame, token);
        }
        catch (Exception exception) when (exception is WebSocketException or InvalidOperationException or OperationCanceledException)
        {
        }
    }

    private void SetState(RealtimeConnectionState state)
    {
        if (State == state)
        {
            return;
        }

        State = state;
        LogStateChanged(state);
        try
        {
            StateChanged?.Invoke(state);
        }
        catch (Exception exception)
        {
            LogHandlerFailed(exception, "state", state.ToString());
        }
    }

    private void RaiseClosed(RealtimeClosedInfo info)
    {
        if (Interlocked.Exchange(ref _closedRaised, 1) != 0)
        {
            return;
        }

        try
        {
            Closed?.Invoke(info);
        }
        catch (Exception exception)
        {
            LogHandlerFailed(exception, "closed", info.CloseCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
        }
    }

    private sealed record PendingRequest(Action<JsonElement>? OnReply)
    {
        public TaskCompletionSource<JsonElement> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "The server refused the connection metadata {Key}.")]
    private partial void LogMetadataRefused(Exception exception, string key);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "A push handler for {Type}/{Action} failed.")]
    private partial void LogHandlerFailed(Exception exception, string type, string action);
}
