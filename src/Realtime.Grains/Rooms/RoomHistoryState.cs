namespace Realtime.Grains.Rooms;

/// <summary>A room's history as last written (behind the live one by at most the flush interval).</summary>
[GenerateSerializer, Alias("realtime.RoomHistoryState")]
internal sealed class RoomHistoryState
{
    [Id(0)] public string Epoch { get; set; } = "";

    [Id(1)] public List<RoomHistoryEntry> Entries { get; set; } = [];

    /// <summary>The idempotency keys of recent publishes, written with the history.</summary>
    [Id(2)] public List<IdempotencyRecord> Keys { get; set; } = [];
}
