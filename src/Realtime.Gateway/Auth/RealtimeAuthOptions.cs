namespace Realtime.Gateway.Auth;

/// <summary>
/// Who may connect. Section <c>Realtime:Auth</c>. Tokens are JWTs, from <c>?token=</c> or
/// <c>Authorization: Bearer</c>; their <c>sub</c> is the user id.
/// </summary>
public sealed class RealtimeAuthOptions
{
    /// <summary>
    /// An HS256 key (at least 32 bytes of UTF-8 text, or <c>base64:</c> followed by base64). Never logged.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>An OpenID Connect authority whose signing keys (RS256, ES256) are fetched from its discovery document and JWKS.</summary>
    public string? Authority { get; set; }

    /// <summary>The discovery document, when it is not at <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>Whether the discovery document must be fetched over HTTPS. Default true.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The issuer tokens must name (<c>iss</c>); checked when set.</summary>
    public string? Issuer { get; set; }

    /// <summary>The audience tokens must name (<c>aud</c>); checked when set.</summary>
    public string? Audience { get; set; }

    /// <summary>How far token lifetimes may be off the server's clock. Default 30 s.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether a connection without a token is let in as anonymous. Default: yes when no key and no
    /// authority are configured (the embedded demo), no when one is.
    /// </summary>
    public bool? AllowAnonymous { get; set; }

    /// <summary>Origins a browser may connect from; a request from any other <c>Origin</c> gets 403. Empty allows all.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>
    /// Not a gateway setting any more: the per-user connection limit is a rule of the whole cluster,
    /// <c>Realtime:Presence:MaxConnectionsPerUser</c> on the silos. Setting it here fails the start,
    /// so a limit is never dropped without a word.
    /// </summary>
    public int MaxConnectionsPerUser { get; set; }

    /// <summary>True when tokens can be validated (a key or an authority is configured).</summary>
    public bool TokensEnabled => !string.IsNullOrEmpty(SigningKey) || !string.IsNullOrEmpty(Authority) || !string.IsNullOrEmpty(MetadataAddress);

    /// <summary>The effective anonymous rule.</summary>
    public bool AnonymousAllowed => AllowAnonymous ?? !TokensEnabled;
}
