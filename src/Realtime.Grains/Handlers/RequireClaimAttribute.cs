using System.Security.Claims;

namespace Realtime.Grains.Handlers;

/// <summary>
/// The handler answers users whose token has the claim (with any of the values, when given);
/// others get <c>FORBIDDEN</c>. A space-separated claim (<c>scope</c>) matches any of its words.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true, AllowMultiple = true)]
public sealed class RequireClaimAttribute(string type, params string[] values) : RequireUserAttribute
{
    /// <summary>The claim type.</summary>
    public string Type { get; } = type;

    /// <summary>The accepted values; empty accepts any.</summary>
    public IReadOnlyList<string> Values { get; } = values;

    /// <inheritdoc />
    public override bool IsMet(ClaimsPrincipal user)
        => user.Claims.Any(c => c.Type == Type
            && (Values.Count == 0 || Values.Contains(c.Value, StringComparer.Ordinal)
                || c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(word => Values.Contains(word, StringComparer.Ordinal))));
}
