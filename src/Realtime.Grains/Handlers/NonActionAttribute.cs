namespace Realtime.Grains.Handlers;

/// <summary>Keeps a public controller method from being an action.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class NonActionAttribute : Attribute;
