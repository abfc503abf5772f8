using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Realtime.Api;
using Realtime.Gateway.Auth;

namespace Realtime.Gateway.HttpApi;

/// <summary>
/// Lets through calls with the API key or a valid JWT carrying the API role: 401 without credentials,
/// 403 without the role. The same check guards the gateway's operator pages (the dashboard), which also
/// take the key as a Basic password, since that is what a browser can send.
/// </summary>
internal sealed class HttpApiAuthorization(IOptions<RealtimeHttpApiOptions> api, IOptions<RealtimeAuthOptions> auth) : IEndpointFilter
{
    /// <summary>Whether any credentials are configured: the API key, or token validation.</summary>
    public bool Configured => api.Value.Key is not null || auth.Value.TokensEnabled;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        => await RefuseAsync(context.HttpContext, basic: false) ?? await next(context);

    /// <summary>Null when the request carries the API's credentials; otherwise the error to answer.</summary>
    public async Task<IResult?> RefuseAsync(HttpContext http, bool basic)
    {
        var options = api.Value;
        string? presented = http.Request.Headers.TryGetValue("X-Api-Key", out var header) ? header.ToString() : null;
        if (presented is null && basic)
        {
            presented = BasicCredentials.PasswordOf(http.Request.Headers.Authorization.ToString());
        }

        if (presented is not null)
        {
            return options.Key is { } key && FixedTimeEquals(presented, key)
                ? null
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
                ? null
                : HttpApiResults.Error(StatusCodes.Status403Forbidden, $"The token lacks the role {options.Role}.");
        }

        return HttpApiResults.Error(
            StatusCodes.Status401Unauthorized,
            !Configured
                ? "The HTTP API is off: configure Realtime:Api:Key, or token validation (Realtime:Auth)."
                : "Send the API key in X-Api-Key, or a token in Authorization: Bearer.");
    }

    private static bool FixedTimeEquals(string presented, string expected)
        => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}
