using System.Reflection;

namespace Realtime.Handlers;

/// <summary>One (type, action) and the method that answers it: a delegate's, or a controller's.</summary>
internal sealed record HandlerRegistration(
    string Type,
    string Action,
    MethodInfo Method,
    object? Target,
    Type? ControllerType,
    TimeSpan? Timeout)
{
    /// <summary>Whether anonymous connections are refused with UNAUTHORIZED.</summary>
    public bool RequiresUser => Method.IsDefined(typeof(RequireUserAttribute), inherit: true)
        || (ControllerType?.IsDefined(typeof(RequireUserAttribute), inherit: true) ?? false);

    public string Name => ControllerType is null
        ? $"{Type}/{Action} (delegate {Method.Name})"
        : $"{Type}/{Action} ({ControllerType.Name}.{Method.Name})";
}
