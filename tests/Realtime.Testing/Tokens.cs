using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Realtime.Testing;

/// <summary>Signs test JWTs the way an identity provider would.</summary>
public static class Tokens
{
    public const string Issuer = "https://issuer.test";
    public const string Audience = "realtime-tests";
    public const string Key = "a-test-signing-key-that-is-long-enough-for-hs256";

    /// <summary>
    /// A server's settings that validate these tokens (anonymous connections allowed too, unless not),
    /// plus <paramref name="more"/>.
    /// </summary>
    public static Dictionary<string, string> Settings(IEnumerable<KeyValuePair<string, string>>? more = null, bool allowAnonymous = true)
    {
        var settings = new Dictionary<string, string>
        {
            ["Realtime:Auth:SigningKey"] = Key,
            ["Realtime:Auth:Issuer"] = Issuer,
            ["Realtime:Auth:Audience"] = Audience,
            ["Realtime:Auth:AllowAnonymous"] = allowAnonymous ? "true" : "false",
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    public static SigningCredentials Hs256(string key = Key) => new(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256);

    /// <summary>A token; by default HS256 with <see cref="Key"/>, valid for an hour, for <see cref="Issuer"/> and <see cref="Audience"/>.</summary>
    public static string Create(
        string? sub,
        SigningCredentials? credentials = null,
        TimeSpan? expiresIn = null,
        TimeSpan? notBeforeIn = null,
        string issuer = Issuer,
        string audience = Audience,
        IDictionary<string, object>? claims = null)
    {
        var now = DateTime.UtcNow;
        var all = new Dictionary<string, object>(claims ?? new Dictionary<string, object>());
        if (sub is not null)
        {
            all["sub"] = sub;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = all,
            IssuedAt = now.AddMinutes(-1),
            NotBefore = now + (notBeforeIn ?? TimeSpan.FromMinutes(-1)),
            Expires = now + (expiresIn ?? TimeSpan.FromHours(1)),
            SigningCredentials = credentials ?? Hs256(),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>An unsigned token (<c>alg: none</c>).</summary>
    public static string WithoutSignature(string sub)
    {
        static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return $$"""{{Encode("""{"alg":"none","typ":"JWT"}""")}}.{{Encode($$"""{"sub":"{{sub}}","iss":"{{Issuer}}","aud":"{{Audience}}","exp":{{exp}}}""")}}.""";
    }

    public static SigningCredentials Rs256(RSA rsa, string keyId) => new(new RsaSecurityKey(rsa) { KeyId = keyId }, SecurityAlgorithms.RsaSha256);

    public static SigningCredentials Es256(ECDsa ecdsa, string keyId) => new(new ECDsaSecurityKey(ecdsa) { KeyId = keyId }, SecurityAlgorithms.EcdsaSha256);
}
