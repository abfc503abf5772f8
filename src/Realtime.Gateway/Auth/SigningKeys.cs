using System.Text;

namespace Realtime.Gateway.Auth;

internal static class SigningKeys
{
    private const string Base64Prefix = "base64:";

    /// <summary>The key's bytes: UTF-8 text, or base64 after a <c>base64:</c> prefix.</summary>
    public static byte[] Decode(string key)
        => key.StartsWith(Base64Prefix, StringComparison.Ordinal)
            ? Convert.FromBase64String(key[Base64Prefix.Length..])
            : Encoding.UTF8.GetBytes(key);
}
