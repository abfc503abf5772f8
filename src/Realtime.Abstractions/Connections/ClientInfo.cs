namespace Realtime.Connections;

/// <summary>A snapshot of one connection as its grain knows it.</summary>
[GenerateSerializer, Immutable, Alias("realtime.ClientInfo")]
public sealed record ClientInfo(
    [property: Id(0)] string ClientId,
    [property: Id(1)] string? UserId,
    [property: Id(2)] string GatewayId,
    [property: Id(3)] string Path,
    [property: Id(4)] IReadOnlyDictionary<string, string> Metadata,
    [property: Id(5)] IReadOnlyList<string> Rooms,
    [property: Id(6)] DateTimeOffset ConnectedAt,
    [property: Id(7)] DateTimeOffset LastActivity);
