using System.Text;
using Realtime.Rooms;

namespace Realtime.Grains.Tests;

/// <summary>History and recovery bounded by bytes.</summary>
public sealed class RoomLimitsTests : OwnClusterTest
{
    protected override IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Realtime:Rooms:HistoryMaxBytes"] = "3000",
        ["Realtime:Rooms:MaxRecoveryBytes"] = "1000",
    };

    private static RoomPublishRequest Message(int i) => new(null, "chat", "message", Encoding.UTF8.GetBytes($$"""{"i":{{i}},"pad":"{{new string('x', 200)}}"}"""));

    [Fact]
    public async Task HistoryKeepsTheNewestPushesThatFitItsBytes()
    {
        var room = Grains.GetRoomGrain(Keys.Room());
        for (var i = 1; i <= 30; i++)
        {
            await room.Publish(Message(i));
        }

        var history = await room.GetHistory(0);

        Assert.InRange(history.Frames.Sum(f => f.Length), 2000, 3000);
        Assert.Equal(30, history.Seqs[^1]);
        Assert.False(history.Complete);
    }

    [Fact]
    public async Task ARecoveryBiggerThanTheBoundReturnsTheNewestPushesAndIsNotRecovered()
    {
        var room = Grains.GetRoomGrain(Keys.Room());
        var member = Keys.Client();
        var epoch = (await room.Join(new RoomJoinRequest(member, null, "gw_x"))).Epoch;
        for (var i = 1; i <= 8; i++)
        {
            await room.Publish(Message(i));
        }

        var recovery = await room.Join(new RoomJoinRequest(member, null, "gw_x", Since: 0, Epoch: epoch));
        var small = await room.Join(new RoomJoinRequest(member, null, "gw_x", Since: 7, Epoch: epoch));

        Assert.False(recovery.Recovered);
        Assert.InRange(recovery.Missed.Sum(f => f.Length), 1, 1000);
        Assert.Contains("\"seq\":8", Encoding.UTF8.GetString(recovery.Missed[^1]), StringComparison.Ordinal);
        Assert.True(small.Recovered);
        Assert.Single(small.Missed);
    }
}
