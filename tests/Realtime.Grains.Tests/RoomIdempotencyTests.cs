using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Realtime.Grains.Rooms;
using Realtime.Rooms;

namespace Realtime.Grains.Tests;

/// <summary>
/// Idempotency keys on a cluster whose rooms remember them for two minutes by a clock the tests move:
/// within the window and across a reactivation a repeat is a duplicate, after it a new publish. The rooms
/// keep no history and have no members, so only the keys keep a room's record.
/// </summary>
public sealed class RoomIdempotencyTests : OwnClusterTest
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    protected override IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Realtime:Rooms:IdempotencyWindow"] = "00:02:00",

        // No history and no members: only the keys keep the room's record.
        ["Realtime:Rooms:HistorySize"] = "0",
    };

    protected override short Silos => 2;

    protected override void ConfigureSilo(IServiceCollection services) => services.AddKeyedSingleton<TimeProvider>(RealtimeClock.Key, _clock);

    private static RoomPublishRequest Keyed(string key, MessageSender? from = null)
        => new(from, "chat", "message", Encoding.UTF8.GetBytes("""{"text":"x"}"""), IdempotencyKey: key);

    [Fact]
    public async Task ARepeatWithinTheWindowIsADuplicateEvenAfterTheRoomIsReactivated()
    {
        var room = Grains.GetRoomGrain(Keys.Room());
        var first = await room.Publish(Keyed("k"));
        _clock.Advance(TimeSpan.FromMinutes(1));
        var within = await room.Publish(Keyed("k"));

        await Cluster.DeactivateAsync(room);
        var reactivated = await room.Publish(Keyed("k"));

        _clock.Advance(TimeSpan.FromMinutes(1.5));
        var after = await room.Publish(Keyed("k"));

        Assert.Equal(new RoomPublishResult(first.Seq, Duplicate: true), within);
        Assert.Equal(new RoomPublishResult(first.Seq, Duplicate: true), reactivated);
        Assert.Equal(new RoomPublishResult(first.Seq + 1), after);
    }

    [Fact]
    public void KeysAreBoundedByCountAndBytesOldestFirst()
    {
        var byCount = new RoomIdempotency(TimeSpan.FromMinutes(2), maxKeys: 2, maxBytes: long.MaxValue);
        byCount.Add("a", 1, 0);
        byCount.Add("b", 2, 0);
        byCount.Add("c", 3, 0);

        var byBytes = new RoomIdempotency(TimeSpan.FromMinutes(2), maxKeys: 100, maxBytes: 3 * (48 + 2));
        foreach (var (key, seq) in new[] { ("a", 1L), ("b", 2L), ("c", 3L), ("d", 4L) })
        {
            byBytes.Add(key, seq, 0);
        }

        Assert.False(byCount.TryGet("a", 0, out _));
        Assert.True(byCount.TryGet("c", 0, out var c) && c == 3);
        Assert.Equal(2, byCount.Count);
        Assert.False(byBytes.TryGet("a", 0, out _));
        Assert.Equal(3, byBytes.Count);
    }
}
