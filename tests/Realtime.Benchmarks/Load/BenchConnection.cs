using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace Realtime.Benchmarks.Load;

/// <summary>One client socket of the load generator: sends frames, hands what it hears to the current phase.</summary>
internal sealed class BenchConnection : IInbound, IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Wire _wire;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<bool>> _pending = new();
    private long _nextId;
    private Task _receiving = Task.CompletedTask;

    private BenchConnection(Wire wire) => _wire = wire;

    /// <summary>Called for every push heard: (timestamp, phase).</summary>
    public Action<long, int>? Pushed { get; set; }

    /// <summary>Called for replies nobody awaits (publishes): (ok).</summary>
    public Action<bool>? Acked { get; set; }

    public Wire Wire => _wire;

    public static async Task<BenchConnection> ConnectAsync(Uri server, Wire wire, CancellationToken cancellationToken, string? token = null)
    {
        var connection = new BenchConnection(wire);
        if (wire.SubProtocol is { } subProtocol)
        {
            connection._socket.Options.AddSubProtocol(subProtocol);
        }

        connection._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        var uri = new UriBuilder(new Uri(server, wire.Path)) { Scheme = server.Scheme == "https" ? "wss" : "ws", Query = token is null ? "" : "token=" + Uri.EscapeDataString(token) }.Uri;
        await connection._socket.ConnectAsync(uri, cancellationToken);
        connection._receiving = connection.ReceiveLoop();
        if (wire.Handshake is { } handshake)
        {
            await connection.SendAsync(handshake);
        }

        await connection._ready.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        return connection;
    }

    public long NextId() => Interlocked.Increment(ref _nextId);

    public async Task SendAsync(byte[] frame)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(frame, _wire.MessageType, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends a frame carrying <paramref name="id"/> and waits for its reply; true when ok.</summary>
    public async Task<bool> RequestAsync(byte[] frame, long id, TimeSpan timeout)
    {
        var reply = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        try
        {
            await SendAsync(frame);
            return await reply.Task.WaitAsync(timeout);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public Task<bool> JoinAsync(string room)
    {
        var id = NextId();
        return RequestAsync(_wire.Join(room, id), id, TimeSpan.FromSeconds(60));
    }

    void IInbound.OnReady() => _ready.TrySetResult();

    void IInbound.OnReply(long id, bool ok)
    {
        if (_pending.TryRemove(id, out var reply))
        {
            reply.TrySetResult(ok);
        }
        else
        {
            Acked?.Invoke(ok);
        }
    }

    void IInbound.OnPush(long timestamp, int phase) => Pushed?.Invoke(timestamp, phase);

    private async Task ReceiveLoop()
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                _wire.Parse(buffer.AsSpan(0, length), this);
            }
        }
        catch (WebSocketException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
            // Aborted by DisposeAsync between two receives.
        }
        finally
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetResult(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _receiving;
        _socket.Dispose();
        _sendLock.Dispose();
    }
}
