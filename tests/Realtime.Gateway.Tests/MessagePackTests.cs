using System.Text.Json;

namespace Realtime.Gateway.Tests;

/// <summary>
/// <c>realtime.v1.msgpack</c> over a real socket, written and read with the MessagePack library as an
/// outside client would: the same frames as maps in binary messages, bytes as <c>bin</c>, and JSON and
/// MessagePack clients in the same rooms.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class MessagePackTests(GatewayFixture fixture) : LogCheckedTest
{
    private static readonly byte[] s_bytes = [0, 1, 2, 254, 255];

    private GatewayServer Server => fixture.Server;

    protected override LogCapture Logs => Server.Logs;

    [Fact]
    public async Task AClientOfferingMessagePackGetsItAndOnlyBinaryMessages()
    {
        await using var client = await WsClient.ConnectMessagePackAsync(Server.WsUri);

        Assert.Equal("realtime.v1.msgpack", client.SubProtocol);
        Assert.StartsWith("c_", client.ClientId);
        var reply = await client.RequestAsync("system", "ping", new { n = 1 });
        Assert.True(reply.GetProperty("ok").GetBoolean());
        Assert.Equal(1, reply.GetProperty("data").GetProperty("n").GetInt32());
        Assert.Equal(0, client.TextMessages);
        Assert.True(client.BinaryMessages >= 2);
    }

    [Theory]
    [InlineData("realtime.v1.msgpack", "realtime.v1.json", "realtime.v1.msgpack")]
    [InlineData("realtime.v1.json", "realtime.v1.msgpack", "realtime.v1.json")]
    [InlineData("other", "realtime.v1.msgpack", "realtime.v1.msgpack")]
    public async Task OfThoseOfferedTheServerTakesTheClientsFirstItSpeaks(string first, string second, string selected)
    {
        var messagePack = selected == "realtime.v1.msgpack";
        await using var client = await WsClient.ConnectAsync(Server.WsUri, options =>
        {
            options.AddSubProtocol(first);
            options.AddSubProtocol(second);
        }, messagePack: messagePack);

        Assert.Equal(selected, client.SubProtocol);
        Assert.Equal(messagePack ? 0 : 1, client.TextMessages);
        Assert.Equal(messagePack ? 1 : 0, client.BinaryMessages);
    }

    [Fact]
    public async Task JsonAndMessagePackClientsShareARoomAndBytesReachEachInItsOwnForm()
    {
        var room = TestIds.Room();
        await using var packer = await WsClient.ConnectMessagePackAsync(Server.WsUri);
        await using var otherPacker = await WsClient.ConnectMessagePackAsync(Server.WsUri);
        await using var json = await Server.ConnectAsync();
        await packer.JoinAsync(room);
        await otherPacker.JoinAsync(room);
        await json.JoinAsync(room);

        var seq = await packer.PublishAsync(room, new Dictionary<string, object> { ["text"] = "hi", ["blob"] = s_bytes, ["n"] = 3.5 });

        var onPack = await otherPacker.NextPushAsync("the MessagePack member's push");
        Assert.Equal(seq, onPack.Seq());
        Assert.Equal(room, onPack.GetProperty("room").GetString());
        Assert.Equal(packer.ClientId, onPack.GetProperty("from").GetProperty("clientId").GetString());
        Assert.Equal("hi", onPack.Text());
        Assert.Equal(s_bytes, onPack.GetProperty("data").GetProperty("blob").Bytes());
        Assert.Equal(3.5, onPack.GetProperty("data").GetProperty("n").GetDouble());

        // A JSON client gets bytes as base64 text, as JSON writes them anyway.
        var onJson = await json.NextPushAsync("the JSON member's push");
        Assert.Equal(seq, onJson.Seq());
        Assert.Equal(Convert.ToBase64String(s_bytes), onJson.GetProperty("data").GetProperty("blob").GetString());

        // And the other way: a JSON publish reaches a MessagePack member as a map.
        var next = await json.PublishAsync(room, new { text = "back", list = new object?[] { 1, "two", null, true } });
        var back = await packer.WaitForPushAsync(p => p.TryGetProperty("seq", out var s) && s.GetInt64() == next, "the JSON publish on MessagePack");
        Assert.Equal("back", back.Text());
        Assert.Equal("[1,\"two\",null,true]", back.GetProperty("data").GetProperty("list").GetRawText());
        Assert.Equal(0, packer.TextMessages);
        Assert.Equal(0, json.BinaryMessages);
    }

    [Fact]
    public async Task HandlersTakeAndReturnBytesWhicheverProtocolTheClientChose()
    {
        await using var packer = await WsClient.ConnectMessagePackAsync(Server.WsUri);
        await using var json = await Server.ConnectAsync();

        var packed = await packer.RequestAsync("bytes", "reverse", s_bytes);
        Assert.True(packed.GetProperty("ok").GetBoolean(), packed.ToString());
        Assert.Equal(s_bytes.Reverse(), packed.GetProperty("data").Bytes());

        var text = await json.RequestAsync("bytes", "reverse", Convert.ToBase64String(s_bytes));
        Assert.Equal(Convert.ToBase64String([.. s_bytes.Reverse()]), text.GetProperty("data").GetString());

        // A handler reading JSON sees the bytes as a JSON client would send them: base64 text.
        var described = await packer.RequestAsync("bytes", "describe", s_bytes);
        Assert.Equal("String", described.GetProperty("data").GetString());
    }

    [Fact]
    public async Task AServerPushOfBytesIsBinOnMessagePack()
    {
        await using var packer = await WsClient.ConnectMessagePackAsync(Server.WsUri);

        await packer.RequestAsync("bytes", "pushToMe");

        var push = await packer.WaitForPushAsync(p => p.GetProperty("action").GetString() == "pushed", "the pushed bytes");
        Assert.Equal(new byte[] { 1, 2, 3, 255 }, push.GetProperty("data").Bytes());
    }

    [Fact]
    public async Task ARejoinRecoversMissedPushesInTheClientsOwnEncoding()
    {
        var room = TestIds.Room();
        await using var json = await Server.ConnectAsync();
        var epoch = (await json.JoinAsync(room)).GetProperty("epoch").GetString();
        await json.PublishAsync(room, new { text = "one" });

        await using var packer = await WsClient.ConnectMessagePackAsync(Server.WsUri);
        await packer.JoinAsync(room);
        await packer.PublishAsync(room, new Dictionary<string, object> { ["text"] = "two", ["blob"] = s_bytes });
        await json.PublishAsync(room, new { text = "three" });

        await using var late = await WsClient.ConnectMessagePackAsync(Server.WsUri);
        var data = await late.JoinAsync(room, since: 0, epoch: epoch);

        Assert.True(data.GetProperty("recovered").GetBoolean());
        var missed = data.GetProperty("missed").EnumerateArray().ToList();
        Assert.Equal(["one", "two", "three"], missed.Select(m => m.Text()));
        Assert.Equal(s_bytes, missed[1].GetProperty("data").GetProperty("blob").Bytes());

        // The same history, to a JSON client: bytes as base64 text.
        await using var lateJson = await Server.ConnectAsync();
        var jsonData = await lateJson.JoinAsync(room, since: 0, epoch: epoch);
        Assert.Equal(Convert.ToBase64String(s_bytes), jsonData.GetProperty("missed")[1].GetProperty("data").GetProperty("blob").GetString());
    }

    [Fact]
    public async Task BadInputOnMessagePackIsAnInvalidMessageAndTheConnectionGoesOn()
    {
        await using var packer = await WsClient.ConnectMessagePackAsync(Server.WsUri);

        await packer.SendTextAsync("""{"type":"system","action":"ping","id":"1"}""");
        AssertInvalid(await packer.NextPushAsync("the error for a text frame"), "Text frames");

        await packer.SendBinaryAsync([0xc1, 0x01]);
        AssertInvalid(await packer.NextPushAsync("the error for bytes that are not MessagePack"), "MessagePack");

        await packer.SendBinaryAsync(TestMessagePack.Serialize(new object[] { "system", "ping" }));
        AssertInvalid(await packer.NextPushAsync("the error for an array"), "map");

        await packer.SendBinaryAsync(TestMessagePack.Serialize(new Dictionary<object, object> { [1] = "system" }));
        AssertInvalid(await packer.NextPushAsync("the error for a key that is not a string"), "keys");

        await packer.SendBinaryAsync(TestMessagePack.Serialize(new Dictionary<string, object> { ["type"] = "test", ["action"] = "echo", ["data"] = double.NaN }));
        AssertInvalid(await packer.NextPushAsync("the error for NaN"), "NaN");

        var reply = await packer.RequestAsync("test", "echo", new { still = "here" });
        Assert.Equal("here", reply.GetProperty("data").GetProperty("still").GetString());
    }

    private static void AssertInvalid(JsonElement push, string said)
    {
        Assert.Equal("error", push.GetProperty("action").GetString());
        Assert.Equal("INVALID_MESSAGE", push.GetProperty("code").GetString());
        Assert.Contains(said, push.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
