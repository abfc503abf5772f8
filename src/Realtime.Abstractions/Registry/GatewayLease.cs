namespace Realtime.Registry;

/// <summary>A gateway the cluster knows, and until when its lease runs.</summary>
[GenerateSerializer, Immutable, Alias("realtime.GatewayLease")]
public sealed record GatewayLease(
    [property: Id(0)] string GatewayId,
    [property: Id(1)] DateTimeOffset ExpiresAt);
