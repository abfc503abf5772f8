using System.Security.Claims;
using Realtime.Connections;

namespace Realtime.Grains.Connections;

/// <summary>A connection's claims as a principal: authenticated when there is a user, with <c>sub</c> as its name and <c>role</c> as its roles.</summary>
internal static class ClientClaims
{
    private static readonly ClaimsPrincipal s_anonymous = new(new ClaimsIdentity());

    public static ClaimsPrincipal ToPrincipal(string? userId, IReadOnlyList<UserClaim>? claims)
    {
        if (userId is null)
        {
            return s_anonymous;
        }

        var identity = new ClaimsIdentity("realtime", "sub", "role");
        var hasSub = false;
        foreach (var claim in claims ?? [])
        {
            identity.AddClaim(new Claim(claim.Type, claim.Value));
            hasSub |= claim.Type == "sub";
        }

        if (!hasSub)
        {
            identity.AddClaim(new Claim("sub", userId));
        }

        return new ClaimsPrincipal(identity);
    }
}
