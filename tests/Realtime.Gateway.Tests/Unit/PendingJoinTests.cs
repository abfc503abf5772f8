using Realtime.Gateway.Delivery;
using Realtime.Rooms;

namespace Realtime.Gateway.Tests.Unit;

/// <summary>A join in flight as one object: committed with the cluster's answer, or aborted.</summary>
public sealed class PendingJoinTests
{
    private static RoomJoinResult Joined(long seq) => new(seq, "e1", false, []);

    private static void Publish(LocalRooms rooms, string room, long seq)
    {
        var push = new Realtime.Delivery.RoomPush(room, seq, SocketPair.Frame($"push-{seq}"), Epoch: "e1");
        if (rooms.Check(push) is { State: not SequenceState.Duplicate })
        {
            rooms.Deliver(room, seq, push.Frame, null, null);
        }
    }

    [Fact]
    public async Task ACommittedJoinWritesTheReplyThenWhatCameAfterTheJoinsSeq()
    {
        await using var pair = await SocketPair.OpenStartedAsync();
        var rooms = new LocalRooms();

        var join = rooms.BeginJoin("chat:a", pair.Connection);
        Publish(rooms, "chat:a", 4);
        Publish(rooms, "chat:a", 5);
        join.Commit(SocketPair.Frame("reply"), Joined(4), []);
        Publish(rooms, "chat:a", 6);

        Assert.Equal(["chat:a"], rooms.RoomsOf(pair.Connection));
        Assert.Equal("reply", await pair.NextAsync("the reply"));
        Assert.Equal("push-5", await pair.NextAsync("the push held during the join"));
        Assert.Equal("push-6", await pair.NextAsync("the live push"));
    }

    [Fact]
    public async Task ARefusedJoinTakesTheConnectionOutAndWritesTheError()
    {
        await using var pair = await SocketPair.OpenStartedAsync();
        var rooms = new LocalRooms();

        rooms.BeginJoin("chat:a", pair.Connection).Commit(SocketPair.Frame("error"), RoomJoinResult.Fail("FORBIDDEN", "no"), []);

        Assert.Empty(rooms.RoomsOf(pair.Connection));
        Assert.Equal(0, rooms.Count);
        Assert.Equal("error", await pair.NextAsync("the error reply"));
    }

    [Fact]
    public async Task JoiningOneRoomCanLeaveOthers()
    {
        await using var pair = await SocketPair.OpenStartedAsync();
        var rooms = new LocalRooms();
        rooms.BeginJoin("chat:old", pair.Connection).Commit(null, Joined(0), []);

        rooms.BeginJoin("chat:new", pair.Connection).Commit(null, Joined(0), ["chat:old"]);

        Assert.Equal(["chat:new"], rooms.RoomsOf(pair.Connection));
    }

    [Fact]
    public void AnAbortedFirstJoinLeavesNoMembership()
    {
        using var connection = SocketPair.Unstarted(1024);
        var rooms = new LocalRooms();

        rooms.BeginJoin("chat:a", connection).Abort();

        Assert.Empty(rooms.RoomsOf(connection));
        Assert.Equal(0, rooms.Count);
    }

    [Fact]
    public async Task AnAbortedRejoinStaysAMemberAndWritesWhatWasHeld()
    {
        await using var pair = await SocketPair.OpenStartedAsync();
        var rooms = new LocalRooms();
        rooms.BeginJoin("chat:a", pair.Connection).Commit(null, Joined(1), []);

        var rejoin = rooms.BeginJoin("chat:a", pair.Connection);
        Publish(rooms, "chat:a", 2);
        rejoin.Abort();

        Assert.Equal(["chat:a"], rooms.RoomsOf(pair.Connection));
        Assert.Equal("push-2", await pair.NextAsync("the push held by the failed rejoin"));
    }

    [Fact]
    public void AJoinIsCommittedOnce()
    {
        using var connection = SocketPair.Unstarted(1024);
        var join = new LocalRooms().BeginJoin("chat:a", connection);
        join.Commit(null, Joined(0), []);

        Assert.Throws<InvalidOperationException>(() => join.Commit(null, Joined(0), []));
    }
}
