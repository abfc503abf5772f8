using System.Text;
using Realtime.Gateway.Connections;
using Realtime.Protocol;

namespace Realtime.Gateway.Tests.Unit;

/// <summary>Frames as each protocol sends them, and a push encoded once per protocol, not per connection.</summary>
public sealed class WireFramesTests
{
    private static byte[] Push(ReadOnlyMemory<byte> data) => ServerFrames.Push("chat", "message", data, "room:a", 7, "c_1", "u1");

    [Fact]
    public void APushSentToManyMessagePackConnectionsIsEncodedOnce()
    {
        var frame = Push("""{"text":"hi"}"""u8.ToArray());

        var first = WireFrames.Encode(WireProtocol.MessagePack, frame);
        var again = WireFrames.Encode(WireProtocol.MessagePack, frame);
        var other = WireFrames.Encode(WireProtocol.MessagePack, Push("""{"text":"hi"}"""u8.ToArray()));

        Assert.Same(first, again);
        Assert.NotSame(first, other);
        Assert.Equal(first, other);
        Assert.Same(frame, WireFrames.Encode(WireProtocol.Json, frame));
    }

    [Fact]
    public void AFrameWithBytesIsBinOnMessagePackAndBase64OnJson()
    {
        var frame = Push(BinaryValues.FromBytes([1, 2, 3]));
        Assert.True(BinaryValues.IsMarked(frame));

        var json = WireFrames.Encode(WireProtocol.Json, frame);
        Assert.Same(json, WireFrames.Encode(WireProtocol.Json, frame));
        Assert.Contains("\"data\":\"AQID\"", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
        Assert.False(BinaryValues.IsMarked(json));

        var packed = TestMessagePack.ToJson(WireFrames.Encode(WireProtocol.MessagePack, frame));
        Assert.Equal(new byte[] { 1, 2, 3 }, packed.GetProperty("data").Bytes());
        Assert.Equal(7, packed.GetProperty("seq").GetInt64());
        Assert.Equal("c_1", packed.GetProperty("from").GetProperty("clientId").GetString());
    }

    [Fact]
    public void AnUnmarkedFrameKeepsWhatLooksLikeBytesAsItIs()
    {
        var frame = Push("""{"$realtime.bin":"AQID"}"""u8.ToArray());

        var packed = TestMessagePack.ToJson(WireFrames.Encode(WireProtocol.MessagePack, frame));

        Assert.Equal("AQID", packed.GetProperty("data").GetProperty("$realtime.bin").GetString());
    }

    [Theory]
    [InlineData(new[] { "realtime.v1.msgpack", "realtime.v1.json" }, "realtime.v1.msgpack")]
    [InlineData(new[] { "x", "realtime.v1.json", "realtime.v1.msgpack" }, "realtime.v1.json")]
    [InlineData(new[] { "x" }, null)]
    public void TheClientsFirstOfferThatTheServerSpeaksIsSelected(string[] offered, string? selected)
        => Assert.Equal(selected, WireFrames.Select(offered));

    [Fact]
    public void AMessagePackFrameReadsAsTheJsonFrameItStandsFor()
    {
        var message = TestMessagePack.Serialize(new Dictionary<string, object?>
        {
            ["type"] = "chat",
            ["action"] = "send",
            ["id"] = 42,
            ["data"] = new Dictionary<string, object?> { ["text"] = "héllo", ["n"] = -5, ["f"] = 0.25, ["none"] = null, ["blob"] = new byte[] { 9 } },
        });

        Assert.True(MessagePackFrames.TryToJson(message, keepBinary: true, out var json, out var error), error);
        Assert.True(InboundFrame.TryParse(json, out var frame, out error), error);

        Assert.Equal(("chat", "send", "42"), (frame.Type, frame.Action, Encoding.UTF8.GetString(frame.Id.Span)));
        Assert.True(BinaryValues.IsMarked(frame.Data.Span));
        Assert.Equal("""{"text":"héllo","n":-5,"f":0.25,"none":null,"blob":"CQ=="}""", Encoding.UTF8.GetString(BinaryValues.Plain(frame.Data).Span));

        Assert.True(MessagePackFrames.TryToJson(message, keepBinary: false, out var plain, out _));
        Assert.False(BinaryValues.IsMarked(plain));
    }
}
