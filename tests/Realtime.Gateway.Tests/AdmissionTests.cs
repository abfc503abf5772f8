using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Realtime.Gateway.Tests;

/// <summary>
/// Limits decided before the upgrade, per client address and per gateway: too many attempts get 429,
/// too many open connections 503, with Retry-After; other addresses and open connections are untouched.
/// </summary>
public sealed class AdmissionTests
{
    /// <summary>Connections from another loopback address (127.0.0.2), as a second client machine would be.</summary>
    private static HttpMessageInvoker From(IPAddress local) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });

    private static async Task<(int Status, string? RetryAfter)> HandshakeAsync(GatewayServer server, HttpMessageInvoker? invoker = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await socket.ConnectAsync(server.WsUri, invoker, CancellationToken.None).Within("the handshake");
            socket.Abort();
            return (101, null);
        }
        catch (WebSocketException)
        {
            return ((int)socket.HttpStatusCode, socket.HttpResponseHeaders?.TryGetValue("Retry-After", out var values) == true ? values.FirstOrDefault() : null);
        }
    }

    [Fact]
    public async Task AnAddressThatTriesTooOftenGets429AndOthersAreNotAffected()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["Realtime:Gateway:ConnectionsPerSecondPerIp"] = "1",
            ["Realtime:Gateway:ConnectionBurstPerIp"] = "3",
        });
        using var elsewhere = From(IPAddress.Parse("127.0.0.2"));
        await using var open = await server.ConnectAsync();

        var tries = new List<(int Status, string? RetryAfter)>();
        for (var i = 0; i < 10; i++)
        {
            tries.Add(await HandshakeAsync(server));
        }

        Assert.All(tries.Take(2), t => Assert.Equal(101, t.Status));
        Assert.Contains((429, "1"), tries);
        Assert.Equal(101, (await HandshakeAsync(server, elsewhere)).Status);
        var room = TestIds.Room();
        await open.JoinAsync(room);
        Assert.Equal(1, await open.PublishAsync(room, new { text = "still here" }, echo: true));
    }

    [Fact]
    public async Task AnAddressWithTooManyOpenConnectionsGets503UntilOneCloses()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Realtime:Gateway:MaxConnectionsPerIp"] = "2" });
        using var elsewhere = From(IPAddress.Parse("127.0.0.2"));
        var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();

        Assert.Equal((503, "1"), await HandshakeAsync(server));
        await using var other = await WsClient.ConnectAsync(server.WsUri, invoker: elsewhere);

        await first.CloseAsync();
        await first.DisposeAsync();
        await TestWait.Until(async () => (await HandshakeAsync(server)).Status == 101, "a place to free up when a connection closes");
    }

    [Fact]
    public async Task AGatewayWithMaxConnectionsOpenGets503FromEveryAddress()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string> { ["Realtime:Gateway:MaxConnections"] = "2" });
        using var elsewhere = From(IPAddress.Parse("127.0.0.2"));
        await using var first = await server.ConnectAsync();
        await using var second = await WsClient.ConnectAsync(server.WsUri, invoker: elsewhere);

        Assert.Equal(503, (await HandshakeAsync(server)).Status);
        Assert.Equal(503, (await HandshakeAsync(server, elsewhere)).Status);
        var room = TestIds.Room();
        await first.JoinAsync(room);
        await second.JoinAsync(room);
        await first.PublishAsync(room, new { text = "hi" });
        Assert.Equal("hi", (await second.NextPushAsync("the push between the two open connections")).Text());
    }
}
