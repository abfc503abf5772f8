namespace Realtime.Rooms;

/// <summary>
/// Pushes a room still holds after a given seq, in order, with who each was not for
/// (<paramref name="Excludes"/>, <paramref name="Filters"/>, per push). <paramref name="Complete"/> is
/// true when they are every push after that seq up to <paramref name="Seq"/>, the room's last.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.RoomHistorySlice")]
public sealed record RoomHistorySlice(
    [property: Id(0)] long Seq,
    [property: Id(1)] string Epoch,
    [property: Id(2)] bool Complete,
    [property: Id(3)] long[] Seqs,
    [property: Id(4)] byte[][] Frames,
    [property: Id(5)] string[]?[]? Excludes = null,
    [property: Id(6)] Dictionary<string, string>?[]? Filters = null);
