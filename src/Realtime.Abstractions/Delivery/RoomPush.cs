namespace Realtime.Delivery;

/// <summary>
/// A sequenced room broadcast, to every local member of <paramref name="Room"/>. <paramref name="Frame"/>
/// is the complete push, written once by the room.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.RoomPush")]
public sealed record RoomPush(
    [property: Id(0)] string Room,
    [property: Id(1)] long Seq,
    [property: Id(2)] byte[] Frame,
    [property: Id(3)] string[]? Exclude = null,
    [property: Id(4)] Dictionary<string, string>? Filter = null) : GatewayMessage;
