using System.Buffers.Text;
using System.Security.Cryptography;

namespace Realtime.Gateway.Connections;

/// <summary>
/// Resume tokens: <c>&lt;clientId&gt;.&lt;secret&gt;</c>, the secret 24 random bytes in base64url. Only the
/// secret's SHA-256 leaves the gateway; the token itself is written to its socket once and never logged.
/// </summary>
internal static class ResumeTokens
{
    private const int SecretBytes = 24;

    /// <summary>A new token for <paramref name="clientId"/> and the hash the session keeps.</summary>
    public static (string Token, byte[] Hash) New(string clientId)
    {
        var secret = RandomNumberGenerator.GetBytes(SecretBytes);
        return (clientId + "." + Base64Url.EncodeToString(secret), SHA256.HashData(secret));
    }

    /// <summary>The client id and secret hash of a token that has the token's shape; false for anything else.</summary>
    public static bool TryRead(string? token, out string clientId, out byte[] hash)
    {
        clientId = "";
        hash = [];
        var dot = token?.LastIndexOf('.') ?? -1;
        if (token is null || dot <= 2 || !token.StartsWith("c_", StringComparison.Ordinal) || token.Length - dot - 1 > 64)
        {
            return false;
        }

        var secret = new byte[SecretBytes + 3];
        int written;
        try
        {
            if (!Base64Url.TryDecodeFromChars(token.AsSpan(dot + 1), secret, out written) || written != SecretBytes)
            {
                return false;
            }
        }
        catch (FormatException)
        {
            // Not base64url at all: a token the server never gave.
            return false;
        }

        clientId = token[..dot];
        hash = SHA256.HashData(secret.AsSpan(0, written));
        return true;
    }
}
