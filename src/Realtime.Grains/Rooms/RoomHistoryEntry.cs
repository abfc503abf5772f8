namespace Realtime.Rooms;

/// <summary>One push a room keeps: its seq, when it was sent (UTC ticks) and the exact frame.</summary>
[GenerateSerializer, Immutable, Alias("realtime.RoomHistoryEntry")]
internal readonly record struct RoomHistoryEntry(
    [property: Id(0)] long Seq,
    [property: Id(1)] long UtcTicks,
    [property: Id(2)] byte[] Frame);
