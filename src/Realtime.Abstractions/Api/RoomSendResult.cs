namespace Realtime.Api;

/// <summary>A room broadcast's <paramref name="Seq"/>; with <paramref name="Duplicate"/>, the first one's, and nothing was broadcast.</summary>
public sealed record RoomSendResult(long Seq, bool Duplicate);
