namespace Realtime.Delivery;

/// <summary>
/// An unsequenced push to a set of local connections, written once as <paramref name="Frame"/>;
/// <paramref name="Exclude"/> (client ids) and <paramref name="Filter"/> (metadata equality) apply.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.TargetedPush")]
public sealed record TargetedPush(
    [property: Id(0)] PushTargetKind Kind,
    [property: Id(1)] string[] Keys,
    [property: Id(2)] byte[] Frame,
    [property: Id(3)] string[]? Exclude = null,
    [property: Id(4)] Dictionary<string, string>? Filter = null) : GatewayMessage;
