using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Realtime.Gateway.Connections;

namespace Realtime.Gateway.Tests.Unit;

/// <summary>
/// A gateway <see cref="Connection"/> on one end of a loopback TCP pair, and a plain client
/// WebSocket on the other end that reads what the connection writes: no Kestrel, no cluster.
/// </summary>
internal sealed class SocketPair : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly TcpClient _server;

    private SocketPair(TcpClient client, TcpClient server, Connection connection, WebSocket peer)
    {
        _client = client;
        _server = server;
        Connection = connection;
        Peer = peer;
    }

    public Connection Connection { get; }

    public WebSocket Peer { get; }

    public static async Task<SocketPair> OpenAsync(long maxQueueBytes = 1024 * 1024, TimeSpan? closeTimeout = null)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        var accept = listener.AcceptTcpClientAsync();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port).Within("the loopback connect");
        var server = await accept.Within("the loopback accept");
        var socket = WebSocket.CreateFromStream(server.GetStream(), new WebSocketCreationOptions { IsServer = true });
        var peer = WebSocket.CreateFromStream(client.GetStream(), new WebSocketCreationOptions { IsServer = false });
        var connection = new Connection("c_test", "u1", "/ws", socket, maxQueueBytes, closeTimeout ?? TimeSpan.FromSeconds(5));
        return new SocketPair(client, server, connection, peer);
    }

    /// <summary>A pair whose connection was started and whose <c>connected</c> frame was read: what comes next is the test's.</summary>
    public static async Task<SocketPair> OpenStartedAsync(long maxQueueBytes = 1024 * 1024)
    {
        var pair = await OpenAsync(maxQueueBytes);
        pair.Connection.Start(Frame("connected"));
        Assert.Equal("connected", await pair.NextAsync("connected"));
        return pair;
    }

    /// <summary>A frame's bytes.</summary>
    public static byte[] Frame(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A connection that is never started and has no peer: it only queues.</summary>
    public static Connection Unstarted(long maxQueueBytes, string clientId = "c_test", Dictionary<string, string>? metadata = null)
    {
        var connection = new Connection(clientId, "u1", "/ws", WebSocket.CreateFromStream(Stream.Null, new WebSocketCreationOptions { IsServer = true }), maxQueueBytes, TimeSpan.FromSeconds(5));
        connection.ApplyMetadata(new Realtime.Delivery.ClientMetadataChange(clientId, metadata ?? [], 1));
        return connection;
    }

    /// <summary>The next text message the connection wrote.</summary>
    public async Task<string> NextAsync(string what)
    {
        var buffer = new byte[64 * 1024];
        var count = 0;
        while (true)
        {
            var result = await Peer.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None).AsTask().Within(what);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return $"close:{(int?)Peer.CloseStatus}";
            }

            count += result.Count;
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(buffer, 0, count);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Connection.Abort();
        Connection.Dispose();
        Peer.Abort();
        _client.Dispose();
        _server.Dispose();
        return ValueTask.CompletedTask;
    }
}
