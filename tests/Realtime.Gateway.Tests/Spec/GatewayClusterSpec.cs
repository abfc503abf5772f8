using System.Text;
using System.Threading.Channels;
using Realtime.Connections;
using Realtime.Delivery;
using Realtime.Gateway.Cluster;
using Realtime.Protocol;

namespace Realtime.Gateway.Tests.Spec;

/// <summary>
/// The gateway-to-cluster contract, one set of tests run against every implementation of
/// <see cref="IGatewayCluster"/>: the fake the gateway's unit tests use, the in-process test
/// cluster, and silo processes on Redis. A fake that passes here behaves as the cluster does.
/// </summary>
public abstract class GatewayClusterSpec
{
    protected abstract Task<IGatewayCluster> ClusterAsync();

    /// <summary>A gateway as the contract sees it: a lease, a subscription, what arrived on it.</summary>
    protected sealed class SpecGateway : IAsyncDisposable
    {
        private readonly Channel<GatewayMessage> _items = Channel.CreateUnbounded<GatewayMessage>();
        private IAsyncDisposable? _subscription;

        private SpecGateway(IGatewayCluster cluster) => Cluster = cluster;

        public string Id { get; } = "gw_spec_" + Guid.NewGuid().ToString("N")[..8];

        public IGatewayCluster Cluster { get; }

        public static async Task<SpecGateway> StartAsync(IGatewayCluster cluster)
        {
            var gateway = new SpecGateway(cluster);
            Assert.True(await cluster.RenewLeaseAsync(gateway.Id, TimeSpan.FromMinutes(2)));
            gateway._subscription = await cluster.SubscribeAsync(gateway.Id, items =>
            {
                foreach (var item in items)
                {
                    gateway._items.Writer.TryWrite(item);
                }

                return Task.CompletedTask;
            });
            return gateway;
        }

        public async Task<string> ConnectAsync(string? userId = null)
        {
            var clientId = "c_" + Guid.NewGuid().ToString("N")[..24];
            var result = await Cluster.RegisterAsync(clientId, new ClientRegistration(userId ?? TestIds.User(), Id, "/ws", [], DateTimeOffset.UtcNow));
            Assert.True(result.Accepted, result.Reason);
            return clientId;
        }

        /// <summary>The next item of type <typeparamref name="T"/> that matches, skipping the others.</summary>
        public async Task<T> NextAsync<T>(Func<T, bool> match, string what)
            where T : GatewayMessage
        {
            while (true)
            {
                var item = await _items.Reader.ReadAsync().AsTask().Within(what);
                if (item is T typed && match(typed))
                {
                    return typed;
                }
            }
        }

        /// <summary>Items until the one that matches <paramref name="barrier"/>, which is awaited: whatever came before it is seen.</summary>
        public async Task<List<GatewayMessage>> UntilAsync(Func<GatewayMessage, bool> barrier, string what)
        {
            List<GatewayMessage> before = [];
            while (true)
            {
                var item = await _items.Reader.ReadAsync().AsTask().Within(what);
                if (barrier(item))
                {
                    return before;
                }

                before.Add(item);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_subscription is not null)
            {
                await _subscription.DisposeAsync();
            }

            await Cluster.ReleaseLeaseAsync(Id);
        }
    }

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    private static ClientPublish Message(SpecGateway via, string room, string text, bool echo = false)
        => new(room, "chat", "message", Json($$"""{"text":"{{text}}"}"""), echo, Transient: false, via.Id);

    [Fact]
    public async Task APublishReachesTheGatewayOfEveryMemberInOrderWithItsSender()
    {
        var cluster = await ClusterAsync();
        await using var one = await SpecGateway.StartAsync(cluster);
        await using var two = await SpecGateway.StartAsync(cluster);
        var room = TestIds.Room("chat");
        var sender = await one.ConnectAsync();
        var member = await two.ConnectAsync();
        Assert.True((await cluster.JoinRoomAsync(sender, new ClientJoinRequest(room, null, null))).Room.Ok);
        Assert.True((await cluster.JoinRoomAsync(member, new ClientJoinRequest(room, null, null))).Room.Ok);

        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(i, (await cluster.PublishAsync(sender, Message(one, room, $"m{i}"))).Seq);
        }

        for (var i = 1; i <= 3; i++)
        {
            var push = await two.NextAsync<RoomPush>(p => p.Room == room, $"push {i} on the member's gateway");
            Assert.Equal(i, push.Seq);
            var frame = Encoding.UTF8.GetString(push.Frame);
            Assert.Contains($"\"m{i}\"", frame, StringComparison.Ordinal);
            Assert.Contains(sender, frame, StringComparison.Ordinal);
        }

        var own = await one.NextAsync<RoomPush>(p => p.Room == room, "the push on the sender's gateway");
        Assert.Contains(sender, own.Exclude ?? []);
    }

    [Fact]
    public async Task AJoinWithSinceGetsWhatWasMissedInOrder()
    {
        var cluster = await ClusterAsync();
        await using var gateway = await SpecGateway.StartAsync(cluster);
        var room = TestIds.Room("chat");
        var (reader, writer) = (await gateway.ConnectAsync(), await gateway.ConnectAsync());
        var joined = await cluster.JoinRoomAsync(reader, new ClientJoinRequest(room, null, null));
        await cluster.JoinRoomAsync(writer, new ClientJoinRequest(room, null, null));
        for (var i = 1; i <= 3; i++)
        {
            await cluster.PublishAsync(writer, Message(gateway, room, $"m{i}"));
        }

        var rejoin = await cluster.JoinRoomAsync(reader, new ClientJoinRequest(room, 1, joined.Room.Epoch));

        Assert.True(rejoin.Room.Recovered);
        Assert.Equal(3, rejoin.Room.Seq);
        Assert.Equal(joined.Room.Epoch, rejoin.Room.Epoch);
        Assert.Equal(["m2", "m3"], rejoin.Room.Missed.Select(f => Encoding.UTF8.GetString(f).Contains("\"m2\"", StringComparison.Ordinal) ? "m2" : "m3"));
    }

    [Fact]
    public async Task ASinceFromAnotherEpochIsNotRecovered()
    {
        var cluster = await ClusterAsync();
        await using var gateway = await SpecGateway.StartAsync(cluster);
        var room = TestIds.Room("chat");
        var client = await gateway.ConnectAsync();

        var join = await cluster.JoinRoomAsync(client, new ClientJoinRequest(room, 5, "not-this-epoch"));

        Assert.True(join.Room.Ok);
        Assert.False(join.Room.Recovered);
    }

    [Fact]
    public async Task APublishByANonMemberIsForbidden()
    {
        var cluster = await ClusterAsync();
        await using var gateway = await SpecGateway.StartAsync(cluster);
        var outsider = await gateway.ConnectAsync();

        var result = await cluster.PublishAsync(outsider, Message(gateway, TestIds.Room("chat"), "hi"));

        Assert.Equal(ErrorCodes.Forbidden, result.ErrorCode);
    }

    [Fact]
    public async Task APublishNamingAnotherGatewayThanTheSendersIsForbidden()
    {
        var cluster = await ClusterAsync();
        await using var home = await SpecGateway.StartAsync(cluster);
        await using var other = await SpecGateway.StartAsync(cluster);
        var room = TestIds.Room("chat");
        var member = await home.ConnectAsync();
        Assert.True((await cluster.JoinRoomAsync(member, new ClientJoinRequest(room, null, null))).Room.Ok);

        // The sender is the room's member on the gateway that sends the publish, never the connection id alone.
        var forged = await cluster.PublishAsync(member, Message(other, room, "not through its gateway"));
        var genuine = await cluster.PublishAsync(member, Message(home, room, "through its gateway"));

        Assert.Equal(ErrorCodes.Forbidden, forged.ErrorCode);
        Assert.Equal(1, genuine.Seq);
    }

    [Fact]
    public async Task AfterLeavingAMemberIsSentNothingMoreOfTheRoom()
    {
        var cluster = await ClusterAsync();
        await using var leaverGateway = await SpecGateway.StartAsync(cluster);
        await using var stayerGateway = await SpecGateway.StartAsync(cluster);
        var (left, barrier) = (TestIds.Room("chat"), TestIds.Room("chat"));
        var leaver = await leaverGateway.ConnectAsync();
        var stayer = await stayerGateway.ConnectAsync();
        foreach (var (client, room) in new[] { (leaver, left), (stayer, left), (leaver, barrier), (stayer, barrier) })
        {
            await cluster.JoinRoomAsync(client, new ClientJoinRequest(room, null, null));
        }

        await cluster.LeaveRoomAsync(leaver, left);
        await cluster.PublishAsync(stayer, Message(stayerGateway, left, "after the leave"));
        await cluster.PublishAsync(stayer, Message(stayerGateway, barrier, "barrier"));

        var before = await leaverGateway.UntilAsync(i => i is RoomPush p && p.Room == barrier, "the barrier push on the leaver's gateway");
        Assert.DoesNotContain(before, i => i is RoomPush p && p.Room == left);
    }

    [Fact]
    public async Task AnUnregisteredConnectionIsNoLongerAMember()
    {
        var cluster = await ClusterAsync();
        await using var gateway = await SpecGateway.StartAsync(cluster);
        var room = TestIds.Room("chat");
        var (gone, watcher) = (await gateway.ConnectAsync(), await gateway.ConnectAsync());
        await cluster.JoinRoomAsync(gone, new ClientJoinRequest(room, null, null));
        await cluster.JoinRoomAsync(watcher, new ClientJoinRequest(room, null, null));

        await cluster.UnregisterAsync(gone);
        await cluster.UnregisterAsync(gone);

        var presence = await cluster.GetPresenceAsync(watcher, room);
        Assert.True(presence.Ok, presence.Error);
        Assert.Equal([watcher], presence.Members.Select(m => m.ClientId));
    }

    [Fact]
    public async Task SetMetadataAnswersWithTheMetadataAfterItAndAGrowingVersion()
    {
        var cluster = await ClusterAsync();
        await using var gateway = await SpecGateway.StartAsync(cluster);
        var client = await gateway.ConnectAsync();

        var set = await cluster.SetMetadataAsync(client, "team", "red");
        var second = await cluster.SetMetadataAsync(client, "role", "admin");
        var removed = await cluster.SetMetadataAsync(client, "team", null);

        Assert.Equal(client, set.ClientId);
        Assert.Equal("red", set.Metadata["team"]);
        Assert.Equal(("admin", "red"), (second.Metadata["role"], second.Metadata["team"]));
        Assert.False(removed.Metadata.ContainsKey("team"));
        Assert.True(set.Version < second.Version && second.Version < removed.Version);
    }

    [Fact]
    public async Task TheHistoryAfterASeqHoldsThePushesAsSent()
    {
        var cluster = await ClusterAsync();
        await using var gateway = await SpecGateway.StartAsync(cluster);
        var room = TestIds.Room("chat");
        var client = await gateway.ConnectAsync();
        await cluster.JoinRoomAsync(client, new ClientJoinRequest(room, null, null));
        for (var i = 1; i <= 3; i++)
        {
            await cluster.PublishAsync(client, Message(gateway, room, $"m{i}", echo: true));
        }

        var pushes = new List<RoomPush>();
        for (var i = 1; i <= 3; i++)
        {
            pushes.Add(await gateway.NextAsync<RoomPush>(p => p.Room == room, $"push {i}"));
        }

        var slice = await cluster.GetRoomHistoryAsync(room, 1);

        Assert.Equal(3, slice.Seq);
        Assert.Equal(pushes[0].Epoch, slice.Epoch);
        Assert.Equal([2L, 3L], slice.Seqs);
        Assert.Equal(pushes[1].Frame, slice.Frames[0]);
        Assert.Equal(pushes[2].Frame, slice.Frames[1]);
    }

    [Fact]
    public async Task ATransientPublishHasNoSeqAndIsNotKept()
    {
        var cluster = await ClusterAsync();
        await using var gateway = await SpecGateway.StartAsync(cluster);
        var room = TestIds.Room("chat");
        var (sender, member) = (await gateway.ConnectAsync(), await gateway.ConnectAsync());
        await cluster.JoinRoomAsync(sender, new ClientJoinRequest(room, null, null));
        await cluster.JoinRoomAsync(member, new ClientJoinRequest(room, null, null));

        var result = await cluster.PublishAsync(sender, Message(gateway, room, "typing") with { Transient = true });
        var push = await gateway.NextAsync<RoomEventPush>(p => p.Room == room && Encoding.UTF8.GetString(p.Frame).Contains("typing", StringComparison.Ordinal), "the transient push");

        Assert.True(result.Ok);
        Assert.Equal(0, result.Seq);
        Assert.Contains("typing", Encoding.UTF8.GetString(push.Frame), StringComparison.Ordinal);
        Assert.Empty((await cluster.GetRoomHistoryAsync(room, 0)).Seqs);
    }

    [Fact]
    public async Task AnApplicationFrameWithoutAHandlerIsAnUnknownRoute()
    {
        var cluster = await ClusterAsync();
        await using var gateway = await SpecGateway.StartAsync(cluster);
        var client = await gateway.ConnectAsync();

        var reply = await cluster.HandleAsync(client, new InboundMessage("nothing", "here", []));

        Assert.Equal(ErrorCodes.UnknownRoute, reply.ErrorCode);
    }

    [Fact]
    public async Task ALeaseIsCountedUntilItIsReleased()
    {
        var cluster = await ClusterAsync();
        var before = await cluster.CountGatewaysAsync(CancellationToken.None);
        var gateway = await SpecGateway.StartAsync(cluster);

        Assert.Equal(before + 1, await cluster.CountGatewaysAsync(CancellationToken.None));
        await gateway.DisposeAsync();
        Assert.Equal(before, await cluster.CountGatewaysAsync(CancellationToken.None));
    }
}
