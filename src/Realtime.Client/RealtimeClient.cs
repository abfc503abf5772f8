using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
    private readonly Task _dispatchLoop;
    private readonly ConcurrentDictionary<string, string> _metadata;
    private (string Type, string Action, Action<PushMessage> Handler)[] _handlers = [];
    private TaskCompletionSource _firstConnection = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClientWebSocket? _socket;

    // The socket whose `connected` frame has come: requests may be sent on it.
    private ClientWebSocket? _session;
    private Task? _runLoop;
    private long _nextId;
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

    /// <summary>A room's missed pushes could not all be recovered: reload the room's state.</summary>
    public event Action<string>? RecoveryFailed;

    /// <summary>Where the client stands.</summary>
    public RealtimeConnectionState State { get; private set; }

    /// <summary>The connection's id from the last <c>connected</c> frame.</summary>
    public string? ClientId { get; private set; }

    /// <summary>The user from the last <c>connected</c> frame (null when anonymous).</summary>
    public string? UserId { get; private set; }

    /// <summary>The server's heartbeat interval from the last <c>connected</c> frame.</summary>
    public TimeSpan ServerHeartbeat { get; private set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// Connects and keeps connected until disposed. Completes when the first connection is made;
    /// throws if it cannot be made within the reconnect policy.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_lifetime.IsCancellationRequested, this);
        if (_runLoop is null)
        {
            SetState(RealtimeConnectionState.Connecting);
            _runLoop = RunAsync();
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
            await RequestAsync("system", "setMetadata", new Dictionary<string, string?> { ["key"] = key, ["value"] = value }, cancellationToken: cancellationToken);
        }
    }

    /// <summary>Calls <paramref name="handler"/> for every push of <paramref name="type"/>/<paramref name="action"/> (<c>"*"</c> matches any), in order.</summary>
    public IDisposable On(string type, string action, Action<PushMessage> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var entry = (type, action, handler);
        lock (_handlersLock)
        {
            _handlers = [.. _handlers, entry];
        }

        return new Subscription(() =>
        {
            lock (_handlersLock)
            {
                _handlers = [.. _handlers.Where(h => h != entry)];
            }
        });
    }

    /// <summary>Every push, in order, as an async stream (until the token is cancelled or the client disposed).</summary>
    public async IAsyncEnumerable<PushMessage> ReadPushesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<PushMessage>();
        using var subscription = On("*", "*", push => channel.Writer.TryWrite(push));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        while (true)
        {
            PushMessage push;
            try
            {
                push = await channel.Reader.ReadAsync(linked.Token);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            yield return push;
        }
    }

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
            if (reply.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True)
            {
                return reply.TryGetProperty("data", out var replyData) ? replyData : default;
            }

            throw new RealtimeRequestException(
                reply.TryGetProperty("code", out var code) ? code.GetString() ?? "" : "",
                reply.TryGetProperty("error", out var error) ? error.GetString() ?? "" : "request failed");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private static byte[] Frame(string type, string action, object? data, string? id)
    {
        var frame = new Dictionary<string, object?> { ["type"] = type, ["action"] = action };
        if (data is not null)
        {
            frame["data"] = data;
        }

        if (id is not null)
        {
            frame["id"] = id;
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
            await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Connects, runs the connection until it drops, and reconnects, until disposed or out of attempts.</summary>
    private async Task RunAsync()
    {
        var attempt = 0;
        var token = _lifetime.Token;
        while (!token.IsCancellationRequested)
        {
            Exception? failure = null;
            try
            {
                var receiving = await ConnectOnceAsync(token);
                attempt = 0;
                await receiving;
            }
            catch (Exception exception) when (!token.IsCancellationRequested)
            {
                failure = exception;
                LogConnectionFailed(exception);
            }
            catch (OperationCanceledException)
            {
            }

            FailPending();
            if (token.IsCancellationRequested)
            {
                break;
            }

            attempt++;
            if (_options.MaxReconnectAttempts is { } max && attempt > max)
            {
                _firstConnection.TrySetException(failure ?? new WebSocketException("The connection was lost and could not be made again."));
                SetState(RealtimeConnectionState.Disconnected);
                return;
            }

            SetState(_firstConnection.Task.IsCompleted ? RealtimeConnectionState.Reconnecting : RealtimeConnectionState.Connecting);
            try
            {
                await Task.Delay(Backoff(attempt), token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            _uriIndex++;
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var exponential = _options.ReconnectDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16));
        var capped = Math.Min(exponential, _options.MaxReconnectDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    /// <summary>Opens a socket and waits for <c>connected</c>; returns the task that runs the connection until it drops.</summary>
    private async Task<Task> ConnectOnceAsync(CancellationToken token)
    {
        var uri = CurrentUri();
        if (_options.TokenProvider is { } tokens && await tokens(token) is { Length: > 0 } jwt)
        {
            uri = new UriBuilder(uri) { Query = (string.IsNullOrEmpty(uri.Query) ? "" : uri.Query.TrimStart('?') + "&") + "token=" + Uri.EscapeDataString(jwt) }.Uri;
        }

        var socket = new ClientWebSocket();
        if (_options.OfferSubProtocol)
        {
            socket.Options.AddSubProtocol("realtime.v1.json");
        }

        using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(token))
        {
            connectTimeout.CancelAfter(_options.RequestTimeout);
            try
            {
                await socket.ConnectAsync(uri, connectTimeout.Token);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        var previous = Interlocked.Exchange(ref _socket, socket);
        previous?.Dispose();
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _lastReceivedMs = Environment.TickCount64;
        var receiving = ReceiveLoop(socket, connected, token);
        var first = await Task.WhenAny(connected.Task, receiving);
        if (first != connected.Task)
        {
            await receiving;
            throw new WebSocketException("The server closed the connection before saying `connected`.");
        }

        // The rooms to rejoin are those known before this connection: a room joined from now on is
        // joined by its own request.
        var rejoin = RoomsToRejoin();
        Volatile.Write(ref _session, socket);
        await ApplyMetadataAsync(token);
        SetState(RealtimeConnectionState.Connected);
        _firstConnection.TrySetResult();
        _ = Task.WhenAll(rejoin.Select(RecoverAsync));
        return Task.WhenAll(receiving, Watchdog(socket, receiving, token));
    }

    private Uri CurrentUri()
    {
        var uris = new List<Uri> { _options.Uri! };
        uris.AddRange(_options.FallbackUris);
        return uris[_uriIndex % uris.Count];
    }

    /// <summary>
    /// Pings a server silent for the heartbeat interval (when one is set) and treats a server that
    /// said nothing for the interval plus the timeout as gone.
    /// </summary>
    private async Task Watchdog(ClientWebSocket socket, Task receiving, CancellationToken token)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        var pingedAt = 0L;
        while (!receiving.IsCompleted)
        {
            try
            {
                await timer.WaitForNextTickAsync(token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var lastReceived = Interlocked.Read(ref _lastReceivedMs);
            var silentMs = Environment.TickCount64 - lastReceived;
            var interval = _options.HeartbeatInterval ?? ServerHeartbeat;
            if (_options.HeartbeatInterval is not null && silentMs > interval.TotalMilliseconds && pingedAt <= lastReceived)
            {
                pingedAt = Environment.TickCount64;
                await TrySendAsync(Frame("system", "ping", null, null), token);
            }

            if (silentMs > (interval + _options.HeartbeatTimeout).TotalMilliseconds)
            {
                LogServerSilent(silentMs);
                socket.Abort();
                return;
            }
        }
    }

    private async Task ReceiveLoop(ClientWebSocket socket, TaskCompletionSource connected, CancellationToken token)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!token.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, token);
                Interlocked.Exchange(ref _lastReceivedMs, Environment.TickCount64);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    LogClosedByServer((int?)result.CloseStatus, result.CloseStatusDescription);
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                JsonElement frame;
                try
                {
                    frame = JsonDocument.Parse(message.GetBuffer().AsMemory(0, (int)message.Length)).RootElement.Clone();
                }
                finally
                {
                    message.SetLength(0);
                }

                await OnFrame(frame, connected, token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            SetDisconnectedIfCurrent(socket);
        }
    }

    private async Task OnFrame(JsonElement frame, TaskCompletionSource connected, CancellationToken token)
    {
        if (frame.TryGetProperty("id", out var id) && frame.TryGetProperty("ok", out _))
        {
            var key = id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText();
            if (_pending.TryRemove(key, out var pending))
            {
                // Runs here, in the receive order, so a reply's effects come before later pushes.
                pending.OnReply?.Invoke(frame);
                pending.Reply.TrySetResult(frame);
            }

            return;
        }

        var type = frame.TryGetProperty("type", out var t) ? t.GetString() : null;
        var action = frame.TryGetProperty("action", out var a) ? a.GetString() : null;
        if (type == "system")
        {
            switch (action)
            {
                case "connected":
                    var data = frame.GetProperty("data");
                    ClientId = data.GetProperty("clientId").GetString();
                    UserId = data.TryGetProperty("userId", out var user) && user.ValueKind == JsonValueKind.String ? user.GetString() : null;
                    if (data.TryGetProperty("heartbeatMs", out var heartbeat) && heartbeat.TryGetInt64(out var ms) && ms > 0)
                    {
                        ServerHeartbeat = TimeSpan.FromMilliseconds(ms);
                    }

                    connected.TrySetResult();
                    return;
                case "ping":
                    await TrySendAsync(Frame("system", "pong", null, null), token);
                    return;
                case "resync":
                    await OnResync(frame);
                    return;
                case "roomJoined" or "roomLeft":
                    OnServerMembership(frame, joined: action == "roomJoined");
                    Emit(frame);
                    return;
            }
        }

        if (frame.TryGetProperty("room", out var room) && room.ValueKind == JsonValueKind.String
            && frame.TryGetProperty("seq", out var seq) && seq.ValueKind == JsonValueKind.Number)
        {
            await OnRoomPush(room.GetString()!, seq.GetInt64(), frame);
            return;
        }

        Emit(frame);
    }

    private void Emit(JsonElement frame) => _events.Writer.TryWrite(PushMessage.From(frame));

    private async Task ApplyMetadataAsync(CancellationToken token)
    {
        await Task.WhenAll(_metadata.Select(async pair =>
        {
            try
            {
                await RequestAsync("system", "setMetadata", new Dictionary<string, string?> { ["key"] = pair.Key, ["value"] = pair.Value }, cancellationToken: token);
            }
            catch (Exception exception) when (exception is RealtimeRequestException or TimeoutException or WebSocketException or InvalidOperationException)
            {
                LogMetadataRefused(exception, pair.Key);
            }
        }));
    }

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

    private async Task DispatchLoop()
    {
        await foreach (var item in _events.Reader.ReadAllAsync())
        {
            if (item is RecoveryFailure failure)
            {
                try
                {
                    RecoveryFailed?.Invoke(failure.Room);
                }
                catch (Exception exception)
                {
                    LogHandlerFailed(exception, "recovery", failure.Room);
                }

                continue;
            }

            var push = (PushMessage)item;
            foreach (var (type, action, handler) in _handlers)
            {
                if ((type == "*" || type == push.Type) && (action == "*" || action == push.Action))
                {
                    try
                    {
                        handler(push);
                    }
                    catch (Exception exception)
                    {
                        LogHandlerFailed(exception, push.Type, push.Action);
                    }
                }
            }
        }
    }

    private void FailPending()
    {
        foreach (var (id, pending) in _pending)
        {
            if (_pending.TryRemove(id, out _))
            {
                pending.Reply.TrySetException(new WebSocketException("The connection dropped before the reply came."));
            }
        }
    }

    private void SetDisconnectedIfCurrent(ClientWebSocket socket)
    {
        if (ReferenceEquals(_socket, socket) && State == RealtimeConnectionState.Connected && !_lifetime.IsCancellationRequested)
        {
            SetState(RealtimeConnectionState.Reconnecting);
        }
    }

    private void SetState(RealtimeConnectionState state)
    {
        if (State == state)
        {
            return;
        }

        State = state;
        try
        {
            StateChanged?.Invoke(state);
        }
        catch (Exception exception)
        {
            LogHandlerFailed(exception, "state", state.ToString());
        }
    }

    private sealed record PendingRequest(Action<JsonElement>? OnReply)
    {
        public TaskCompletionSource<JsonElement> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "The connection failed; reconnecting.")]
    private partial void LogConnectionFailed(Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "The server closed the connection ({Code} {Reason}).")]
    private partial void LogClosedByServer(int? code, string? reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "The server refused the connection metadata {Key}.")]
    private partial void LogMetadataRefused(Exception exception, string key);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "The server has been silent for {SilentMs} ms; reconnecting.")]
    private partial void LogServerSilent(long silentMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "A push handler for {Type}/{Action} failed.")]
    private partial void LogHandlerFailed(Exception exception, string type, string action);
}
