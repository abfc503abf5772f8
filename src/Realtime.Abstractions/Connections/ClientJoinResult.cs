using Realtime.Rooms;

namespace Realtime.Connections;

/// <summary>
/// The outcome of a join through the connection's grain: the room's answer, and the rooms the
/// connection left because it may be in one room only.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.ClientJoinResult")]
public sealed record ClientJoinResult(
    [property: Id(0)] RoomJoinResult Room,
    [property: Id(1)] string[] LeftRooms);
