using Realtime.Gateway.Delivery;

namespace Realtime.Gateway.Tests.Unit;

/// <summary>Where a room's pushes fall in its sequence as one gateway sees them.</summary>
public sealed class LocalRoomTests
{
    [Fact]
    public void TheFirstPushSetsThePlaceAndTheNextOnesFollow()
    {
        var room = new LocalRoom("chat:a");

        Assert.Equal(SequenceState.Next, room.Check("e1", 5).State);
        Assert.Equal(SequenceState.Next, room.Check("e1", 6).State);
    }

    [Fact]
    public void AJoinsObservedPlaceIsWhereTheSequenceContinues()
    {
        var room = new LocalRoom("chat:a");
        room.Observe("e1", 10);
        room.Observe("e1", 3);

        Assert.Equal(new SequenceCheck(SequenceState.Next, 10), room.Check("e1", 11));
    }

    [Fact]
    public void AnOldOrRepeatedSeqIsADuplicate()
    {
        var room = new LocalRoom("chat:a");
        room.Observe("e1", 10);

        Assert.Equal(SequenceState.Duplicate, room.Check("e1", 10).State);
        Assert.Equal(SequenceState.Duplicate, room.Check("e1", 2).State);
        Assert.Equal(SequenceState.Next, room.Check("e1", 11).State);
    }

    [Fact]
    public void AJumpIsAGapAfterTheLastSeqSeen()
    {
        var room = new LocalRoom("chat:a");
        room.Observe("e1", 10);

        Assert.Equal(new SequenceCheck(SequenceState.Gap, 10), room.Check("e1", 14));
        Assert.Equal(new SequenceCheck(SequenceState.Next, 14), room.Check("e1", 15));
    }

    [Fact]
    public void AnotherEpochStartsAfresh()
    {
        var room = new LocalRoom("chat:a");
        room.Observe("e1", 10);

        Assert.Equal(SequenceState.NewEpoch, room.Check("e2", 1).State);
        Assert.Equal(SequenceState.Next, room.Check("e2", 2).State);
    }
}
