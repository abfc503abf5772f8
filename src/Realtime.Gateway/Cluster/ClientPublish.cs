namespace Realtime.Gateway.Cluster;

/// <summary>
/// A client's <c>publish</c>: the room, the push's <c>type</c>/<c>action</c> and raw JSON <c>data</c>,
/// whether the sender gets it too (<paramref name="Echo"/>) and whether it skips seq and history (<paramref name="Transient"/>).
/// </summary>
public sealed record ClientPublish(string RoomName, string Type, string Action, byte[] Data, bool Echo, bool Transient);
