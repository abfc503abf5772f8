using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Realtime.Grains.Rooms;
using Realtime.Rooms;

namespace Realtime.Grains.Tests;

/// <summary>
/// A room's history in storage as segments: a flush writes the segments that changed, not the whole
/// history; the segments the history moved past are cleared; a reactivated room reads every entry back;
/// a history written whole (before segments) is still read, and written as segments from then on.
/// </summary>
public sealed class RoomHistoryRecordsTests : OwnClusterTest
{
    private const int HistorySize = 200;

    protected override IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Realtime:Rooms:HistorySize"] = HistorySize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private IGrainStorage Storage => Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(RealtimeStorage.Name);

    private static RoomPublishRequest Message(string text) => new(null, "chat", "message", Encoding.UTF8.GetBytes($$"""{"text":"{{text}}"}"""));

    private static string TextOf(byte[] frame) => JsonDocument.Parse(frame).RootElement.GetProperty("data").GetProperty("text").GetString()!;

    private async Task<GrainState<T>> ReadAsync<T>(string name, GrainId grainId)
        where T : new()
    {
        var record = new GrainState<T>(new T());
        await Storage.ReadStateAsync(name, grainId, record);
        return record;
    }

    private async Task PublishAsync(IRoomGrain room, int from, int to)
    {
        for (var n = from; n <= to; n++)
        {
            await room.Publish(Message($"m{n}"));
        }
    }

    [Fact]
    public async Task AFlushWritesTheSegmentsThatChangedAndClearsThoseTheHistoryMovedPast()
    {
        var room = Grains.GetRoomGrain(Keys.Room());
        var member = Keys.Client();
        var epoch = (await room.Join(new RoomJoinRequest(member, null, "gw_x"))).Epoch;
        await PublishAsync(room, 1, 300);
        await Cluster.DeactivateAsync(room);

        // Seqs 101 to 300 are kept: segments 1 (64-127) to 4 (256-319); segment 0 went.
        var grainId = room.GetGrainId();
        var root = await ReadAsync<RoomHistoryState>("roomHistory", grainId);
        Assert.Equal([1L, 2, 3, 4], root.State!.Segments);
        Assert.Empty(root.State.Entries);
        Assert.False((await ReadAsync<RoomHistorySegment>("roomHistory.0", grainId)).RecordExists);
        var before = await Task.WhenAll(root.State.Segments.Select(k => ReadAsync<RoomHistorySegment>($"roomHistory.{k}", grainId)));
        Assert.Equal(HistorySize, before.Sum(s => s.State!.Entries.Count(e => e.Seq > 100)));

        // Five more pushes touch the newest segment only.
        var recovered = await room.Join(new RoomJoinRequest(member, null, "gw_x", Since: 100, Epoch: epoch));
        await PublishAsync(room, 301, 305);
        await Cluster.DeactivateAsync(room);
        var after = await Task.WhenAll(root.State.Segments.Select(k => ReadAsync<RoomHistorySegment>($"roomHistory.{k}", grainId)));
        Assert.Equal([false, false, false, true], before.Zip(after, (b, a) => b.ETag != a.ETag));

        var again = await room.Join(new RoomJoinRequest(member, null, "gw_x", Since: 105, Epoch: epoch));
        Assert.True(recovered.Recovered);
        Assert.Equal(Enumerable.Range(101, 200).Select(n => $"m{n}"), recovered.Missed.Select(TextOf));
        Assert.True(again.Recovered);
        Assert.Equal(Enumerable.Range(106, 200).Select(n => $"m{n}"), again.Missed.Select(TextOf));
    }

    [Fact]
    public async Task AHistoryWrittenWholeIsReadAndThenWrittenAsSegments()
    {
        var grainId = GrainId.Create("history-test", Guid.NewGuid().ToString("N"));
        var frames = Enumerable.Range(1, 100).Select(n => new RoomHistoryEntry(n, DateTime.UtcNow.Ticks, Encoding.UTF8.GetBytes($"f{n}"))).ToList();
        var legacy = new GrainState<RoomHistoryState>(new RoomHistoryState { Epoch = "e1", Entries = frames, Keys = [new IdempotencyRecord("k", 7, DateTime.UtcNow.Ticks)] });
        await Storage.WriteStateAsync("h", grainId, legacy);

        var records = new HistoryRecords(Storage, grainId, "h");
        var (entries, keys) = await records.LoadAsync("e1");
        Assert.Equal(Enumerable.Range(1, 100).Select(n => (long)n), entries.Select(e => e.Seq));
        Assert.Equal(["k"], keys.Select(k => k.Key));

        var history = new RoomHistory(HistorySize, TimeSpan.FromDays(1));
        history.Load(entries, DateTime.UtcNow.Ticks);
        var idempotency = new RoomIdempotency(TimeSpan.FromMinutes(2), 100, 1 << 20);
        idempotency.Load(keys, DateTime.UtcNow.Ticks);
        await records.WriteAsync("e1", history, idempotency);

        var root = await ReadAsync<RoomHistoryState>("h", grainId);
        Assert.Empty(root.State!.Entries);
        Assert.Equal([0L, 1], root.State.Segments);
        var (reread, rereadKeys) = await new HistoryRecords(Storage, grainId, "h").LoadAsync("e1");
        Assert.Equal(entries.Select(e => Encoding.UTF8.GetString(e.Frame)), reread.Select(e => Encoding.UTF8.GetString(e.Frame)));
        Assert.Equal(["k"], rereadKeys.Select(k => k.Key));

        // Another epoch's history is none of this one's.
        var (other, otherKeys) = await new HistoryRecords(Storage, grainId, "h").LoadAsync("e2");
        Assert.Empty(other);
        Assert.Empty(otherKeys);
    }
}
