namespace Realtime.Delivery;

/// <summary>
/// The server put a connection in a room or took it out. Sent by the room on the connection's
/// gateway stream, so it arrives before any push that follows it.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.RoomMembershipChange")]
public sealed record RoomMembershipChange(
    [property: Id(0)] string Room,
    [property: Id(1)] string ClientId,
    [property: Id(2)] bool Joined,
    [property: Id(3)] long Seq,
    [property: Id(4)] string Epoch) : GatewayMessage;
