using System.Net.WebSockets;

namespace Realtime.Gateway.Tests;

/// <summary>
/// Raw endpoints (<c>Realtime:Gateway:RawEndpoints</c>) over a real socket: each message whole to the
/// path's raw handler, and what the server sends as it is, with no envelope.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class RawEndpointTests(GatewayFixture fixture) : LogCheckedTest
{
    private GatewayServer Server => fixture.Server;

    protected override LogCapture Logs => Server.Logs;

    [Fact]
    public async Task AStringEndpointHandsTextToItsHandlerAndAnswersWithText()
    {
        await using var client = await RawWsClient.ConnectAsync(Server.WsUriFor("/raw/text"), o => o.AddSubProtocol("realtime.v1.json"));

        await client.SendTextAsync("hello, ünïcode");

        // No connected frame, no subprotocol: the first message is the handler's answer.
        Assert.Equal("HELLO, ÜNÏCODE", await client.NextTextAsync("the handler's answer"));
        Assert.Null(client.SubProtocol);
    }

    [Fact]
    public async Task ABinaryEndpointRoundTripsArbitraryBytes()
    {
        var bytes = new byte[5000];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0;
        await using var client = await RawWsClient.ConnectAsync(Server.WsUriFor("/raw/bytes"));

        await client.SendBinaryAsync(bytes);
        await client.SendBinaryAsync([]);

        Assert.Equal(bytes.Reverse(), await client.NextBinaryAsync("the reversed bytes"));
        Assert.Empty(await client.NextBinaryAsync("the answer to no bytes"));
    }

    [Fact]
    public async Task SystemFramesAreJustTextThere()
    {
        await using var client = await RawWsClient.ConnectAsync(Server.WsUriFor("/raw/text"));

        await client.SendTextAsync("""{"type":"system","action":"ping","id":"1"}""");

        Assert.Equal("""{"TYPE":"SYSTEM","ACTION":"PING","ID":"1"}""", await client.NextTextAsync("the handler's answer"));
    }

    [Fact]
    public async Task PushesReachARawConnectionAsTheirDataAlone()
    {
        var room = TestIds.Room();
        await using var raw = await RawWsClient.ConnectAsync(Server.WsUriFor("/raw/text"));
        await using var json = await Server.ConnectAsync();
        await json.JoinAsync(room);
        await raw.SendTextAsync("join " + room);
        Assert.Equal("joined", await raw.NextTextAsync("the join's answer"));

        await json.PublishAsync(room, new { text = "hi" });
        await json.PublishAsync(room, "just text");

        Assert.Equal("""{"text":"hi"}""", await raw.NextTextAsync("the room's first push"));
        Assert.Equal("just text", await raw.NextTextAsync("the room's second push"));

        await using var bytes = await RawWsClient.ConnectAsync(Server.WsUriFor("/raw/bytes"));
        await bytes.SendBinaryAsync([0xff, 0xff]);
        // The answer comes straight back, the push through the cluster: in either order.
        var received = new[] { await bytes.NextBinaryAsync("the first message"), await bytes.NextBinaryAsync("the second message") };
        Assert.Contains(received, m => m.SequenceEqual(new byte[] { 7, 7, 7 }));
        Assert.Contains(received, m => m.SequenceEqual(new byte[] { 0xff, 0xff }));
    }

    [Theory]
    [InlineData("/raw/bytes", false)]
    [InlineData("/raw/text", true)]
    public async Task AMessageOfTheOtherKindClosesWith1003(string path, bool binary)
    {
        await using var client = await RawWsClient.ConnectAsync(Server.WsUriFor(path));

        if (binary)
        {
            await client.SendBinaryAsync([1]);
        }
        else
        {
            await client.SendTextAsync("text");
        }

        Assert.Equal((WebSocketCloseStatus)1003, await client.WaitForCloseAsync("the close for the wrong kind of message"));
    }

    [Fact]
    public async Task AMessageNoHandlerTakesIsDroppedAndLoggedAndTheConnectionGoesOn()
    {
        var mark = Logs.Mark;
        await using var client = await RawWsClient.ConnectAsync(Server.WsUriFor("/raw/unhandled"));

        await client.SendTextAsync("anyone?");

        await TestWait.Until(
            () => Task.FromResult(Logs.Entries.Any(e => e.Index >= mark && e.EventId.Id == 2102 && e.Message.Contains("/raw/unhandled", StringComparison.Ordinal) && e.Message.Contains("UNKNOWN_ROUTE", StringComparison.Ordinal))),
            "the refusal in the log");
        Assert.False(client.TryTake(out _));
        await client.SendTextAsync("still here?");
        await TestWait.Until(() => Task.FromResult(Logs.Entries.Count(e => e.Index >= mark && e.EventId.Id == 2102) >= 2), "the second refusal");
    }
}
