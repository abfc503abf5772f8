using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Realtime.Testing;

/// <summary>
/// A plain WebSocket client that speaks PROTOCOL.md by hand, the way an outside client would:
/// frames are JSON text (or, made with <see cref="ConnectMessagePackAsync"/>, MessagePack maps in
/// binary messages), replies are matched by <c>id</c>, everything else is a push.
/// </summary>
public sealed class WsClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _pushes = Channel.CreateUnbounded<JsonElement>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Task _receiveLoop;
    private int _nextId;
    private int _pings;
    private TaskCompletionSource? _paused;
    private readonly TaskCompletionSource<JsonElement> _userRoomJoined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _userRoom;

    private WsClient(ClientWebSocket socket)
    {
        _socket = socket;
        _receiveLoop = Task.Run(ReceiveLoop);
    }

    /// <summary>The <c>connected</c> frame.</summary>
    public JsonElement Connected { get; private set; }

    public string ClientId => Connected.GetProperty("data").GetProperty("clientId").GetString()!;

    public string? UserId => Connected.GetProperty("data").GetProperty("userId").GetString();

    /// <summary>
    /// The <c>roomJoined</c> push of the user's own room (<c>user:&lt;userId&gt;</c>), which follows an
    /// authenticated connection's <c>connected</c>; it is not queued with the other pushes.
    /// </summary>
    public Task<JsonElement> UserRoomJoined(TimeSpan? timeout = null) => _userRoomJoined.Task.Within("the roomJoined of the user's room", timeout);

    /// <summary>Server pings seen (they are not queued as pushes).</summary>
    public int PingsReceived => Volatile.Read(ref _pings);

    /// <summary>Whether server pings are answered with a pong (off by default).</summary>
    public bool AnswerPings { get; set; }

    public WebSocketState State => _socket.State;

    /// <summary>Stops reading the socket (after the message being read), as a client that cannot keep up would.</summary>
    public void PauseReading() => Interlocked.CompareExchange(ref _paused, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

    /// <summary>Reads the socket again.</summary>
    public void ResumeReading() => Interlocked.Exchange(ref _paused, null)?.TrySetResult();

    public string? SubProtocol => _socket.SubProtocol;

    /// <summary>Whether frames are sent as MessagePack and binary messages read as MessagePack.</summary>
    public bool MessagePack { get; private set; }

    /// <summary>Text messages received (the only kind a JSON client should get).</summary>
    public int TextMessages => Volatile.Read(ref _textMessages);

    /// <summary>Binary messages received (the only kind a MessagePack client should get).</summary>
    public int BinaryMessages => Volatile.Read(ref _binaryMessages);

    private int _textMessages;
    private int _binaryMessages;

    /// <summary>Connects offering <c>realtime.v1.msgpack</c> (after <paramref name="configure"/>'s offers, if any), speaking MessagePack.</summary>
    public static Task<WsClient> ConnectMessagePackAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null, bool expectConnected = true)
        => ConnectAsync(uri, options =>
        {
            configure?.Invoke(options);
            options.AddSubProtocol("realtime.v1.msgpack");
        }, expectConnected: expectConnected, messagePack: true);

    public static async Task<WsClient> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null, HttpMessageInvoker? invoker = null, bool expectConnected = true, bool messagePack = false)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        await socket.ConnectAsync(uri, invoker, CancellationToken.None).Within($"the WebSocket handshake with {uri}");
        var client = new WsClient(socket) { MessagePack = messagePack };
        if (expectConnected)
        {
            client.Connected = await client.NextPushAsync("the connected frame");
            if (client.Connected.GetProperty("action").GetString() != "connected")
            {
                throw new InvalidOperationException("The first frame was not `connected`: " + client.Connected);
            }
        }

        return client;
    }

    public async Task SendTextAsync(string text)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async Task SendBinaryAsync(byte[] bytes)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends a frame without <c>id</c>: no reply comes back.</summary>
    public Task SendAsync(string type, string action, object? data = null)
        => SendFrameAsync(new Dictionary<string, object?> { ["type"] = type, ["action"] = action, ["data"] = data });

    /// <summary>Sends <paramref name="frame"/> in the client's protocol: JSON text, or a MessagePack map.</summary>
    public Task SendFrameAsync(Dictionary<string, object?> frame)
        => MessagePack ? SendBinaryAsync(TestMessagePack.Serialize(frame)) : SendTextAsync(JsonSerializer.Serialize(frame));

    /// <summary>Sends a frame with a fresh <c>id</c> and returns the reply to it.</summary>
    public Task<JsonElement> RequestAsync(string type, string action, object? data = null, TimeSpan? timeout = null)
    {
        var id = "r" + Interlocked.Increment(ref _nextId);
        var frame = new Dictionary<string, object?> { ["type"] = type, ["action"] = action, ["id"] = id };
        if (data is not null)
        {
            frame["data"] = data;
        }

        if (MessagePack)
        {
            return RequestFrameAsync(id, frame, timeout);
        }

        return RequestRawAsync(id, JsonSerializer.Serialize(frame), timeout);
    }

    private async Task<JsonElement> RequestFrameAsync(string id, Dictionary<string, object?> frame, TimeSpan? timeout)
    {
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        await SendFrameAsync(frame);
        return await reply.Task.Within($"the reply to id {id}: {frame["type"]}/{frame["action"]}", timeout);
    }

    /// <summary>Sends the given text and returns the reply whose id is <paramref name="id"/> (as its JSON text).</summary>
    public async Task<JsonElement> RequestRawAsync(string id, string text, TimeSpan? timeout = null)
    {
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        await SendTextAsync(text);
        return await reply.Task.Within($"the reply to id {id}: {text}", timeout);
    }

    /// <summary>The next push (not a reply, not a server ping).</summary>
    public async Task<JsonElement> NextPushAsync(string what, TimeSpan? timeout = null)
        => await _pushes.Reader.ReadAsync().AsTask().Within(what, timeout);

    /// <summary>Skips pushes until one matches.</summary>
    public async Task<JsonElement> WaitForPushAsync(Func<JsonElement, bool> match, string what, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TestWait.Default);
        try
        {
            while (true)
            {
                var push = await _pushes.Reader.ReadAsync(deadline.Token);
                if (match(push))
                {
                    return push;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Timed out waiting for {what}.");
        }
    }

    /// <summary>A push already received, if any, without waiting.</summary>
    public bool TryTakePush(out JsonElement push) => _pushes.Reader.TryRead(out push);

    /// <summary>The close status the server sent, once the socket is closed.</summary>
    public Task<WebSocketCloseStatus?> WaitForCloseAsync(string what, TimeSpan? timeout = null) => _closed.Task.Within(what, timeout);

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                await _closed.Task.Within("the server's answer to our close");
            }
            catch (WebSocketException)
            {
            }
        }
    }

    /// <summary>Drops the connection without a close handshake, as a client that loses its network would.</summary>
    public async Task AbortAsync()
    {
        ResumeReading();
        _socket.Abort();
        await _receiveLoop;
    }

    public async ValueTask DisposeAsync()
    {
        ResumeReading();
        try
        {
            await CloseAsync();
        }
        catch (TimeoutException)
        {
        }

        _socket.Abort();
        await _receiveLoop;
        _socket.Dispose();
        _sendLock.Dispose();
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                if (Volatile.Read(ref _paused) is { } paused)
                {
                    await paused.Task;
                }

                if (await WebSocketReading.NextMessageAsync(_socket, buffer, message) is not var (type, bytes))
                {
                    _closed.TrySetResult(_socket.CloseStatus);
                    return;
                }

                var binary = type == WebSocketMessageType.Binary;
                Interlocked.Increment(ref binary ? ref _binaryMessages : ref _textMessages);
                var frame = binary && MessagePack
                    ? TestMessagePack.ToJson(bytes)
                    : JsonDocument.Parse(bytes).RootElement.Clone();
                await Route(frame);
            }
        }
        catch (Exception) when (_socket.State is WebSocketState.Aborted or WebSocketState.Closed or WebSocketState.CloseReceived or WebSocketState.CloseSent)
        {
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _closed.TrySetResult(_socket.CloseStatus);
            _pushes.Writer.TryComplete();
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new InvalidOperationException("The socket closed before the reply came."));
            }
        }
    }

    private async Task Route(JsonElement frame)
    {
        if (frame.TryGetProperty("id", out var id) && frame.TryGetProperty("ok", out _))
        {
            var key = id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText();
            if (_pending.TryRemove(key, out var reply))
            {
                reply.TrySetResult(frame);
                return;
            }
        }

        if (frame.TryGetProperty("type", out var type) && type.GetString() == "system"
            && frame.TryGetProperty("action", out var action) && action.GetString() == "ping"
            && !frame.TryGetProperty("id", out _))
        {
            Interlocked.Increment(ref _pings);
            if (AnswerPings)
            {
                await SendAsync("system", "pong");
            }

            return;
        }

        if (IsSystem(frame, "connected") && frame.GetProperty("data").TryGetProperty("userId", out var userId) && userId.ValueKind == JsonValueKind.String)
        {
            _userRoom = "user:" + userId.GetString();
        }
        else if (_userRoom is not null && IsSystem(frame, "roomJoined") && frame.TryGetProperty("room", out var room) && room.GetString() == _userRoom)
        {
            // The user's room, joined with the connection: kept apart so tests read the pushes they caused.
            _userRoomJoined.TrySetResult(frame);
            return;
        }

        _pushes.Writer.TryWrite(frame);
    }

    private static bool IsSystem(JsonElement frame, string action)
        => frame.TryGetProperty("type", out var type) && type.GetString() == "system"
            && frame.TryGetProperty("action", out var name) && name.GetString() == action;
}
