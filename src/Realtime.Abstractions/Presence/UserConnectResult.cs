namespace Realtime.Presence;

/// <summary>Whether a connection was added to its user, and its join of the user's room when it was asked for.</summary>
[GenerateSerializer, Immutable, Alias("realtime.UserConnectResult")]
public sealed record UserConnectResult(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] Rooms.RoomJoinResult? UserRoom = null);
