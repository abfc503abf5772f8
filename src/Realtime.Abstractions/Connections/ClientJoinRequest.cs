namespace Realtime.Connections;

/// <summary>
/// A connection asks to join a room, optionally recovering the pushes after <paramref name="Since"/>;
/// or the server puts it there (<paramref name="ByServer"/>: no authorizer, and the gateway is told).
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.ClientJoinRequest")]
public sealed record ClientJoinRequest(
    [property: Id(0)] string RoomName,
    [property: Id(1)] long? Since,
    [property: Id(2)] string? Epoch,
    [property: Id(3)] bool ByServer = false);
