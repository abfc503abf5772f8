namespace Realtime.Connections;

/// <summary>
/// What a gateway tells a connection's grain when the socket opens: the user and the claims of its
/// token, and where the socket is. (Id 6 was the per-user connection limit, now the silos' own
/// <c>Realtime:Presence:MaxConnectionsPerUser</c>.)
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.ClientRegistration")]
public sealed record ClientRegistration(
    [property: Id(0)] string? UserId,
    [property: Id(1)] string GatewayId,
    [property: Id(2)] string Path,
    [property: Id(3)] Dictionary<string, string> Metadata,
    [property: Id(4)] DateTimeOffset ConnectedAt,
    [property: Id(5)] UserClaim[]? Claims = null,
    [property: Id(6)] byte[]? ResumeHash = null);
