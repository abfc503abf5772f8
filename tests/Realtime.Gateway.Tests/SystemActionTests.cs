using System.Text.Json;

namespace Realtime.Gateway.Tests;

/// <summary>Every row of PROTOCOL.md's built-in actions table, over a real socket.</summary>
[Collection(GatewayCollection.Name)]
public sealed class SystemActionTests(GatewayFixture fixture) : LogCheckedTest
{
    private GatewayServer Server => fixture.Server;

    protected override LogCapture Logs => Server.Logs;

    [Fact]
    public async Task JoinRoomRepliesWithSeqEpochAndNothingMissed()
    {
        var room = TestIds.Room();
        await using var client = await Server.ConnectAsync();

        var reply = await client.RequestAsync("system", "joinRoom", new { roomName = room });

        Assert.Equal("system", reply.GetProperty("type").GetString());
        Assert.Equal("joinRoom", reply.GetProperty("action").GetString());
        var data = reply.GetProperty("data");
        Assert.Equal(room, data.GetProperty("roomName").GetString());
        Assert.Equal(0, data.GetProperty("seq").GetInt64());
        Assert.False(string.IsNullOrEmpty(data.GetProperty("epoch").GetString()));
        Assert.False(data.GetProperty("recovered").GetBoolean());
        Assert.Equal(0, data.GetProperty("missed").GetArrayLength());
    }

    [Fact]
    public async Task JoinRoomWithSinceReturnsTheMissedPushesInOrder()
    {
        var room = TestIds.Room();
        await using var alice = await Server.ConnectAsync();
        var epoch = (await alice.JoinAsync(room)).GetProperty("epoch").GetString();
        for (var i = 1; i <= 5; i++)
        {
            await alice.PublishAsync(room, new { text = $"m{i}" });
        }

        await using var bob = await Server.ConnectAsync();
        var data = await bob.JoinAsync(room, since: 2, epoch: epoch);

        Assert.True(data.GetProperty("recovered").GetBoolean());
        Assert.Equal(5, data.GetProperty("seq").GetInt64());
        var missed = data.GetProperty("missed").EnumerateArray().ToList();
        Assert.Equal([3L, 4L, 5L], missed.Select(m => m.Seq()));
        Assert.Equal(["m3", "m4", "m5"], missed.Select(m => m.Text()));
        Assert.All(missed, m =>
        {
            Assert.Equal(room, m.GetProperty("room").GetString());
            Assert.Equal(alice.ClientId, m.GetProperty("from").GetProperty("clientId").GetString());
        });
    }

    [Fact]
    public async Task JoinRoomWithSinceFromAnotherEpochIsNotRecovered()
    {
        var room = TestIds.Room();
        await using var alice = await Server.ConnectAsync();
        await alice.JoinAsync(room);
        await alice.PublishAsync(room, new { text = "m1" });

        var data = await alice.JoinAsync(room, since: 0, epoch: "not-this-epoch");

        Assert.False(data.GetProperty("recovered").GetBoolean());
        Assert.Equal(0, data.GetProperty("missed").GetArrayLength());
    }

    [Fact]
    public async Task JoinRoomWithSinceAtTheLastSeqIsRecoveredWithNothingMissed()
    {
        var room = TestIds.Room();
        await using var alice = await Server.ConnectAsync();
        var epoch = (await alice.JoinAsync(room)).GetProperty("epoch").GetString();
        await alice.PublishAsync(room, new { text = "m1" });

        await using var bob = await Server.ConnectAsync();
        var data = await bob.JoinAsync(room, since: 1, epoch: epoch);

        Assert.True(data.GetProperty("recovered").GetBoolean());
        Assert.Equal(0, data.GetProperty("missed").GetArrayLength());
    }

    [Fact]
    public async Task PushesAfterAJoinFollowItsReplyWithoutGaps()
    {
        var room = TestIds.Room();
        await using var alice = await Server.ConnectAsync();
        await alice.JoinAsync(room);
        await alice.PublishAsync(room, new { text = "before" });

        await using var bob = await Server.ConnectAsync();
        var seq = (await bob.JoinAsync(room)).GetProperty("seq").GetInt64();
        await alice.PublishAsync(room, new { text = "after" });

        var push = await bob.NextPushAsync("the first push after bob's join");
        Assert.Equal(seq + 1, push.Seq());
        Assert.Equal("after", push.Text());
    }

    [Fact]
    public async Task JoiningARoomAgainKeepsTheConnectionInItWithNothingLostOrRepeated()
    {
        var room = TestIds.Room();
        await using var alice = await Server.ConnectAsync();
        await using var bob = await Server.ConnectAsync();
        var epoch = (await alice.JoinAsync(room)).GetProperty("epoch").GetString();
        await bob.JoinAsync(room);
        await alice.PublishAsync(room, new { text = "m1" });

        var publishing = Task.Run(async () =>
        {
            for (var i = 2; i <= 20; i++)
            {
                await alice.PublishAsync(room, new { text = $"m{i}" });
            }
        });
        var again = await bob.JoinAsync(room, since: 0, epoch: epoch);
        await publishing;

        var seen = new SortedSet<long>(again.GetProperty("missed").EnumerateArray().Select(m => m.Seq()));
        var live = new List<long>();
        while (live.Count == 0 || live[^1] < 20)
        {
            live.Add((await bob.NextPushAsync($"bob's push after {live.LastOrDefault()}")).Seq());
        }

        Assert.Equal(live.Order(), live);
        seen.UnionWith(live);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), seen);
    }

    [Fact]
    public async Task LeaveRoomRepliesWithTheRoomAndStopsDelivery()
    {
        var room = TestIds.Room();
        await using var alice = await Server.ConnectAsync();
        await using var bob = await Server.ConnectAsync();
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);

        var reply = await bob.RequestAsync("system", "leaveRoom", new { roomName = room });
        await alice.PublishAsync(room, new { text = "while bob is away" });
        await bob.JoinAsync(room);
        await alice.PublishAsync(room, new { text = "bob is back" });

        Assert.Equal(room, reply.GetProperty("data").GetProperty("roomName").GetString());
        var push = await bob.NextPushAsync("the push after bob rejoined");
        Assert.Equal("bob is back", push.Text());
        Assert.Equal(2, push.Seq());
    }

    [Fact]
    public async Task PublishSkipsTheSenderUnlessEcho()
    {
        var room = TestIds.Room();
        await using var alice = await Server.ConnectAsync();
        await using var bob = await Server.ConnectAsync();
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);

        await alice.PublishAsync(room, new { text = "no echo" });
        await alice.PublishAsync(room, new { text = "echo" }, echo: true);

        var first = await alice.NextPushAsync("alice's echoed push");
        Assert.Equal("echo", first.Text());
        Assert.Equal(2, first.Seq());
        Assert.Equal("no echo", (await bob.NextPushAsync("bob's first push")).Text());
        Assert.Equal("echo", (await bob.NextPushAsync("bob's second push")).Text());
    }

    [Fact]
    public async Task ATransientPublishReachesTheMembersWithoutASeqAndIsNotKeptForRecovery()
    {
        var room = TestIds.Room();
        await using var alice = await Server.ConnectAsync();
        await using var bob = await Server.ConnectAsync();
        await alice.JoinAsync(room);
        var joined = await bob.JoinAsync(room);

        var reply = await alice.RequestAsync("system", "publish", new { roomName = room, type = "chat", action = "typing", data = new { on = true }, transient = true });
        var typing = await bob.NextPushAsync("the transient push");
        var seq = await alice.PublishAsync(room, new { text = "kept" });
        var kept = await bob.NextPushAsync("the kept push");
        var recovery = await bob.JoinAsync(room, since: 0, epoch: joined.GetProperty("epoch").GetString());

        Assert.Equal("{}", reply.GetProperty("data").GetRawText());
        Assert.Equal("typing", typing.GetProperty("action").GetString());
        Assert.Equal(room, typing.GetProperty("room").GetString());
        Assert.False(typing.TryGetProperty("seq", out _));
        Assert.Equal(alice.ClientId, typing.GetProperty("from").GetProperty("clientId").GetString());
        Assert.Equal(1, seq);
        Assert.Equal(1, kept.Seq());
        Assert.Equal([1L], recovery.GetProperty("missed").EnumerateArray().Select(p => p.Seq()));
    }

    [Fact]
    public async Task PublishByANonMemberIsForbidden()
    {
        var room = TestIds.Room();
        await using var client = await Server.ConnectAsync();

        var reply = await client.RequestAsync("system", "publish", new { roomName = room, type = "chat", action = "message", data = new { text = "x" } });

        reply.AssertError("FORBIDDEN");
        Assert.Equal("r1", reply.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("system")]
    [InlineData("presence")]
    public async Task PublishingAServerTypeIsRefused(string type)
    {
        var room = TestIds.Room();
        await using var client = await Server.ConnectAsync();
        await client.JoinAsync(room);

        var reply = await client.RequestAsync("system", "publish", new { roomName = room, type, action = "connected", data = new { } });

        reply.AssertError("INVALID_MESSAGE");
    }

    [Fact]
    public async Task FromIsTheSendersIdentityWhateverTheDataSays()
    {
        var room = TestIds.Room();
        await using var alice = await Server.ConnectAsync();
        await using var bob = await Server.ConnectAsync();
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);

        var frame = new { type = "system", action = "publish", data = new { roomName = room, type = "chat", action = "message", data = new { text = "x" }, from = new { clientId = bob.ClientId, userId = "admin" } } };
        await alice.SendTextAsync(JsonSerializer.Serialize(frame));
        var push = await bob.NextPushAsync("the push");

        Assert.Equal(alice.ClientId, push.GetProperty("from").GetProperty("clientId").GetString());
        Assert.Equal(JsonValueKind.Null, push.GetProperty("from").GetProperty("userId").ValueKind);
    }

    [Fact]
    public async Task PresenceListsTheRoomsMembers()
    {
        var room = TestIds.Room();
        await using var alice = await Server.ConnectAsync();
        await using var bob = await Server.ConnectAsync();
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);

        var reply = await alice.RequestAsync("system", "presence", new { roomName = room });

        var members = reply.GetProperty("data").GetProperty("members").EnumerateArray()
            .Select(m => m.GetProperty("clientId").GetString()).Order().ToList();
        Assert.Equal(new[] { alice.ClientId, bob.ClientId }.Order(), members);
    }

    [Fact]
    public async Task ClosedConnectionLeavesItsRooms()
    {
        var room = TestIds.Room();
        await using var alice = await Server.ConnectAsync();
        var bob = await Server.ConnectAsync();
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);

        await bob.DisposeAsync();

        await TestWait.Until(async () =>
        {
            var reply = await alice.RequestAsync("system", "presence", new { roomName = room });
            return reply.GetProperty("data").GetProperty("members").GetArrayLength() == 1;
        }, "bob's membership to go once his socket closed");
    }

    [Fact]
    public async Task AConnectionThatDropsWithoutClosingLeavesItsRoomsWhenItsResumeWindowIsOver()
    {
        var room = TestIds.Room();
        await using var alice = await Server.ConnectAsync();
        await using var bob = await Server.ConnectAsync();
        await alice.JoinAsync(room);
        await bob.JoinAsync(room);

        await bob.AbortAsync();

        await TestWait.Until(async () =>
        {
            var reply = await alice.RequestAsync("system", "presence", new { roomName = room });
            return reply.GetProperty("data").GetProperty("members").GetArrayLength() == 1;
        }, "bob's membership to go once his connection dropped and his one-second resume window is over");
    }

    [Fact]
    public async Task MembersOfAPresenceRoomAreToldWhoJoinsAndLeaves()
    {
        // The shipped configuration turns presence pushes on for the `chat` category.
        var room = TestIds.Room("chat");
        await using var alice = await Server.ConnectAsync();
        var bob = await Server.ConnectAsync();
        await alice.JoinAsync(room);

        await bob.JoinAsync(room);
        var joined = await alice.NextPushAsync("the presence join push");
        await bob.DisposeAsync();
        var left = await alice.NextPushAsync("the presence leave push");

        Assert.Equal(("presence", "join", room), (joined.GetProperty("type").GetString(), joined.GetProperty("action").GetString(), joined.GetProperty("room").GetString()));
        Assert.Equal(bob.ClientId, joined.GetProperty("data").GetProperty("clientId").GetString());
        Assert.False(joined.TryGetProperty("seq", out _));
        Assert.Equal("leave", left.GetProperty("action").GetString());
        Assert.Equal(bob.ClientId, left.GetProperty("data").GetProperty("clientId").GetString());
    }

    [Theory]
    [InlineData("""{"n":1,"s":"x"}""")]
    [InlineData("42")]
    [InlineData("\"text\"")]
    [InlineData("[1,2,3]")]
    public async Task PingRepliesWithTheSameData(string data)
    {
        await using var client = await Server.ConnectAsync();

        var reply = await client.RequestRawAsync("p1", $$"""{"type":"system","action":"ping","id":"p1","data":{{data}}}""");

        Assert.True(reply.GetProperty("ok").GetBoolean());
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(data).RootElement), JsonSerializer.Serialize(reply.GetProperty("data")));
    }

    [Fact]
    public async Task PingWithoutIdIsAnsweredWithAPongPush()
    {
        await using var client = await Server.ConnectAsync();

        await client.SendTextAsync("""{"type":"system","action":"ping","data":{"n":7}}""");
        var push = await client.NextPushAsync("the pong");

        Assert.Equal("pong", push.GetProperty("action").GetString());
        Assert.Equal(7, push.GetProperty("data").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task NumericIdIsEchoedAsItWasSent()
    {
        await using var client = await Server.ConnectAsync();

        var reply = await client.RequestRawAsync("17", """{"type":"system","action":"ping","id":17}""");

        Assert.Equal(JsonValueKind.Number, reply.GetProperty("id").ValueKind);
        Assert.Equal(17, reply.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task SetMetadataRepliesAndHandlersSeeIt()
    {
        await using var client = await Server.ConnectAsync();

        var reply = await client.RequestAsync("system", "setMetadata", new { key = "name", value = "Ada" });
        await client.RequestAsync("system", "setMetadata", new { key = "level", value = 3 });
        var seen = await client.RequestAsync("test", "metadata");

        Assert.True(reply.GetProperty("ok").GetBoolean());
        Assert.Equal(JsonValueKind.Object, reply.GetProperty("data").ValueKind);
        Assert.Empty(reply.GetProperty("data").EnumerateObject());
        Assert.Equal("Ada", seen.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal("3", seen.GetProperty("data").GetProperty("level").GetString());
    }

    [Fact]
    public async Task SetMetadataWithNullRemovesTheKey()
    {
        await using var client = await Server.ConnectAsync();
        await client.RequestAsync("system", "setMetadata", new { key = "name", value = "Ada" });

        await client.RequestRawAsync("m2", """{"type":"system","action":"setMetadata","id":"m2","data":{"key":"name","value":null}}""");
        var seen = await client.RequestAsync("test", "metadata");

        Assert.False(seen.GetProperty("data").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task UnknownSystemActionIsAnUnknownRoute()
    {
        await using var client = await Server.ConnectAsync();

        var reply = await client.RequestAsync("system", "teleport", new { });

        reply.AssertError("UNKNOWN_ROUTE");
    }

    [Theory]
    [InlineData("joinRoom", "{}")]
    [InlineData("joinRoom", """{"roomName":""}""")]
    [InlineData("joinRoom", """{"roomName":42}""")]
    [InlineData("joinRoom", """{"roomName":"\ud800"}""")]
    [InlineData("joinRoom", """{"roomName":"chat:x","since":-1}""")]
    [InlineData("joinRoom", """{"roomName":"chat:x","since":"3"}""")]
    [InlineData("leaveRoom", "[]")]
    [InlineData("publish", """{"roomName":"chat:x"}""")]
    [InlineData("publish", """{"roomName":"chat:x","type":"chat","action":"m","echo":"yes"}""")]
    [InlineData("presence", "null")]
    [InlineData("joinRoom", """{"roomName":" "}""")]
    [InlineData("joinRoom", """{"roomName":"\u3000"}""")]
    [InlineData("leaveRoom", """{"roomName":"\u00a0"}""")]
    [InlineData("joinRoom", """{"roomName":"chat:a\u200bb"}""")]
    [InlineData("publish", """{"roomName":"chat:\u202ex","type":"chat","action":"m"}""")]
    [InlineData("setMetadata", """{"value":"x"}""")]
    [InlineData("setMetadata", """{"key":"k"}""")]
    public async Task BuiltInActionWithBadDataIsAnInvalidMessage(string action, string data)
    {
        await using var client = await Server.ConnectAsync();

        var reply = await client.RequestRawAsync("b1", $$"""{"type":"system","action":"{{action}}","id":"b1","data":{{data}}}""");
        var stillWorks = await client.RequestAsync("system", "ping");

        reply.AssertError("INVALID_MESSAGE");
        Assert.True(stillWorks.GetProperty("ok").GetBoolean());
    }
}
