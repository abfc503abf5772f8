namespace Realtime.Rooms;

/// <summary>A connection in a room and the gateway that holds its socket.</summary>
[GenerateSerializer, Immutable, Alias("realtime.RoomMember")]
public sealed record RoomMember(
    [property: Id(0)] string ClientId,
    [property: Id(1)] string? UserId,
    [property: Id(2)] string GatewayId);
