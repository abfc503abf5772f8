using System.Security.Claims;

namespace Realtime.Grains.Handlers;

/// <summary>The connection a frame came from, as a handler sees it.</summary>
internal sealed record HandlerCaller(string ClientId, string? UserId, ClaimsPrincipal User, IReadOnlyDictionary<string, string> Metadata);
