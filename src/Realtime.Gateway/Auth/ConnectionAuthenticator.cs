using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Realtime.Connections;

namespace Realtime.Gateway.Auth;

/// <summary>
/// Decides, before the upgrade, whether a request may open a connection and as whom; and checks
/// the tokens clients send to refresh their session.
/// </summary>
internal sealed partial class ConnectionAuthenticator(
    IOptions<RealtimeAuthOptions> options,
    IOptionsMonitor<JwtBearerOptions> bearer,
    ILogger<ConnectionAuthenticator> logger)
{
    private readonly RealtimeAuthOptions _options = options.Value;

    public async Task<AuthOutcome> AuthenticateAsync(HttpContext context)
    {
        if (_options.AllowedOrigins.Length > 0
            && context.Request.Headers.Origin is { Count: > 0 } origin
            && !_options.AllowedOrigins.Contains(origin.ToString(), StringComparer.OrdinalIgnoreCase))
        {
            LogOriginRefused(origin.ToString());
            return AuthOutcome.Refuse(StatusCodes.Status403Forbidden);
        }

        if (!_options.TokensEnabled)
        {
            return _options.AnonymousAllowed ? AuthOutcome.Anonymous : AuthOutcome.Refuse(StatusCodes.Status401Unauthorized);
        }

        var result = await context.AuthenticateAsync(JwtBearerSetup.Scheme);
        if (result.Succeeded)
        {
            return Outcome(result.Principal);
        }

        if (result.None)
        {
            return _options.AnonymousAllowed ? AuthOutcome.Anonymous : AuthOutcome.Refuse(StatusCodes.Status401Unauthorized);
        }

        // A token was sent and is not good: never fall back to anonymous.
        LogTokenRefused(result.Failure?.GetType().Name ?? "invalid");
        return AuthOutcome.Refuse(StatusCodes.Status401Unauthorized);
    }

    /// <summary>Validates a refreshed token the way the scheme validates connection tokens.</summary>
    public async Task<AuthOutcome> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (!_options.TokensEnabled || string.IsNullOrEmpty(token))
        {
            return AuthOutcome.Refuse(StatusCodes.Status401Unauthorized);
        }

        var scheme = bearer.Get(JwtBearerSetup.Scheme);
        var parameters = scheme.TokenValidationParameters.Clone();
        if (scheme.ConfigurationManager is { } configuration)
        {
            var discovered = await configuration.GetConfigurationAsync(cancellationToken);
            parameters.IssuerSigningKeys = [.. parameters.IssuerSigningKeys ?? [], .. discovered.SigningKeys];
        }

        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, parameters);
        if (!result.IsValid)
        {
            LogTokenRefused(result.Exception?.GetType().Name ?? "invalid");
            return AuthOutcome.Refuse(StatusCodes.Status401Unauthorized);
        }

        return Outcome(new ClaimsPrincipal(result.ClaimsIdentity));
    }

    private static AuthOutcome Outcome(ClaimsPrincipal principal)
    {
        var userId = principal.FindFirst("sub")?.Value;
        if (string.IsNullOrEmpty(userId))
        {
            return AuthOutcome.Refuse(StatusCodes.Status401Unauthorized);
        }

        DateTimeOffset? expires = long.TryParse(principal.FindFirst("exp")?.Value, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
        var claims = principal.Claims.Select(c => new UserClaim(c.Type, c.Value)).ToArray();
        return new AuthOutcome(0, userId, claims, expires);
    }

    [LoggerMessage(EventId = 2400, Level = LogLevel.Information, Message = "Refused a connection from origin {Origin}.")]
    private partial void LogOriginRefused(string origin);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Information, Message = "Refused a token: {Reason}.")]
    private partial void LogTokenRefused(string reason);
}
