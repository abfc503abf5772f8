namespace Realtime.Clients;

/// <summary>A connection asks to join a room, optionally recovering the pushes after <paramref name="Since"/>.</summary>
[GenerateSerializer, Immutable, Alias("realtime.JoinRoomRequest")]
public sealed record JoinRoomRequest(
    [property: Id(0)] string RoomName,
    [property: Id(1)] long? Since,
    [property: Id(2)] string? Epoch);
