using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Realtime.Rooms;

namespace Realtime.Grains.Tests;

/// <summary>History bounded by age, on a cluster whose rooms keep pushes for a minute by a clock the tests move.</summary>
public sealed class RoomHistoryAgeTests : OwnClusterTest
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    protected override IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?> { ["Realtime:Rooms:HistoryTtl"] = "00:01:00" };

    protected override void ConfigureSilo(IServiceCollection services) => services.AddKeyedSingleton<TimeProvider>(RealtimeClock.Key, _clock);

    private static RoomPublishRequest Message(string text) => new(null, "chat", "message", Encoding.UTF8.GetBytes($$"""{"text":"{{text}}"}"""));

    [Fact]
    public async Task PushesOlderThanTheTimeToLiveCannotBeRecovered()
    {
        var room = Grains.GetRoomGrain(Keys.Room());
        var member = Keys.Client();
        var epoch = (await room.Join(new RoomJoinRequest(member, null, "gw_x"))).Epoch;
        await room.Publish(Message("old"));
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty((await room.GetHistory(0)).Seqs);

        await room.Publish(Message("new"));
        var fromStart = await room.Join(new RoomJoinRequest(member, null, "gw_x", Since: 0, Epoch: epoch));
        var fromOne = await room.Join(new RoomJoinRequest(member, null, "gw_x", Since: 1, Epoch: epoch));

        Assert.False(fromStart.Recovered);
        Assert.Single(fromStart.Missed);
        Assert.True(fromOne.Recovered);
        Assert.Single(fromOne.Missed);
    }

    [Fact]
    public async Task AnEmptyRoomWhoseHistoryAgedOutIsForgottenAndGetsANewEpoch()
    {
        var room = Grains.GetRoomGrain(Keys.Room());
        var member = Keys.Client();
        var epoch = (await room.Join(new RoomJoinRequest(member, null, "gw_x"))).Epoch;
        await room.Publish(Message("m1"));
        await room.Leave(member);
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty((await room.GetHistory(0)).Seqs);

        await Cluster.DeactivateAsync(room);
        var after = await room.GetHistory(0);

        Assert.NotEqual(epoch, after.Epoch);
        Assert.Equal(0, after.Seq);
    }

    [Fact]
    public async Task AnEmptyRoomWithRecentHistoryKeepsItsEpochAcrossDeactivation()
    {
        var room = Grains.GetRoomGrain(Keys.Room());
        var member = Keys.Client();
        var epoch = (await room.Join(new RoomJoinRequest(member, null, "gw_x"))).Epoch;
        await room.Leave(member);
        await room.Publish(Message("m1"));

        await Cluster.DeactivateAsync(room);
        var after = await room.GetHistory(0);

        Assert.Equal(epoch, after.Epoch);
        Assert.Equal(1, after.Seq);
    }
}
