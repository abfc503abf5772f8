namespace Realtime.Gateway.Cluster;

/// <summary>
/// A client's <c>publish</c>: the room, the push's <c>type</c>/<c>action</c> and raw JSON <c>data</c>,
/// whether the sender gets it too (<paramref name="Echo"/>), whether it skips seq and history
/// (<paramref name="Transient"/>), and the gateway that holds the sending connection
/// (<paramref name="GatewayId"/>): the room takes the sender to be its member on that gateway.
/// A repeat of <paramref name="IdempotencyKey"/> within the room's window broadcasts nothing.
/// </summary>
public sealed record ClientPublish(string RoomName, string Type, string Action, byte[] Data, bool Echo, bool Transient, string GatewayId, string? IdempotencyKey = null);
