namespace Realtime.Rooms;

/// <summary>
/// A connection joins a room through its gateway, optionally recovering after <paramref name="Since"/>;
/// <paramref name="Metadata"/> is what of its metadata the room's category shows to members;
/// <paramref name="ClientMetadata"/> is all of it, so recovery skips pushes filtered away from it.
/// With <paramref name="NotifyGateway"/> the room tells the member's gateway, in stream order.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.RoomJoinRequest")]
public sealed record RoomJoinRequest(
    [property: Id(0)] string ClientId,
    [property: Id(1)] string? UserId,
    [property: Id(2)] string GatewayId,
    [property: Id(3)] long? Since = null,
    [property: Id(4)] string? Epoch = null,
    [property: Id(5)] Dictionary<string, string>? Metadata = null,
    [property: Id(6)] Dictionary<string, string>? ClientMetadata = null,
    [property: Id(7)] bool NotifyGateway = false);
