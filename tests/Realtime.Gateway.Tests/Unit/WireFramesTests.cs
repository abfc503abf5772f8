using System.Text;
using Realtime.Gateway.Connections;
using Realtime.Protocol;

namespace Realtime.Gateway.Tests.Unit;

/// <summary>Frames as each protocol sends them, and a push encoded once per protocol, not per connection.</summary>
public sealed class WireFramesTests
{
    private static byte[] Encode(WireProtocol protocol, byte[] frame) => WireFrames.Encode(protocol, frame, out _)!;

    private static byte[] Push(ReadOnlyMemory<byte> data) => ServerFrames.Push("chat", "message", data, "room:a", 7, "c_1", "u1");

    [Fact]
    public void APushSentToManyMessagePackConnectionsIsEncodedOnce()
    {
        var frame = Push("""{"text":"hi"}"""u8.ToArray());

        var first = Encode(WireProtocol.MessagePack, frame);
        var again = Encode(WireProtocol.MessagePack, frame);
        var other = Encode(WireProtocol.MessagePack, Push("""{"text":"hi"}"""u8.ToArray()));

        Assert.Same(first, again);
        Assert.NotSame(first, other);
        Assert.Equal(first, other);
        Assert.Same(frame, Encode(WireProtocol.Json, frame));
    }

    [Fact]
    public void AFrameWithBytesIsBinOnMessagePackAndBase64OnJson()
    {
        var frame = Push(BinaryValues.FromBytes([1, 2, 3]));
        Assert.True(BinaryValues.IsMarked(frame));

        var json = Encode(WireProtocol.Json, frame);
        Assert.Same(json, Encode(WireProtocol.Json, frame));
        Assert.Contains("\"data\":\"AQID\"", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
        Assert.False(BinaryValues.IsMarked(json));

        var packed = TestMessagePack.ToJson(Encode(WireProtocol.MessagePack, frame));
        Assert.Equal(new byte[] { 1, 2, 3 }, packed.GetProperty("data").Bytes());
        Assert.Equal(7, packed.GetProperty("seq").GetInt64());
        Assert.Equal("c_1", packed.GetProperty("from").GetProperty("clientId").GetString());
    }

    [Fact]
    public void AnUnmarkedFrameKeepsWhatLooksLikeBytesAsItIs()
    {
        var frame = Push("""{"$realtime.bin":"AQID"}"""u8.ToArray());

        var packed = TestMessagePack.ToJson(Encode(WireProtocol.MessagePack, frame));

        Assert.Equal("AQID", packed.GetProperty("data").GetProperty("$realtime.bin").GetString());
    }

    [Fact]
    public void ARawEndpointGetsDataAloneAndNoSystemFrames()
    {
        Assert.Null(WireFrames.Encode(WireProtocol.RawString, ServerFrames.Ping.ToArray(), out _));
        Assert.Null(WireFrames.Encode(WireProtocol.RawBinary, ServerFrames.RoomJoined("room:a", 1, "e"), out _));

        Assert.Equal("plain text", Encoding.UTF8.GetString(WireFrames.Encode(WireProtocol.RawString, Push("\"plain text\""u8.ToArray()), out var binary)!));
        Assert.False(binary);
        Assert.Equal("""{"text":"hi"}""", Encoding.UTF8.GetString(WireFrames.Encode(WireProtocol.RawBinary, Push("""{"text":"hi"}"""u8.ToArray()), out binary)!));
        Assert.False(binary);
        Assert.Equal(new byte[] { 1, 2, 3 }, WireFrames.Encode(WireProtocol.RawString, Push(BinaryValues.FromBytes([1, 2, 3])), out binary));
        Assert.True(binary);
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
