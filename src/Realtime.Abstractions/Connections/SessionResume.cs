namespace Realtime.Connections;

/// <summary>
/// A new socket asks for a dropped (or still open) session back: <paramref name="SecretHash"/> is the
/// SHA-256 of the secret part of its resume token, <paramref name="NewHash"/> that of the token the new
/// socket gets. The session must be of the same user (or anonymous, as this socket is).
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.ResumeRequest")]
public sealed record ResumeRequest(
    [property: Id(0)] byte[] SecretHash,
    [property: Id(1)] string? UserId,
    [property: Id(2)] string GatewayId,
    [property: Id(3)] string Path,
    [property: Id(4)] DateTimeOffset ConnectedAt,
    [property: Id(5)] UserClaim[]? Claims,
    [property: Id(6)] byte[] NewHash);

/// <summary>
/// A resume's outcome: when <paramref name="Resumed"/>, the session's rooms, each with where the
/// socket's live pushes start (its join), and its metadata; otherwise the socket starts a fresh session.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.ResumeResult")]
public sealed record ResumeResult(
    [property: Id(0)] bool Resumed,
    [property: Id(1)] long Attachment = 0,
    [property: Id(2)] Dictionary<string, string>? Metadata = null,
    [property: Id(3)] ResumedRoom[]? Rooms = null,
    [property: Id(4)] long MetadataVersion = 0)
{
    /// <summary>No session to resume: unknown, expired, used, or another user's.</summary>
    public static ResumeResult Fresh { get; } = new(false);
}

/// <summary>A room of a resumed session and the join that puts the new socket in it.</summary>
[GenerateSerializer, Immutable, Alias("realtime.ResumedRoom")]
public sealed record ResumedRoom([property: Id(0)] string Name, [property: Id(1)] Rooms.RoomJoinResult Join);
