using System.Security.Claims;

namespace Realtime.Grains.Handlers;

/// <summary>
/// The handler answers signed-in users only: an anonymous connection gets <c>UNAUTHORIZED</c>.
/// On a controller class it applies to every action; on a delegate, put it on the lambda.
/// Derived attributes add a condition on the user's claims: a user who fails it gets <c>FORBIDDEN</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true, AllowMultiple = true)]
public class RequireUserAttribute : Attribute
{
    /// <summary>Whether the signed-in user may call the handler.</summary>
    public virtual bool IsMet(ClaimsPrincipal user) => true;
}
