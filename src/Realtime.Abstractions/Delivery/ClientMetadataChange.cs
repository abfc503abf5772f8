namespace Realtime.Delivery;

/// <summary>The server changed a connection's metadata: the gateway's copy (used by delivery filters) follows.</summary>
[GenerateSerializer, Immutable, Alias("realtime.ClientMetadataChange")]
public sealed record ClientMetadataChange(
    [property: Id(0)] string ClientId,
    [property: Id(1)] Dictionary<string, string> Metadata) : GatewayMessage;
