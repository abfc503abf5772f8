using Realtime.Gateway.Delivery;
using Realtime.Protocol;

namespace Realtime.Gateway.Tests.Unit;

/// <summary>A join in flight holds the room's pushes; its activation writes the reply first, then what was held.</summary>
public sealed class RoomMembershipTests
{
    [Fact]
    public async Task PushesDuringAJoinWaitForTheReplyAndThoseTheJoinCoversAreDropped()
    {
        await using var pair = await SocketPair.OpenStartedAsync();
        var membership = new RoomMembership(pair.Connection, "chat:a");

        membership.Deliver(5, SocketPair.Frame("push-5"));
        membership.Deliver(6, SocketPair.Frame("push-6"));
        membership.Activate(SocketPair.Frame("reply"), seq: 5);
        membership.Deliver(7, SocketPair.Frame("push-7"));

        Assert.True(membership.IsLive);
        Assert.Equal("reply", await pair.NextAsync("the join reply, first"));
        Assert.Equal("push-6", await pair.NextAsync("the held push after the join's seq"));
        Assert.Equal("push-7", await pair.NextAsync("the live push"));
    }

    [Fact]
    public async Task ARejoinKeepsEveryHeldPushAfterItsReply()
    {
        await using var pair = await SocketPair.OpenStartedAsync();
        var membership = new RoomMembership(pair.Connection, "chat:a");
        membership.Activate(null, seq: 3);

        membership.HoldForRejoin();
        membership.Deliver(4, SocketPair.Frame("push-4"));
        membership.Activate(SocketPair.Frame("rejoin reply"), seq: 4);

        Assert.Equal("rejoin reply", await pair.NextAsync("the rejoin's reply"));
        Assert.Equal("push-4", await pair.NextAsync("the push held by the rejoin"));
    }

    [Fact]
    public async Task AResyncDuringAJoinComesAfterTheReplyAndTheHeldPushes()
    {
        await using var pair = await SocketPair.OpenStartedAsync();
        var membership = new RoomMembership(pair.Connection, "chat:a");

        membership.DeliverResync(SocketPair.Frame("resync"));
        membership.Deliver(2, SocketPair.Frame("push-2"));
        membership.Activate(SocketPair.Frame("reply"), seq: 1);

        Assert.Equal("reply", await pair.NextAsync("the reply"));
        Assert.Equal("push-2", await pair.NextAsync("the held push"));
        Assert.Equal("resync", await pair.NextAsync("the held resync, last"));
    }

    [Fact]
    public async Task PresenceEventsDuringAJoinAreDropped()
    {
        await using var pair = await SocketPair.OpenStartedAsync();
        var membership = new RoomMembership(pair.Connection, "chat:a");

        membership.DeliverEvent(SocketPair.Frame("presence while joining"));
        membership.Activate(SocketPair.Frame("reply"), seq: 0);
        membership.DeliverEvent(SocketPair.Frame("presence when live"));

        Assert.Equal("reply", await pair.NextAsync("the reply"));
        Assert.Equal("presence when live", await pair.NextAsync("the live presence event"));
    }

    [Fact]
    public void HoldingMoreThanTheSendQueueClosesWith4001()
    {
        using var connection = SocketPair.Unstarted(maxQueueBytes: 100);
        var membership = new RoomMembership(connection, "chat:a");

        membership.Deliver(1, new byte[60]);
        Assert.Equal(0, connection.CloseCode);
        membership.Deliver(2, new byte[60]);

        Assert.Equal(CloseCodes.SlowConsumer, connection.CloseCode);
    }
}
