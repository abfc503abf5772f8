namespace Realtime.Rooms;

/// <summary>
/// A room's answer to a join: its last <paramref name="Seq"/> and <paramref name="Epoch"/>, and with
/// a <c>since</c>, the pushes after it that the room still holds (<paramref name="Missed"/>, in order,
/// each the exact frame the members received); <paramref name="Recovered"/> only when none were lost.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.RoomJoinResult")]
public sealed record RoomJoinResult(
    [property: Id(0)] long Seq,
    [property: Id(1)] string Epoch,
    [property: Id(2)] bool Recovered,
    [property: Id(3)] byte[][] Missed,
    [property: Id(4)] string? ErrorCode = null,
    [property: Id(5)] string? Error = null)
{
    /// <summary>True when the join succeeded.</summary>
    public bool Ok => ErrorCode is null;

    /// <summary>A refused join.</summary>
    public static RoomJoinResult Fail(string code, string error) => new(0, "", false, [], code, error);
}
