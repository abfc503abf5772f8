namespace Realtime.Clients;

/// <summary>What a gateway tells a connection's grain when the socket opens.</summary>
[GenerateSerializer, Immutable, Alias("realtime.ClientRegistration")]
public sealed record ClientRegistration(
    [property: Id(0)] string? UserId,
    [property: Id(1)] string GatewayId,
    [property: Id(2)] string Path,
    [property: Id(3)] Dictionary<string, string> Metadata,
    [property: Id(4)] DateTimeOffset ConnectedAt);
