namespace Realtime.Gateway.Tests;

/// <summary>The <c>IRealtime</c> facade used from a handler and from a grain, end to end.</summary>
[Collection(GatewayCollection.Name)]
public sealed class FacadeTests(GatewayFixture fixture) : LogCheckedTest
{
    private GatewayServer Server => fixture.Server;

    protected override LogCapture Logs => Server.Logs;

    [Fact]
    public async Task AHandlerCanPutItsOwnConnectionInARoom()
    {
        var room = TestIds.Room();
        await using var member = await Server.ConnectAsync();
        await using var client = await Server.ConnectAsync();
        await member.JoinAsync(room);
        await member.PublishAsync(room, new { text = "before" });

        var reply = await client.RequestAsync("facade", "join", new { room });
        var joined = await client.NextPushAsync("the roomJoined push");
        await member.PublishAsync(room, new { text = "after" });
        var push = await client.NextPushAsync("the first push of the room");

        Assert.Equal(1, reply.GetProperty("data").GetInt64());
        Assert.Equal(("system", "roomJoined", room), (joined.GetProperty("type").GetString(), joined.GetProperty("action").GetString(), joined.GetProperty("room").GetString()));
        Assert.Equal(1, joined.GetProperty("data").GetProperty("seq").GetInt64());
        Assert.Equal(("after", 2L), (push.Text(), push.Seq()));
    }

    [Fact]
    public async Task AHandlerCanTakeItsConnectionOutOfARoom()
    {
        var room = TestIds.Room();
        var other = TestIds.Room();
        await using var member = await Server.ConnectAsync();
        await using var client = await Server.ConnectAsync();
        await member.JoinAsync(room);
        await member.JoinAsync(other);
        await client.JoinAsync(room);
        await client.JoinAsync(other);

        await client.RequestAsync("facade", "leave", new { room });
        var left = await client.NextPushAsync("the roomLeft push");
        await member.PublishAsync(room, new { text = "not for the client any more" });
        await member.PublishAsync(other, new { text = "marker" });

        Assert.Equal("roomLeft", left.GetProperty("action").GetString());
        Assert.Equal("marker", (await client.NextPushAsync("the client's next push")).Text());
        Assert.Equal(1, (await client.RequestAsync("facade", "members", new { room })).GetProperty("data").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task MetadataSetByTheServerIsWhatFiltersSee()
    {
        var room = TestIds.Room();
        await using var client = await Server.ConnectAsync();
        await using var caller = await Server.ConnectAsync();
        await client.JoinAsync(room);

        var tagged = await client.RequestAsync("facade", "tag", new { key = "tier", value = "gold" });
        await caller.RequestAsync("test", "sendToRooms", new { rooms = new[] { room }, text = "gold only", filter = new Dictionary<string, string> { ["tier"] = "gold" } });

        Assert.Equal("gold", tagged.GetProperty("data").GetProperty("tier").GetString());
        Assert.Equal("gold only", (await client.NextPushAsync("the filtered push")).Text());
    }

    [Fact]
    public async Task RoomMembersAndTheirCountAreKnown()
    {
        var room = TestIds.Room();
        await using var first = await Server.ConnectAsync();
        await using var second = await Server.ConnectAsync();
        await first.JoinAsync(room);
        await second.JoinAsync(room);

        var reply = (await first.RequestAsync("facade", "members", new { room })).GetProperty("data");

        Assert.Equal(2, reply.GetProperty("count").GetInt32());
        Assert.Equal(new[] { first.ClientId, second.ClientId }.Order(), reply.GetProperty("members").EnumerateArray().Select(m => m.GetString()).Order());
    }

    [Fact]
    public async Task SendToAPathReachesOnlyTheConnectionsOnIt()
    {
        await using var onAlt = await Server.ConnectAsync("/ws/alt");
        await using var onDefault = await Server.ConnectAsync();
        var marker = Guid.NewGuid().ToString("N");

        await onDefault.RequestAsync("facade", "toPath", new { path = "/ws/alt", text = marker });
        await onDefault.RequestAsync("facade", "toPath", new { path = "/ws", text = "default " + marker });

        Assert.Equal(marker, (await onAlt.WaitForPushAsync(p => p.GetProperty("action").GetString() == "path", "the push to /ws/alt")).Text());
        Assert.Equal("default " + marker, (await onDefault.WaitForPushAsync(p => p.GetProperty("action").GetString() == "path", "the push to /ws")).Text());
    }

    [Fact]
    public async Task AGrainCanPushToAConnection()
    {
        await using var client = await Server.ConnectAsync();

        await client.RequestAsync("facade", "viaGrain");

        var push = await client.NextPushAsync("the grain's push");
        Assert.Equal(("facade", "grain", "from a grain"), (push.GetProperty("type").GetString(), push.GetProperty("action").GetString(), push.Text()));
    }
}
