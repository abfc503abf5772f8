using Realtime.Rooms;

namespace Realtime.Clients;

/// <summary>
/// The outcome of a join through the connection's grain: the room's answer, and the rooms the
/// connection left because it may be in one room only.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.JoinRoomResult")]
public sealed record JoinRoomResult(
    [property: Id(0)] RoomJoinResult Room,
    [property: Id(1)] string[] LeftRooms);
