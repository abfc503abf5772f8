namespace Realtime.Rooms;

/// <summary>
/// A broadcast to a room. <paramref name="From"/> is the publishing connection (null for the
/// server, which need not be a member); it is excluded unless <paramref name="Echo"/>.
/// <paramref name="Data"/> is JSON text. <paramref name="Exclude"/> and
/// <paramref name="Filter"/> (equality on client metadata) are applied at each gateway.
/// With <paramref name="MembersOnly"/>, a sender that is not a member is refused with <c>FORBIDDEN</c>.
/// A <paramref name="Transient"/> broadcast (a typing indicator, a cursor) takes no seq and is not
/// kept for recovery: only members connected at that moment get it.
/// With <paramref name="IdempotencyKey"/>, a repeat of the key by the same sender (user, anonymous
/// connection, or the server when <paramref name="From"/> is null) within the room's idempotency window
/// broadcasts nothing and gets the first publish's seq (<see cref="RoomPublishResult.Duplicate"/>).
/// <paramref name="ViaGateway"/> marks a client's publish sent by its gateway straight to the room:
/// the room applies the category's publish policy itself and takes the sender to be its member
/// <paramref name="From"/> on that gateway, refusing anyone else.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.RoomPublishRequest")]
public sealed record RoomPublishRequest(
    [property: Id(0)] MessageSender? From,
    [property: Id(1)] string Type,
    [property: Id(2)] string Action,
    [property: Id(3)] byte[] Data,
    [property: Id(4)] bool Echo = false,
    [property: Id(5)] string[]? Exclude = null,
    [property: Id(6)] Dictionary<string, string>? Filter = null,
    [property: Id(7)] bool MembersOnly = true,
    [property: Id(8)] bool Transient = false,
    [property: Id(9)] string? ViaGateway = null,
    [property: Id(10)] string? IdempotencyKey = null);
