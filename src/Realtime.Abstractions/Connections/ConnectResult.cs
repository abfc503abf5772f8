namespace Realtime.Connections;

/// <summary>
/// Whether a connection was registered; when not, the close code and reason for the client. An
/// authenticated connection's <see cref="UserRoom"/> is its join of its user's room (when users have rooms);
/// <see cref="Attachment"/> names this socket's hold on the session (a resume makes a new one).
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.ConnectResult")]
public sealed record ConnectResult(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] int CloseCode = 0,
    [property: Id(2)] string? Reason = null,
    [property: Id(3)] Rooms.RoomJoinResult? UserRoom = null,
    [property: Id(4)] long Attachment = 0)
{
    /// <summary>The connection is accepted.</summary>
    public static ConnectResult Ok { get; } = new(true);
}
