using System.Threading.Channels;

namespace Realtime.Client.Tests;

/// <summary>The .NET client on <c>realtime.v1.msgpack</c>, in rooms with JSON and MessagePack clients.</summary>
[Collection(ClientCollection.Name)]
public sealed class MessagePackClientTests(ClientFixture fixture) : LogCheckedTest
{
    private static readonly byte[] s_bytes = [9, 8, 7, 0, 255];

    private GatewayServer Server => fixture.Server;

    protected override LogCapture Logs => Server.Logs;

    [Fact]
    public async Task SpeaksMessagePackAndSendsBytesAsBin()
    {
        var room = TestIds.Room();
        await using var client = fixture.NewClient(o => o.Protocol = RealtimeProtocol.MessagePack);
        await using var packer = await WsClient.ConnectMessagePackAsync(Server.WsUri);
        await using var json = await Server.ConnectAsync();
        await client.ConnectAsync();
        await client.JoinAsync(room);
        await packer.JoinAsync(room);
        await json.JoinAsync(room);

        var seq = await client.PublishAsync(room, "chat", "message", new { text = "hi", blob = s_bytes });

        var onPack = await packer.NextPushAsync("the push on a MessagePack socket");
        Assert.Equal(seq, onPack.Seq());
        Assert.Equal(s_bytes, onPack.GetProperty("data").GetProperty("blob").Bytes());
        var onJson = await json.NextPushAsync("the push on a JSON socket");
        Assert.Equal(Convert.ToBase64String(s_bytes), onJson.GetProperty("data").GetProperty("blob").GetString());
    }

    [Fact]
    public async Task ReadsPushesAndRepliesWithBytesAsBase64()
    {
        var room = TestIds.Room();
        await using var client = fixture.NewClient(o => o.Protocol = RealtimeProtocol.MessagePack);
        await using var packer = await WsClient.ConnectMessagePackAsync(Server.WsUri);
        await client.ConnectAsync();
        await client.JoinAsync(room);
        await packer.JoinAsync(room);
        var seen = Channel.CreateUnbounded<PushMessage>();
        using var subscription = client.On("chat", "message", push => seen.Writer.TryWrite(push));

        var reversed = await client.RequestAsync<byte[]>("test", "reverse", s_bytes);
        await packer.PublishAsync(room, new Dictionary<string, object> { ["text"] = "from a socket", ["blob"] = s_bytes });

        Assert.Equal(s_bytes.Reverse(), reversed);
        var push = await seen.Reader.ReadAsync().AsTask().Within("the MessagePack socket's publish");
        Assert.Equal("from a socket", push.Data.GetProperty("text").GetString());
        Assert.Equal(s_bytes, push.Data.GetProperty("blob").GetBytesFromBase64());
        Assert.Equal(packer.ClientId, push.FromClientId);
    }
}
