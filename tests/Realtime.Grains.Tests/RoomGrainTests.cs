using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Realtime.Grains.Rooms;
using Realtime.Delivery;
using Realtime.Protocol;
using Realtime.Rooms;

namespace Realtime.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class RoomGrainTests(ClusterFixture fixture) : LogCheckedTest
{
    private IGrainFactory Grains => fixture.Grains;

    protected override LogCapture Logs => fixture.Logs;

    private static RoomPublishRequest Message(string text, string? fromClient = null)
        => new(fromClient is null ? null : new MessageSender(fromClient, null), "chat", "message", Encoding.UTF8.GetBytes($$"""{"text":"{{text}}"}"""));

    private static string TextOf(byte[] frame) => JsonDocument.Parse(frame).RootElement.GetProperty("data").GetProperty("text").GetString()!;

    [Fact]
    public async Task MembersAreKnownWithTheirGateways()
    {
        var room = Grains.GetRoomGrain(Keys.Room());
        var (a, b, c) = (Keys.Client(), Keys.Client(), Keys.Client());

        await room.Join(new RoomJoinRequest(a, "u1", "gw_a"));
        await room.Join(new RoomJoinRequest(b, null, "gw_a"));
        await room.Join(new RoomJoinRequest(c, "u3", "gw_b"));
        await room.Join(new RoomJoinRequest(c, "u3", "gw_b"));

        var members = await room.GetMembers();
        Assert.Equal(3, members.Length);
        Assert.Contains(new RoomMember(a, "u1", "gw_a"), members);
        Assert.Equal(["gw_a", "gw_b"], (await room.GetGateways()).Order());
    }

    [Fact]
    public async Task LeavingTheLastMemberOfAGatewayDropsTheGateway()
    {
        var room = Grains.GetRoomGrain(Keys.Room());
        var (a, b) = (Keys.Client(), Keys.Client());
        await room.Join(new RoomJoinRequest(a, null, "gw_a"));
        await room.Join(new RoomJoinRequest(b, null, "gw_b"));

        Assert.True(await room.Leave(b));
        Assert.False(await room.Leave(b));

        Assert.Equal(["gw_a"], await room.GetGateways());
        Assert.Single(await room.GetMembers());
    }

    [Fact]
    public async Task ConcurrentPublishesGetConsecutiveSeqsWithNoGaps()
    {
        var room = Grains.GetRoomGrain(Keys.Room());

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => room.Publish(Message($"m{i}"))));

        Assert.All(results, r => Assert.True(r.Ok));
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), results.Select(r => r.Seq).Order());
    }

    [Fact]
    public async Task ABroadcastIsOneStreamItemPerGatewayWithMembers()
    {
        await using var gatewayA = await fixture.ProbeAsync();
        await using var gatewayB = await fixture.ProbeAsync();
        await using var gatewayC = await fixture.ProbeAsync();
        var roomName = Keys.Room();
        var room = Grains.GetRoomGrain(roomName);
        for (var i = 0; i < 100; i++)
        {
            await room.Join(new RoomJoinRequest(Keys.Client(), null, gatewayA.GatewayId));
        }

        for (var i = 0; i < 50; i++)
        {
            await room.Join(new RoomJoinRequest(Keys.Client(), null, gatewayB.GatewayId));
        }

        await room.Publish(Message("one"));
        await room.Publish(Message("two"));

        foreach (var gateway in new[] { gatewayA, gatewayB })
        {
            var first = await gateway.NextAsync<RoomPush>($"the first item on {gateway.GatewayId}");
            var second = await gateway.NextAsync<RoomPush>($"the second item on {gateway.GatewayId}");
            Assert.Equal((roomName, 1L, "one"), (first.Room, first.Seq, TextOf(first.Frame)));
            Assert.Equal((roomName, 2L, "two"), (second.Room, second.Seq, TextOf(second.Frame)));
        }

        // A third publish is the next thing on gateway A: nothing per member was sent in between.
        await room.Publish(Message("three"));
        Assert.Equal(3, (await gatewayA.NextAsync<RoomPush>("the third item on gateway A")).Seq);
        await gatewayC.AssertNothingSentAsync("a gateway without members must receive nothing");
    }

    [Fact]
    public async Task ThePushFrameIsWrittenOnceWithRoomSeqAndFrom()
    {
        await using var gateway = await fixture.ProbeAsync();
        var roomName = Keys.Room();
        var room = Grains.GetRoomGrain(roomName);
        var sender = Keys.Client();
        await room.Join(new RoomJoinRequest(sender, "u42", gateway.GatewayId));

        await room.Publish(new RoomPublishRequest(new MessageSender(sender, "someone-else"), "chat", "message", """{"text":"hi"}"""u8.ToArray(), Echo: true));

        var push = await gateway.NextAsync<RoomPush>("the broadcast");
        var frame = JsonDocument.Parse(push.Frame).RootElement;
        Assert.Equal(roomName, frame.GetProperty("room").GetString());
        Assert.Equal(1, frame.GetProperty("seq").GetInt64());
        Assert.Equal(sender, frame.GetProperty("from").GetProperty("clientId").GetString());
        Assert.Equal("u42", frame.GetProperty("from").GetProperty("userId").GetString());
        Assert.Null(push.Exclude);
    }

    [Fact]
    public async Task WithoutEchoTheSenderIsExcludedAtTheGateway()
    {
        await using var gateway = await fixture.ProbeAsync();
        var room = Grains.GetRoomGrain(Keys.Room());
        var sender = Keys.Client();
        await room.Join(new RoomJoinRequest(sender, null, gateway.GatewayId));

        await room.Publish(Message("x", sender));

        Assert.Equal([sender], (await gateway.NextAsync<RoomPush>("the broadcast")).Exclude!);
    }

    [Fact]
    public async Task PublishingWithoutBeingAMemberIsForbiddenButTheServerMayAlways()
    {
        var room = Grains.GetRoomGrain(Keys.Room());

        var byStranger = await room.Publish(Message("x", Keys.Client()));
        var byServer = await room.Publish(Message("y"));

        Assert.Equal(ErrorCodes.Forbidden, byStranger.ErrorCode);
        Assert.True(byServer.Ok);
        Assert.Equal(1, byServer.Seq);
    }

    [Fact]
    public async Task HistoryKeepsTheLastPushesAndSaysWhenOlderOnesAreGone()
    {
        var room = Grains.GetRoomGrain(Keys.Room());
        var member = Keys.Client();
        var epoch = (await room.Join(new RoomJoinRequest(member, null, "gw_x"))).Epoch;
        for (var i = 1; i <= 30; i++)
        {
            await room.Publish(Message($"m{i}"));
        }

        var fromStart = await room.Join(new RoomJoinRequest(member, null, "gw_x", Since: 0, Epoch: epoch));
        var fromTen = await room.Join(new RoomJoinRequest(member, null, "gw_x", Since: 10, Epoch: epoch));

        Assert.False(fromStart.Recovered);
        Assert.Equal(ClusterFixture.HistorySize, fromStart.Missed.Length);
        Assert.Equal("m11", TextOf(fromStart.Missed[0]));
        Assert.True(fromTen.Recovered);
        Assert.Equal(Enumerable.Range(11, 20).Select(i => $"m{i}"), fromTen.Missed.Select(TextOf));
        Assert.Equal(30, fromTen.Seq);
    }

    [Fact]
    public async Task RecoveryNeedsTheRoomsEpoch()
    {
        var room = Grains.GetRoomGrain(Keys.Room());
        var member = Keys.Client();
        var join = await room.Join(new RoomJoinRequest(member, null, "gw_x"));
        await room.Publish(Message("m1"));

        var otherEpoch = await room.Join(new RoomJoinRequest(member, null, "gw_x", Since: 0, Epoch: "elsewhere"));
        var noEpoch = await room.Join(new RoomJoinRequest(member, null, "gw_x", Since: 0));
        var future = await room.Join(new RoomJoinRequest(member, null, "gw_x", Since: 5, Epoch: join.Epoch));

        Assert.False(otherEpoch.Recovered);
        Assert.Empty(otherEpoch.Missed);
        Assert.True(noEpoch.Recovered);
        Assert.Single(noEpoch.Missed);
        Assert.False(future.Recovered);
    }

    [Fact]
    public async Task EpochSeqAndHistorySurviveDeactivation()
    {
        var roomName = Keys.Room();
        var room = Grains.GetRoomGrain(roomName);
        var member = Keys.Client();
        var epoch = (await room.Join(new RoomJoinRequest(member, null, "gw_x"))).Epoch;
        await room.Publish(Message("m1"));
        await room.Publish(Message("m2"));

        await fixture.Cluster.DeactivateAsync(room);
        var after = await room.Join(new RoomJoinRequest(member, null, "gw_x", Since: 0, Epoch: epoch));
        var next = await room.Publish(Message("m3"));

        Assert.Equal(epoch, after.Epoch);
        Assert.True(after.Recovered);
        Assert.Equal(["m1", "m2"], after.Missed.Select(TextOf));
        Assert.Equal(3, next.Seq);
        Assert.Equal(["gw_x"], await room.GetGateways());
    }

    [Fact]
    public async Task ABigRoomWritesOneSmallRecordPerJoinAndLoadsEveryMemberBack()
    {
        var roomName = Keys.Room();
        var room = Grains.GetRoomGrain(roomName);
        var clients = Enumerable.Range(0, 300).Select(_ => Keys.Client()).ToList();

        // Joins arriving together share their writes.
        await Task.WhenAll(clients.Select((c, i) => room.Join(new RoomJoinRequest(c, $"u{i % 7}", i % 2 == 0 ? "gw_a" : "gw_b"))));

        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(RealtimeStorage.Name);
        var grainId = room.GetGrainId();
        var root = new GrainState<RoomGrainState>(new RoomGrainState());
        await storage.ReadStateAsync("room", grainId, root);
        var count = root.State!.MemberRecords;
        Assert.True(count * RoomMembers.MembersPerRecord >= 300, $"{count} records");
        var before = await ReadRecords(storage, grainId, count);
        Assert.Equal(300, root.State.Members.Count + before.Sum(r => r.State!.Count));
        Assert.All(before, r => Assert.True(r.State!.Count <= 2 * RoomMembers.MembersPerRecord));

        // One more member: its home record is written, and no other.
        var last = Keys.Client();
        await room.Join(new RoomJoinRequest(last, null, "gw_c"));
        var after = await ReadRecords(storage, grainId, count);
        var home = RoomMembers.HomeOf(last, count);
        var changed = Enumerable.Range(1, count - 1).Where(i => before[i - 1].ETag != after[i - 1].ETag).ToList();
        Assert.Equal(home == 0 ? [] : [home], changed);

        await fixture.Cluster.DeactivateAsync(room);

        Assert.Equal(301, await room.GetMemberCount());
        Assert.Equal(["gw_a", "gw_b", "gw_c"], (await room.GetGateways()).Order());
        Assert.True(await room.Leave(clients[0]));
        Assert.Equal(300, await room.GetMemberCount());
    }

    private static async Task<List<GrainState<Dictionary<string, RoomMember>>>> ReadRecords(IGrainStorage storage, GrainId grainId, int count)
    {
        var records = new List<GrainState<Dictionary<string, RoomMember>>>();
        for (var i = 1; i < count; i++)
        {
            var record = new GrainState<Dictionary<string, RoomMember>>(new Dictionary<string, RoomMember>());
            await storage.ReadStateAsync($"roomMembers.{i}", grainId, record);
            records.Add(record);
        }

        return records;
    }

    [Fact]
    public async Task RoomsOfAPresenceCategoryTellTheirMembersWhoJoinsAndLeaves()
    {
        await using var gateway = await fixture.ProbeAsync();
        var roomName = Keys.Room("live");
        var room = Grains.GetRoomGrain(roomName);
        var (first, second) = (Keys.Client(), Keys.Client());
        await room.Join(new RoomJoinRequest(first, "u1", gateway.GatewayId));

        await room.Join(new RoomJoinRequest(second, "u2", gateway.GatewayId));
        await room.Leave(second);

        var joinedFirst = await gateway.NextAsync<RoomEventPush>("first's own join event");
        var joined = await gateway.NextAsync<RoomEventPush>("second's join event");
        var left = await gateway.NextAsync<RoomEventPush>("second's leave event");
        Assert.Equal([first], joinedFirst.Exclude!);
        Assert.Equal([second], joined.Exclude!);
        var joinFrame = JsonDocument.Parse(joined.Frame).RootElement;
        Assert.Equal(("presence", "join", roomName), (joinFrame.GetProperty("type").GetString(), joinFrame.GetProperty("action").GetString(), joinFrame.GetProperty("room").GetString()));
        Assert.Equal(second, joinFrame.GetProperty("data").GetProperty("clientId").GetString());
        Assert.Equal("u2", joinFrame.GetProperty("data").GetProperty("userId").GetString());
        Assert.Equal("leave", JsonDocument.Parse(left.Frame).RootElement.GetProperty("action").GetString());
        Assert.Null(left.Exclude);
    }

    [Fact]
    public async Task RoomsOfOtherCategoriesSendNoPresenceEvents()
    {
        await using var gateway = await fixture.ProbeAsync();
        var room = Grains.GetRoomGrain(Keys.Room("chat"));
        await room.Join(new RoomJoinRequest(Keys.Client(), null, gateway.GatewayId));
        await room.Join(new RoomJoinRequest(Keys.Client(), null, gateway.GatewayId));

        await room.Publish(Message("marker"));

        Assert.IsType<RoomPush>(await gateway.NextAsync<GatewayMessage>("the marker broadcast"));
    }

    [Fact]
    public async Task ATransientPublishKeepsItsFilterAndExcludeList()
    {
        await using var gateway = await fixture.ProbeAsync();
        var room = Grains.GetRoomGrain(Keys.Room());
        await room.Join(new RoomJoinRequest(Keys.Client(), null, gateway.GatewayId));
        var filter = new Dictionary<string, string> { ["team"] = "red" };

        await room.Publish(Message("typing") with { Transient = true, Filter = filter, Exclude = ["c_skip"] });

        var push = await gateway.NextAsync<RoomEventPush>("the transient push");
        Assert.Equal(filter, push.Filter);
        Assert.Equal(["c_skip"], push.Exclude ?? []);
        Assert.Equal("typing", TextOf(push.Frame));
    }
}
