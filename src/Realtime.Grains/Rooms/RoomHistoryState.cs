namespace Realtime.Grains.Rooms;

/// <summary>
/// The root record of a room's history in storage: its epoch, its idempotency keys, and which
/// segments (<see cref="HistoryRecords"/>) hold its pushes. <see cref="Entries"/> is the whole
/// history as it was written before it was split into segments: read, never written any more.
/// </summary>
[GenerateSerializer, Alias("realtime.RoomHistoryState")]
internal sealed class RoomHistoryState
{
    [Id(0)] public string Epoch { get; set; } = "";

    [Id(1)] public List<RoomHistoryEntry> Entries { get; set; } = [];

    /// <summary>The idempotency keys of recent publishes, written with the history.</summary>
    [Id(2)] public List<IdempotencyRecord> Keys { get; set; } = [];

    /// <summary>The segments in storage, by number (segment k holds seqs k × size to k × size + size - 1).</summary>
    [Id(3)] public List<long> Segments { get; set; } = [];
}

/// <summary>One segment of a room's history: the pushes of its seq range, of one epoch.</summary>
[GenerateSerializer, Alias("realtime.RoomHistorySegment")]
internal sealed class RoomHistorySegment
{
    [Id(0)] public string Epoch { get; set; } = "";

    [Id(1)] public List<RoomHistoryEntry> Entries { get; set; } = [];
}
