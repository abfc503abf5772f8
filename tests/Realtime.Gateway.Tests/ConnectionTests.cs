using System.Text.Json;

namespace Realtime.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public sealed class ConnectionTests(GatewayFixture fixture) : LogCheckedTest
{
    private GatewayServer Server => fixture.Server;

    protected override LogCapture Logs => Server.Logs;

    [Fact]
    public async Task FirstFrameIsConnectedWithClientIdAndHeartbeat()
    {
        await using var client = await Server.ConnectAsync();

        var data = client.Connected.GetProperty("data");
        Assert.Equal("system", client.Connected.GetProperty("type").GetString());
        Assert.StartsWith("c_", data.GetProperty("clientId").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, data.GetProperty("userId").ValueKind);
        Assert.Equal(25000, data.GetProperty("heartbeatMs").GetInt64());
    }

    [Fact]
    public async Task EveryConnectionGetsItsOwnClientId()
    {
        await using var first = await Server.ConnectAsync();
        await using var second = await Server.ConnectAsync();

        Assert.NotEqual(first.ClientId, second.ClientId);
    }

    [Fact]
    public async Task OfferedSubprotocolIsSelected()
    {
        await using var client = await Server.ConnectAsync(configure: o => o.AddSubProtocol("realtime.v1.json"));

        Assert.Equal("realtime.v1.json", client.SubProtocol);
    }

    [Fact]
    public async Task ClientOfferingNoSubprotocolStillSpeaksV1()
    {
        await using var client = await Server.ConnectAsync();

        Assert.Null(client.SubProtocol);
        var pong = await client.RequestAsync("system", "ping", new { n = 1 });
        Assert.True(pong.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task PlainHttpRequestToTheEndpointIsRefused()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(Server.HttpUri, "/ws"));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task DemoPageIsServedAtTheRoot()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(Server.HttpUri);

        Assert.True(response.IsSuccessStatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MemberReceivesWhatAnotherMemberPublishes()
    {
        var room = TestIds.Room();
        await using var alice = await Server.ConnectAsync();
        await using var bob = await Server.ConnectAsync();
        await alice.RequestAsync("system", "joinRoom", new { roomName = room });
        await bob.RequestAsync("system", "joinRoom", new { roomName = room });

        var reply = await alice.RequestAsync("system", "publish", new { roomName = room, type = "chat", action = "message", data = new { text = "hi" } });
        var push = await bob.NextPushAsync("bob to receive alice's message");

        Assert.True(reply.GetProperty("ok").GetBoolean());
        Assert.Equal(1, reply.GetProperty("data").GetProperty("seq").GetInt64());
        Assert.Equal("chat", push.GetProperty("type").GetString());
        Assert.Equal("message", push.GetProperty("action").GetString());
        Assert.Equal("hi", push.GetProperty("data").GetProperty("text").GetString());
        Assert.Equal(room, push.GetProperty("room").GetString());
        Assert.Equal(1, push.GetProperty("seq").GetInt64());
        Assert.Equal(alice.ClientId, push.GetProperty("from").GetProperty("clientId").GetString());
    }
}
