using System.Security.Claims;

namespace Realtime.Grains.Handlers;

/// <summary>The handler answers users with any of these roles (claims <c>role</c> or <c>roles</c>); others get <c>FORBIDDEN</c>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true, AllowMultiple = true)]
public sealed class RequireRoleAttribute(params string[] roles) : RequireUserAttribute
{
    /// <summary>The roles, any of which is enough.</summary>
    public IReadOnlyList<string> Roles { get; } = roles;

    /// <inheritdoc />
    public override bool IsMet(ClaimsPrincipal user)
        => user.Claims.Any(c => c.Type is "role" or "roles" or ClaimTypes.Role && Roles.Contains(c.Value, StringComparer.Ordinal));
}
