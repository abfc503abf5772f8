using System.Text;

namespace Realtime.Api;

/// <summary>HTTP Basic authentication, as the hosts' operator pages read it: the password is the API key, any user name.</summary>
public static class BasicCredentials
{
    private const string Prefix = "Basic ";

    /// <summary>The password of an <c>Authorization: Basic</c> header's value, or null when it is not one or is malformed.</summary>
    public static string? PasswordOf(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[Prefix.Length..].Trim()));
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : pair[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The <c>WWW-Authenticate</c> challenge that makes a browser ask for them.</summary>
    public static string Challenge(string realm) => $"Basic realm=\"{realm}\", charset=\"UTF-8\"";
}
