using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace Realtime.Testing;

/// <summary>A WebSocket client of a raw endpoint: whole messages, text or binary, no frames.</summary>
public sealed class RawWsClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<(WebSocketMessageType Type, byte[] Bytes)> _messages = Channel.CreateUnbounded<(WebSocketMessageType, byte[])>();
    private readonly TaskCompletionSource<WebSocketCloseStatus?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _receiveLoop;

    private RawWsClient(ClientWebSocket socket)
    {
        _socket = socket;
        _receiveLoop = Task.Run(ReceiveLoop);
    }

    public string? SubProtocol => _socket.SubProtocol;

    public static async Task<RawWsClient> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        await socket.ConnectAsync(uri, CancellationToken.None).Within($"the WebSocket handshake with {uri}");
        return new RawWsClient(socket);
    }

    public Task SendTextAsync(string text) => _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendBinaryAsync(byte[] bytes) => _socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>The next message, whole.</summary>
    public async Task<(WebSocketMessageType Type, byte[] Bytes)> NextAsync(string what, TimeSpan? timeout = null)
        => await _messages.Reader.ReadAsync().AsTask().Within(what, timeout);

    /// <summary>The next message, which must be text.</summary>
    public async Task<string> NextTextAsync(string what, TimeSpan? timeout = null)
    {
        var (type, bytes) = await NextAsync(what, timeout);
        Xunit.Assert.Equal(WebSocketMessageType.Text, type);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>The next message, which must be binary.</summary>
    public async Task<byte[]> NextBinaryAsync(string what, TimeSpan? timeout = null)
    {
        var (type, bytes) = await NextAsync(what, timeout);
        Xunit.Assert.Equal(WebSocketMessageType.Binary, type);
        return bytes;
    }

    /// <summary>A message already received, if any, without waiting.</summary>
    public bool TryTake(out (WebSocketMessageType Type, byte[] Bytes) message) => _messages.Reader.TryRead(out message);

    public Task<WebSocketCloseStatus?> WaitForCloseAsync(string what, TimeSpan? timeout = null) => _closed.Task.Within(what, timeout);

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                await _closed.Task.Within("the server's answer to our close");
            }
            catch (Exception exception) when (exception is WebSocketException or TimeoutException)
            {
            }
        }

        _socket.Abort();
        await _receiveLoop;
        _socket.Dispose();
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (await WebSocketReading.NextMessageAsync(_socket, buffer, message) is { } next)
            {
                _messages.Writer.TryWrite(next);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            _closed.TrySetResult(_socket.CloseStatus);
            _messages.Writer.TryComplete();
        }
    }
}
