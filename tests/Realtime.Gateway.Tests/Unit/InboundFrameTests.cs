using System.Text;
using Realtime.Protocol;

namespace Realtime.Gateway.Tests.Unit;

/// <summary>The envelope reader, without a socket or a silo.</summary>
public sealed class InboundFrameTests
{
    private static (bool Ok, InboundFrame Frame, string? Error) Parse(string text)
    {
        var ok = InboundFrame.TryParse(Encoding.UTF8.GetBytes(text), out var frame, out var error);
        return (ok, frame, error);
    }

    [Fact]
    public void AFrameGivesTypeActionTheRawIdAndTheRawData()
    {
        var (ok, frame, error) = Parse("""{"type":"chat","action":"send","id":"7","data":{"text":"hi","n":[1,2]}}""");

        Assert.True(ok, error);
        Assert.Equal("chat", frame.Type);
        Assert.Equal("send", frame.Action);
        Assert.Equal("\"7\"", Encoding.UTF8.GetString(frame.Id.Span));
        Assert.Equal("""{"text":"hi","n":[1,2]}""", Encoding.UTF8.GetString(frame.Data.Span));
    }

    [Fact]
    public void ANumericIdIsKeptAsItsToken()
    {
        var (ok, frame, _) = Parse("""{"id":42,"type":"a","action":"b"}""");

        Assert.True(ok);
        Assert.Equal("42", Encoding.UTF8.GetString(frame.Id.Span));
        Assert.True(frame.Data.IsEmpty);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("""{"type":"a"}""", "type and action")]
    [InlineData("""{"type":1,"action":"b"}""", "type must be a string")]
    [InlineData("""{"type":"","action":"b"}""", "type must have 1 to")]
    [InlineData("""{"type":"a","action":"b"} {}""", "not valid JSON")]
    [InlineData("""{"type":"a","action":"b","id":{"x":1}}""", "id must be a string")]
    [InlineData("""{"type":"\ud800","action":"b"}""", "not valid text")]
    public void ABadFrameIsRefusedWithTheReason(string text, string reason)
    {
        var (ok, _, error) = Parse(text);

        Assert.False(ok);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ARefusedFrameStillCarriesItsIdSoTheErrorCanBeAReply()
    {
        var (ok, frame, _) = Parse("""{"id":"9","type":"chat"}""");

        Assert.False(ok);
        Assert.True(frame.HasId);
        Assert.Equal("chat", frame.Type);
    }

    [Fact]
    public void AnIdOverTheLimitIsRefused()
    {
        var (ok, _, error) = Parse($$"""{"type":"a","action":"b","id":"{{new string('i', InboundFrame.MaxIdBytes)}}"}""");

        Assert.False(ok);
        Assert.Contains("id must be", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ANameOverTheLimitIsRefused()
    {
        var (ok, _, error) = Parse($$"""{"type":"{{new string('t', InboundFrame.MaxNameBytes + 1)}}","action":"b"}""");

        Assert.False(ok);
        Assert.Contains("type must have", error, StringComparison.Ordinal);
    }

    [Fact]
    public void NestingPastTheDepthLimitIsNotValidJson()
    {
        var (ok, _, error) = Parse("""{"type":"a","action":"b","data":""" + new string('[', 70) + new string(']', 70) + "}");

        Assert.False(ok);
        Assert.Contains("not valid JSON", error, StringComparison.Ordinal);
    }
}
