using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Realtime.Gateway.Auth;

/// <summary>
/// The JWT bearer scheme the gateway authenticates connections with: signature, issuer, audience and
/// lifetime checked, unsigned tokens refused, claims kept as the token names them (<c>sub</c>, <c>role</c>).
/// </summary>
internal sealed class JwtBearerSetup(IOptions<RealtimeAuthOptions> auth) : IConfigureNamedOptions<JwtBearerOptions>
{
    public const string Scheme = "Realtime";

    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name != Scheme)
        {
            return;
        }

        var settings = auth.Value;
        options.MapInboundClaims = false;
        options.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        if (!string.IsNullOrEmpty(settings.Authority))
        {
            options.Authority = settings.Authority;
        }

        if (!string.IsNullOrEmpty(settings.MetadataAddress))
        {
            options.MetadataAddress = settings.MetadataAddress;
        }

        var hasKey = !string.IsNullOrEmpty(settings.SigningKey);
        var hasAuthority = !string.IsNullOrEmpty(settings.Authority) || !string.IsNullOrEmpty(settings.MetadataAddress);
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = settings.Issuer is not null,
            ValidIssuer = settings.Issuer,
            ValidateAudience = settings.Audience is not null,
            ValidAudience = settings.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = settings.ClockSkew,
            NameClaimType = "sub",
            RoleClaimType = "role",
            IssuerSigningKey = hasKey ? new SymmetricSecurityKey(SigningKeys.Decode(settings.SigningKey!)) : null,
            ValidAlgorithms =
            [
                .. hasKey ? [SecurityAlgorithms.HmacSha256] : Array.Empty<string>(),
                .. hasAuthority ? [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256] : Array.Empty<string>(),
            ],
        };
        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                // Browsers cannot set headers on a WebSocket: the token may come in the query instead.
                if (context.Request.Headers.Authorization.Count == 0 && context.Request.Query.TryGetValue("token", out var token))
                {
                    context.Token = token.ToString();
                }

                return Task.CompletedTask;
            },
        };
    }

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);
}
