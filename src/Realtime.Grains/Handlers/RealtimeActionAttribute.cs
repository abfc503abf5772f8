namespace Realtime.Grains.Handlers;

/// <summary>Names the <c>action</c> a controller method answers (without it, the method name camelCased, less "Async"), and its time limit.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class RealtimeActionAttribute : Attribute
{
    /// <summary>Keeps the method's name as the action.</summary>
    public RealtimeActionAttribute()
    {
    }

    /// <summary>Names the action.</summary>
    public RealtimeActionAttribute(string action) => Action = action;

    /// <summary>The action, or null for the method's name.</summary>
    public string? Action { get; }

    /// <summary>The handler's time limit in seconds; 0 keeps <see cref="HandlerOptions.Timeout"/>.</summary>
    public double TimeoutSeconds { get; set; }
}
