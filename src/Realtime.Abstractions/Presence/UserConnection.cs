namespace Realtime.Presence;

/// <summary>One connection of a user and the gateway that holds it.</summary>
[GenerateSerializer, Immutable, Alias("realtime.UserConnection")]
public sealed record UserConnection(
    [property: Id(0)] string ClientId,
    [property: Id(1)] string GatewayId,
    [property: Id(2)] DateTimeOffset ConnectedAt);
