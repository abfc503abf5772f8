namespace Realtime.Gateway.Tests;

/// <summary>Application handlers (delegates and controllers) and their server-side sends, end to end.</summary>
[Collection(GatewayCollection.Name)]
public sealed class HandlerTests(GatewayFixture fixture) : LogCheckedTest
{
    private GatewayServer Server => fixture.Server;

    protected override LogCapture Logs => Server.Logs;

    [Fact]
    public async Task DelegateHandlersReturnValueIsTheReplyData()
    {
        await using var client = await Server.ConnectAsync();

        var reply = await client.RequestAsync("test", "echo", new { a = 1, b = new[] { "x" } });

        Assert.True(reply.GetProperty("ok").GetBoolean());
        Assert.Equal("test", reply.GetProperty("type").GetString());
        Assert.Equal("echo", reply.GetProperty("action").GetString());
        Assert.Equal(1, reply.GetProperty("data").GetProperty("a").GetInt32());
        Assert.Equal("x", reply.GetProperty("data").GetProperty("b")[0].GetString());
    }

    [Fact]
    public async Task TypedHandlerGetsItsDataBoundAndTheConnection()
    {
        await using var client = await Server.ConnectAsync();

        var reply = await client.RequestAsync("test", "typed", new { text = "hi" });

        Assert.Equal("hi", reply.GetProperty("data").GetProperty("text").GetString());
        Assert.Equal(client.ClientId, reply.GetProperty("data").GetProperty("clientId").GetString());
    }

    [Fact]
    public async Task ControllerMethodsAreActionsOfTheControllersType()
    {
        await using var client = await Server.ConnectAsync();

        var hello = await client.RequestAsync("greet", "hello", new { name = "Ada" });
        var count = await client.RequestAsync("greet", "count", new[] { 1, 2, 3 });

        Assert.Equal($"hello Ada from {client.ClientId}", hello.GetProperty("data").GetString());
        Assert.Equal(3, count.GetProperty("data").GetInt32());
    }

    [Fact]
    public async Task HandlerWithoutIdRunsAndSendsNoReply()
    {
        await using var client = await Server.ConnectAsync();

        await client.SendAsync("test", "sendToMe");
        var push = await client.NextPushAsync("the push the handler sent");

        Assert.Equal("me", push.GetProperty("action").GetString());
        Assert.False(push.TryGetProperty("id", out _));
    }

    [Fact]
    public async Task HandlerCanPushToItsOwnConnection()
    {
        await using var client = await Server.ConnectAsync();

        var reply = await client.RequestAsync("test", "sendToMe");
        var push = await client.NextPushAsync("the push to the handler's own client");

        Assert.True(reply.GetProperty("ok").GetBoolean());
        Assert.Equal("for you", push.Text());
        Assert.False(push.TryGetProperty("room", out _));
    }

    [Fact]
    public async Task SendToOneRoomIsASequencedBroadcast()
    {
        var room = TestIds.Room();
        await using var member = await Server.ConnectAsync();
        await using var caller = await Server.ConnectAsync();
        await member.JoinAsync(room);

        var reply = await caller.RequestAsync("test", "sendToRoom", new { rooms = new[] { room }, text = "from the server" });
        var push = await member.NextPushAsync("the room broadcast");

        Assert.Equal(1, reply.GetProperty("data").GetInt64());
        Assert.Equal(room, push.GetProperty("room").GetString());
        Assert.Equal(1, push.Seq());
        Assert.False(push.TryGetProperty("from", out _));
    }

    [Fact]
    public async Task SendToSeveralRoomsReachesAClientInTwoOfThemOnce()
    {
        var (roomA, roomB) = (TestIds.Room(), TestIds.Room());
        await using var both = await Server.ConnectAsync();
        await using var onlyA = await Server.ConnectAsync();
        await using var onlyB = await Server.ConnectAsync();
        await using var caller = await Server.ConnectAsync();
        await both.JoinAsync(roomA);
        await both.JoinAsync(roomB);
        await onlyA.JoinAsync(roomA);
        await onlyB.JoinAsync(roomB);

        await caller.RequestAsync("test", "sendToRooms", new { rooms = new[] { roomA, roomB }, text = "one" });
        await caller.RequestAsync("test", "sendToRooms", new { rooms = new[] { roomA, roomB }, text = "two" });

        Assert.Equal("one", (await onlyA.NextPushAsync("onlyA's first")).Text());
        Assert.Equal("one", (await onlyB.NextPushAsync("onlyB's first")).Text());
        Assert.Equal("one", (await both.NextPushAsync("both's first")).Text());
        Assert.Equal("two", (await both.NextPushAsync("both's second: no duplicate of the first")).Text());
    }

    [Fact]
    public async Task MetadataFilterReachesOnlyMatchingConnections()
    {
        var room = TestIds.Room();
        await using var admin = await Server.ConnectAsync();
        await using var guest = await Server.ConnectAsync();
        await using var caller = await Server.ConnectAsync();
        await admin.RequestAsync("system", "setMetadata", new { key = "role", value = "admin" });
        await guest.RequestAsync("system", "setMetadata", new { key = "role", value = "guest" });
        await admin.JoinAsync(room);
        await guest.JoinAsync(room);

        await caller.RequestAsync("test", "sendToRooms", new { rooms = new[] { room }, text = "admins only", filter = new Dictionary<string, string> { ["role"] = "admin" } });
        await caller.RequestAsync("test", "sendToRooms", new { rooms = new[] { room }, text = "everyone" });

        Assert.Equal("admins only", (await admin.NextPushAsync("admin's first")).Text());
        Assert.Equal("everyone", (await guest.NextPushAsync("guest's first: the filtered push skipped")).Text());
    }

    [Fact]
    public async Task RoomBroadcastFilterAppliesToSequencedPushesToo()
    {
        var room = TestIds.Room();
        await using var admin = await Server.ConnectAsync();
        await using var guest = await Server.ConnectAsync();
        await using var caller = await Server.ConnectAsync();
        await admin.RequestAsync("system", "setMetadata", new { key = "role", value = "admin" });
        await admin.JoinAsync(room);
        await guest.JoinAsync(room);

        await caller.RequestAsync("test", "sendToRoom", new { rooms = new[] { room }, text = "admins only", filter = new Dictionary<string, string> { ["role"] = "admin" } });
        await caller.RequestAsync("test", "sendToRoom", new { rooms = new[] { room }, text = "everyone" });

        Assert.Equal("admins only", (await admin.NextPushAsync("admin's first")).Text());
        var guestFirst = await guest.NextPushAsync("guest's first");
        Assert.Equal("everyone", guestFirst.Text());
        Assert.Equal(2, guestFirst.Seq());
    }

    [Fact]
    public async Task ExcludedClientsDoNotReceive()
    {
        var room = TestIds.Room();
        await using var kept = await Server.ConnectAsync();
        await using var excluded = await Server.ConnectAsync();
        await using var caller = await Server.ConnectAsync();
        await kept.JoinAsync(room);
        await excluded.JoinAsync(room);

        await caller.RequestAsync("test", "sendToRooms", new { rooms = new[] { room }, text = "not for excluded", exclude = new[] { excluded.ClientId } });
        await caller.RequestAsync("test", "sendToRooms", new { rooms = new[] { room }, text = "for all" });

        Assert.Equal("not for excluded", (await kept.NextPushAsync("kept's first")).Text());
        Assert.Equal("for all", (await excluded.NextPushAsync("excluded's first: the excluded push skipped")).Text());
    }

    [Fact]
    public async Task SendToAllReachesEveryConnection()
    {
        await using var first = await Server.ConnectAsync();
        await using var second = await Server.ConnectAsync();
        var marker = Guid.NewGuid().ToString("N");

        await first.RequestAsync("test", "sendToAll", new { text = marker });

        await first.WaitForPushAsync(p => p.GetProperty("action").GetString() == "all" && p.Text() == marker, "first's broadcast");
        await second.WaitForPushAsync(p => p.GetProperty("action").GetString() == "all" && p.Text() == marker, "second's broadcast");
    }
}
