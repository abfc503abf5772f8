using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Realtime.Testing;

/// <summary>
/// A minimal OpenID Connect authority on a free loopback port: a discovery document and a JWKS
/// with one RSA and one EC key, so the gateway fetches real keys over HTTP.
/// </summary>
public sealed class TestAuthority : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestAuthority(WebApplication app, string address, RSA rsa, ECDsa ecdsa)
    {
        _app = app;
        Address = address;
        Rsa = rsa;
        Ecdsa = ecdsa;
    }

    public string Address { get; }

    public RSA Rsa { get; }

    public ECDsa Ecdsa { get; }

    public static async Task<TestAuthority> StartAsync()
    {
        var rsa = RSA.Create(2048);
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var jwks = JsonSerializer.Serialize(new
        {
            keys = new object[]
            {
                ToJwk(JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "rsa-1" }), "RS256"),
                ToJwk(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(ecdsa.ExportParameters(false))) { KeyId = "ec-1" }), "ES256"),
            },
        });
        string? address = null;
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new
        {
            issuer = Tokens.Issuer,
            jwks_uri = address + "/jwks",
            id_token_signing_alg_values_supported = new[] { "RS256", "ES256" },
        }));
        app.MapGet("/jwks", () => Results.Text(jwks, "application/json"));
        await app.StartAsync();
        address = app.Urls.First();
        return new TestAuthority(app, address, rsa, ecdsa);
    }

    public string RsaToken(string sub, TimeSpan? expiresIn = null) => Tokens.Create(sub, Tokens.Rs256(Rsa, "rsa-1"), expiresIn);

    public string EcToken(string sub) => Tokens.Create(sub, Tokens.Es256(Ecdsa, "ec-1"));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Rsa.Dispose();
        Ecdsa.Dispose();
    }

    private static Dictionary<string, object?> ToJwk(JsonWebKey key, string algorithm)
    {
        var jwk = new Dictionary<string, object?> { ["kty"] = key.Kty, ["kid"] = key.Kid, ["use"] = "sig", ["alg"] = algorithm };
        if (key.Kty == "RSA")
        {
            jwk["n"] = key.N;
            jwk["e"] = key.E;
        }
        else
        {
            jwk["crv"] = key.Crv;
            jwk["x"] = key.X;
            jwk["y"] = key.Y;
        }

        return jwk;
    }
}
