namespace Realtime.Gateway.HttpApi;

/// <summary>
/// Who may call the HTTP publish API. Section <c>Realtime:Api</c>. A caller shows the key in
/// <c>X-Api-Key</c>, or a JWT (the gateway's own scheme, see <c>Realtime:Auth</c>) whose roles include
/// <see cref="Role"/>. With neither a key nor token validation configured, the API refuses every call.
/// </summary>
public sealed class RealtimeHttpApiOptions
{
    /// <summary>The API key (at least 16 characters). Never logged.</summary>
    public string? Key { get; set; }

    /// <summary>The role a JWT must carry (claim <c>role</c> or <c>roles</c>). Default <c>realtime-api</c>.</summary>
    public string Role { get; set; } = "realtime-api";
}
