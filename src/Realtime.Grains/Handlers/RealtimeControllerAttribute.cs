namespace Realtime.Grains.Handlers;

/// <summary>Names the frame <c>type</c> a controller answers; without it, the class name less "Controller", camelCased.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RealtimeControllerAttribute(string type) : Attribute
{
    /// <summary>The frame type.</summary>
    public string Type { get; } = type;
}
