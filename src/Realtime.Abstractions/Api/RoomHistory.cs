namespace Realtime.Api;

/// <summary>
/// What a room holds after a seq: the room's last <paramref name="Seq"/> and <paramref name="Epoch"/>, and the
/// pushes, oldest first. <paramref name="Complete"/> is false when the room no longer holds every push
/// after the seq asked for (its history keeps the newest); fewer pushes than up to <paramref name="Seq"/>
/// with <paramref name="Complete"/> true means a limit cut them: ask again after the last.
/// </summary>
public sealed record RoomHistory(long Seq, string Epoch, bool Complete, IReadOnlyList<RoomHistoryPush> Pushes)
{
    /// <summary>The most pushes one call returns.</summary>
    public const int MaxLimit = 1000;
}

/// <summary>One push of a room's history: its seq and the frame clients received, as JSON (bytes as base64).</summary>
public sealed record RoomHistoryPush(long Seq, ReadOnlyMemory<byte> Frame);
