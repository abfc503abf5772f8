namespace Realtime.Connections;

/// <summary>One claim of a connection's token, as handlers and authorizers see it.</summary>
[GenerateSerializer, Immutable, Alias("realtime.UserClaim")]
public sealed record UserClaim([property: Id(0)] string Type, [property: Id(1)] string Value);
