namespace Realtime.Rooms;

/// <summary>A room's members, or why the asking connection may not see them.</summary>
[GenerateSerializer, Immutable, Alias("realtime.RoomPresenceResult")]
public sealed record RoomPresenceResult(
    [property: Id(0)] RoomMember[] Members,
    [property: Id(1)] string? ErrorCode = null,
    [property: Id(2)] string? Error = null)
{
    /// <summary>Whether the members could be read (<see cref="ErrorCode"/> says why not).</summary>
    public bool Ok => ErrorCode is null;

    /// <summary>A refusal with a protocol error code and a message for the client.</summary>
    public static RoomPresenceResult Fail(string code, string error) => new([], code, error);
}
