using System.Text;
using Realtime.Protocol;

namespace Realtime.Gateway.Tests.Unit;

/// <summary>One connection's send queue: order, the first frame, the overflow rule, the close.</summary>
public sealed class ConnectionSendQueueTests
{
    private static byte[] Frame(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task NothingIsWrittenBeforeStartAndTheFirstFrameGoesFirst()
    {
        await using var pair = await SocketPair.OpenAsync();
        Assert.True(pair.Connection.Send(Frame("held-1")));
        Assert.True(pair.Connection.Send(Frame("held-2")));

        pair.Connection.Start(Frame("connected"));
        pair.Connection.Send(Frame("after"));

        Assert.Equal("connected", await pair.NextAsync("the first frame"));
        Assert.Equal("held-1", await pair.NextAsync("the first held frame"));
        Assert.Equal("held-2", await pair.NextAsync("the second held frame"));
        Assert.Equal("after", await pair.NextAsync("the frame sent after the start"));
    }

    [Fact]
    public void PastItsCapTheQueueTakesABurstUpToItsHardLimitThenClosesWith4001()
    {
        using var connection = SocketPair.Unstarted(maxQueueBytes: 100);

        Assert.True(connection.Send(new byte[60]));
        Assert.True(connection.Send(new byte[60]), "past the cap, not stalled: the frame is queued");
        Assert.Equal(0, connection.CloseCode);
        Assert.True(connection.Send(new byte[250]), "up to four times the cap");
        Assert.False(connection.Send(new byte[60]));
        Assert.Equal(CloseCodes.SlowConsumer, connection.CloseCode);
        Assert.False(connection.Send(new byte[1]));
    }

    [Fact]
    public void AConnectionIsStalledOnlyPastItsCapAndOnlyWhenNothingWasWrittenForTheStallTimeout()
    {
        using var connection = SocketPair.Unstarted(maxQueueBytes: 100);
        var now = Environment.TickCount64;
        var later = now + (long)Realtime.Gateway.Connections.Connection.DefaultStallTimeout.TotalMilliseconds + 1000;
        connection.Send(new byte[90]);

        Assert.False(connection.IsStalled(later), "within its cap: never stalled");
        connection.Send(new byte[90]);
        Assert.False(connection.IsStalled(now), "past its cap, but the writer's time is not up");
        Assert.True(connection.IsStalled(later));
    }

    [Fact]
    public async Task APublisherWaitingForAMemberPastItsCapGoesOnWhenTheMemberHasDrained()
    {
        await using var pair = await SocketPair.OpenAsync(maxQueueBytes: 1024);
        Assert.True(pair.Connection.WhenDrained().IsCompleted);
        for (var i = 0; i < 3; i++)
        {
            pair.Connection.Send(Frame(new string('x', 600)));
        }

        // Held until the start, as before `connected`: past the cap, not written.
        var drained = pair.Connection.WhenDrained();
        Assert.False(drained.IsCompleted);
        pair.Connection.Start(Frame("connected"));

        await drained.Within("the member to drain");
        Assert.Equal("connected", await pair.NextAsync("the first frame"));
    }

    [Fact]
    public void AFrameLargerThanTheQueueStillGoesWhenTheQueueIsEmpty()
    {
        using var connection = SocketPair.Unstarted(maxQueueBytes: 100);

        Assert.True(connection.Send(new byte[500]));
        Assert.Equal(0, connection.CloseCode);
        Assert.False(connection.Send(new byte[1]));
    }

    [Fact]
    public async Task AFlushingCloseWritesWhatIsQueuedThenTheCloseFrame()
    {
        await using var pair = await SocketPair.OpenAsync();
        pair.Connection.Start(Frame("connected"));
        pair.Connection.Send(Frame("last words"));

        pair.Connection.Close(CloseCodes.GoingAway, "server shutting down", flush: true);

        Assert.Equal("connected", await pair.NextAsync("the first frame"));
        Assert.Equal("last words", await pair.NextAsync("the queued frame"));
        Assert.Equal("close:1001", await pair.NextAsync("the close frame"));
        await pair.Connection.CloseSent.Within("the close to be sent");
        Assert.False(pair.Connection.Send(Frame("too late")));
    }

    [Fact]
    public async Task ACloseWithoutFlushDropsWhatIsQueued()
    {
        await using var pair = await SocketPair.OpenAsync();
        pair.Connection.Send(Frame("dropped"));

        pair.Connection.Close(CloseCodes.SlowConsumer, "send queue overflow", flush: false);

        Assert.Equal("close:4001", await pair.NextAsync("the close frame, first"));
    }

    [Fact]
    public void TheFirstCloseCodeChosenStays()
    {
        using var connection = SocketPair.Unstarted(maxQueueBytes: 100);

        connection.Close(CloseCodes.Inactive, "inactive", flush: true);
        connection.Close(CloseCodes.PolicyViolation, "token expired", flush: true);

        Assert.Equal(CloseCodes.Inactive, connection.CloseCode);
    }
}
