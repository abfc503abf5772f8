namespace Realtime.Rooms;

/// <summary>
/// The identity of the connection that caused a push: written by the server as <c>from</c>,
/// never taken from client data.
/// </summary>
[GenerateSerializer, Immutable, Alias("realtime.MessageSender")]
public sealed record MessageSender([property: Id(0)] string ClientId, [property: Id(1)] string? UserId);
