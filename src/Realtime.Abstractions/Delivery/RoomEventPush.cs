namespace Realtime.Delivery;

/// <summary>An unsequenced push to the local members of a room (presence join/leave).</summary>
[GenerateSerializer, Immutable, Alias("realtime.RoomEventPush")]
public sealed record RoomEventPush(
    [property: Id(0)] string Room,
    [property: Id(1)] byte[] Frame,
    [property: Id(2)] string[]? Exclude = null) : GatewayMessage;
