namespace Realtime.Delivery;

/// <summary>
/// An unsequenced push to the local members of a room: presence, and transient publishes. The same
/// <paramref name="Exclude"/> and <paramref name="Filter"/> rules apply as to a sequenced push.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.RoomEventPush")]
public sealed record RoomEventPush(
    [property: Id(0)] string Room,
    [property: Id(1)] byte[] Frame,
    [property: Id(2)] string[]? Exclude = null,
    [property: Id(3)] Dictionary<string, string>? Filter = null) : GatewayMessage;
