using Realtime.Connections;

namespace Realtime.Gateway.Auth;

/// <summary>Who a request is, or the HTTP status that refuses it before the upgrade.</summary>
internal sealed record AuthOutcome(int RefusalStatus, string? UserId, UserClaim[] Claims, DateTimeOffset? ExpiresAt)
{
    public static AuthOutcome Anonymous { get; } = new(0, null, [], null);

    public bool Refused => RefusalStatus != 0;

    public static AuthOutcome Refuse(int status) => new(status, null, [], null);
}
