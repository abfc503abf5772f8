using System.Reflection;

namespace Realtime.Grains.Handlers;

/// <summary>One (type, action) and the method that answers it: a delegate's, or a controller's.</summary>
internal sealed record HandlerRegistration(
    string Type,
    string Action,
    MethodInfo Method,
    object? Target,
    Type? ControllerType,
    TimeSpan? Timeout,
    bool Raw = false)
{
    /// <summary>The handler's user requirements, from the method and its controller; any one refuses anonymous connections.</summary>
    public RequireUserAttribute[] Requirements =>
    [
        .. Method.GetCustomAttributes<RequireUserAttribute>(inherit: true),
        .. ControllerType?.GetCustomAttributes<RequireUserAttribute>(inherit: true) ?? [],
    ];

    public string Name => Raw ? $"raw endpoint {Action} ({DelegateName})"
        : ControllerType is null
        ? $"{Type}/{Action} ({DelegateName})"
        : $"{Type}/{Action} ({ControllerType.Name}.{Method.Name})";

    /// <summary>A delegate by its method's name, unless the compiler made it up (a lambda's <c>&lt;Register&gt;b__0_1</c>).</summary>
    private string DelegateName => Method.Name.Contains('<', StringComparison.Ordinal) ? "delegate" : $"delegate {Method.Name}";
}
