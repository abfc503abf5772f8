namespace Realtime.Delivery;

/// <summary>
/// A connection's metadata after a change, as its grain (the one writer) holds it: sent on the
/// gateway's stream for a server change, returned to the gateway for the client's own. The gateway's
/// copy (used by delivery filters) takes a change only if its <paramref name="Version"/> is newer,
/// so whichever way a change arrives, an older one never overwrites it.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.ClientMetadataChange")]
public sealed record ClientMetadataChange(
    [property: Id(0)] string ClientId,
    [property: Id(1)] Dictionary<string, string> Metadata,
    [property: Id(2)] long Version = 0) : GatewayMessage;
