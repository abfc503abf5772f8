namespace Realtime.Rooms;

/// <summary>
/// A connection in a room, the gateway that holds its socket, and the metadata keys the room's
/// category shows to other members.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.RoomMember")]
public sealed record RoomMember(
    [property: Id(0)] string ClientId,
    [property: Id(1)] string? UserId,
    [property: Id(2)] string GatewayId,
    [property: Id(3)] Dictionary<string, string>? Metadata = null);
