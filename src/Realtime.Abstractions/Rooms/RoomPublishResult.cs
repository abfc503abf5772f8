namespace Realtime.Rooms;

/// <summary>
/// The <paramref name="Seq"/> a broadcast was given, or why it was refused. <paramref name="Duplicate"/>:
/// the publish repeated an idempotency key, broadcast nothing, and <paramref name="Seq"/> is the first one's.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.RoomPublishResult")]
public sealed record RoomPublishResult(
    [property: Id(0)] long Seq,
    [property: Id(1)] string? ErrorCode = null,
    [property: Id(2)] string? Error = null,
    [property: Id(3)] bool Duplicate = false)
{
    /// <summary>
    /// The code of a gateway's publish that the room cannot decide alone (its category's publish
    /// authorizer asks about the connection's claims): the gateway sends it through the connection's grain.
    /// </summary>
    public const string ThroughConnectionCode = "realtime.through-connection";

    /// <summary>True when the broadcast was sequenced and sent.</summary>
    public bool Ok => ErrorCode is null;

    /// <summary>True when the publish is to go through the connection's grain (see <see cref="ThroughConnectionCode"/>).</summary>
    public bool ThroughConnection => ErrorCode == ThroughConnectionCode;

    /// <summary>A refused broadcast.</summary>
    public static RoomPublishResult Fail(string code, string error) => new(0, code, error);
}
