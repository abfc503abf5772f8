using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Realtime.Gateway.Auth;

namespace Realtime.Gateway.HttpApi;

/// <summary>Lets through calls with the API key or a valid JWT carrying the API role: 401 without credentials, 403 without the role.</summary>
internal sealed class HttpApiAuthorization(IOptions<RealtimeHttpApiOptions> api, IOptions<RealtimeAuthOptions> auth) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var options = api.Value;
        if (http.Request.Headers.TryGetValue("X-Api-Key", out var presented))
        {
            return options.Key is { } key && FixedTimeEquals(presented.ToString(), key)
                ? await next(context)
                : HttpApiResults.Error(StatusCodes.Status401Unauthorized, "The API key is not valid.");
        }

        if (auth.Value.TokensEnabled && http.Request.Headers.Authorization.Count > 0)
        {
            var result = await http.AuthenticateAsync(JwtBearerSetup.Scheme);
            if (!result.Succeeded)
            {
                return HttpApiResults.Error(StatusCodes.Status401Unauthorized, "The token is not valid.");
            }

            var roles = result.Principal.Claims.Where(c => c.Type is "role" or "roles").Select(c => c.Value);
            return roles.Contains(options.Role, StringComparer.Ordinal)
                ? await next(context)
                : HttpApiResults.Error(StatusCodes.Status403Forbidden, $"The token lacks the role {options.Role}.");
        }

        return HttpApiResults.Error(
            StatusCodes.Status401Unauthorized,
            options.Key is null && !auth.Value.TokensEnabled
                ? "The HTTP API is off: configure Realtime:Api:Key, or token validation (Realtime:Auth)."
                : "Send the API key in X-Api-Key, or a token in Authorization: Bearer.");
    }

    private static bool FixedTimeEquals(string presented, string expected)
        => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}
