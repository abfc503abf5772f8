namespace Realtime.Gateway.Tests;

/// <summary>PROTOCOL.md's error table: each code, as a reply when the frame had an id and as a push when not; the connection stays open.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ErrorTests(GatewayFixture fixture) : LogCheckedTest
{
    private GatewayServer Server => fixture.Server;

    protected override LogCapture Logs => Server.Logs;

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"type\":\"chat\",")]
    [InlineData("[1,2,3]")]
    [InlineData("\"a string\"")]
    [InlineData("{\"type\":\"chat\",\"action\":\"x\"} {}")]
    [InlineData("{\"action\":\"x\"}")]
    [InlineData("{\"type\":\"chat\"}")]
    [InlineData("{\"type\":1,\"action\":\"x\"}")]
    [InlineData("{\"type\":\"\",\"action\":\"x\"}")]
    public async Task UnreadableFrameGetsAnInvalidMessagePushAndTheConnectionStays(string text)
    {
        await using var client = await Server.ConnectAsync();

        await client.SendTextAsync(text);
        var error = await client.NextPushAsync("the INVALID_MESSAGE push");
        var stillWorks = await client.RequestAsync("system", "ping");

        Assert.Equal("system", error.GetProperty("type").GetString());
        Assert.Equal("error", error.GetProperty("action").GetString());
        error.AssertError("INVALID_MESSAGE");
        Assert.True(stillWorks.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task AStringThatIsNotTextIsAnInvalidMessageAnsweredByItsId()
    {
        await using var client = await Server.ConnectAsync();

        var reply = await client.RequestRawAsync("s1", """{"type":"\ud800","action":"x","id":"s1"}""");
        var typed = await client.RequestRawAsync("s2", """{"type":"test","action":"typed","id":"s2","data":{"text":"\udc00"}}""");

        reply.AssertError("INVALID_MESSAGE");
        typed.AssertError("INVALID_MESSAGE");
        Assert.True((await client.RequestAsync("system", "ping")).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task AnEmptyFrameIsAnInvalidMessage()
    {
        await using var client = await Server.ConnectAsync();

        await client.SendTextAsync("");
        var error = await client.NextPushAsync("the INVALID_MESSAGE push for an empty frame");

        error.AssertError("INVALID_MESSAGE");
    }

    [Fact]
    public async Task FrameWithIdButNoActionGetsAReplyWithThatId()
    {
        await using var client = await Server.ConnectAsync();

        var reply = await client.RequestRawAsync("x1", """{"type":"chat","id":"x1"}""");

        reply.AssertError("INVALID_MESSAGE");
        Assert.Equal("chat", reply.GetProperty("type").GetString());
    }

    [Fact]
    public async Task BinaryFrameIsAnInvalidMessage()
    {
        await using var client = await Server.ConnectAsync();

        await client.SendBinaryAsync([1, 2, 3]);
        var error = await client.NextPushAsync("the INVALID_MESSAGE push for a binary frame");

        error.AssertError("INVALID_MESSAGE");
        Assert.True((await client.RequestAsync("system", "ping")).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task FrameNobodyHandlesIsAnUnknownRoute()
    {
        await using var client = await Server.ConnectAsync();

        var reply = await client.RequestAsync("chat", "send", new { text = "hi" });

        reply.AssertError("UNKNOWN_ROUTE");
        Assert.Equal("Unknown route chat/send", reply.GetProperty("error").GetString());
        Assert.Equal("chat", reply.GetProperty("type").GetString());
        Assert.Equal("send", reply.GetProperty("action").GetString());
    }

    [Fact]
    public async Task ErrorOfAFrameWithoutIdIsPushed()
    {
        await using var client = await Server.ConnectAsync();

        await client.SendAsync("chat", "send", new { text = "hi" });
        var error = await client.NextPushAsync("the UNKNOWN_ROUTE push");

        Assert.Equal("error", error.GetProperty("action").GetString());
        error.AssertError("UNKNOWN_ROUTE");
    }

    [Fact]
    public async Task HandlerThatThrowsGivesAGenericHandlerErrorAndTheDetailsOnlyInTheLog()
    {
        Server.Logs.Expect(e => e.Exception?.Message.Contains("secret details", StringComparison.Ordinal) == true);
        await using var client = await Server.ConnectAsync();

        var reply = await client.RequestAsync("test", "throw");

        reply.AssertError("HANDLER_ERROR");
        Assert.DoesNotContain("secret", reply.GetRawText(), StringComparison.Ordinal);
        Assert.Contains(Server.Logs.Entries, e => e.Exception?.Message.Contains("secret details", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task HandlerPastItsTimeLimitGivesTimeout()
    {
        await using var client = await Server.ConnectAsync();

        var reply = await client.RequestAsync("test", "slow");
        var next = await client.RequestAsync("test", "echo", new { after = "timeout" });

        reply.AssertError("TIMEOUT");
        Assert.Equal("timeout", next.GetProperty("data").GetProperty("after").GetString());
    }

    [Fact]
    public async Task HandlerThatNeedsAUserRefusesAnAnonymousConnection()
    {
        await using var client = await Server.ConnectAsync();

        var reply = await client.RequestAsync("test", "whoami");

        reply.AssertError("UNAUTHORIZED");
    }

    [Fact]
    public async Task HandlerCanAnswerWithAProtocolError()
    {
        await using var client = await Server.ConnectAsync();

        var reply = await client.RequestAsync("test", "forbid");

        reply.AssertError("FORBIDDEN");
        Assert.Equal("Not for you", reply.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("""{"text":5}""")]
    [InlineData("[]")]
    public async Task DataThatDoesNotBindToTheHandlersTypeIsAnInvalidMessage(string data)
    {
        await using var client = await Server.ConnectAsync();

        var reply = await client.RequestRawAsync("t1", $$"""{"type":"test","action":"typed","id":"t1","data":{{data}}}""");

        reply.AssertError("INVALID_MESSAGE");
    }

    [Fact]
    public async Task TypedHandlerWithoutDataIsAnInvalidMessage()
    {
        await using var client = await Server.ConnectAsync();

        var reply = await client.RequestAsync("test", "typed");

        reply.AssertError("INVALID_MESSAGE");
    }

    [Fact]
    public async Task BadFramesOnOneConnectionDoNotTouchAnother()
    {
        var room = TestIds.Room();
        await using var noisy = await Server.ConnectAsync();
        await using var calm = await Server.ConnectAsync();
        await calm.JoinAsync(room);
        await noisy.JoinAsync(room);

        for (var i = 0; i < 50; i++)
        {
            await noisy.SendTextAsync("{broken");
        }

        await noisy.PublishAsync(room, new { text = "still fine" });
        Assert.Equal("still fine", (await calm.NextPushAsync("calm's push")).Text());
    }
}
