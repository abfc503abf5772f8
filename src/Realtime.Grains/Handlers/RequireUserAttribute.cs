namespace Realtime.Handlers;

/// <summary>
/// The handler answers signed-in users only: an anonymous connection gets <c>UNAUTHORIZED</c>.
/// On a controller class it applies to every action; on a delegate, put it on the lambda.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, Inherited = true)]
public sealed class RequireUserAttribute : Attribute;
