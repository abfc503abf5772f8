using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Protocol;

namespace Realtime.Grains.Handlers;

/// <summary>Registers the handlers that answer application frames, by (<c>type</c>, <c>action</c>).</summary>
public sealed class RealtimeHandlerBuilder
{
    private readonly IServiceCollection _services;

    internal RealtimeHandlerBuilder(IServiceCollection services) => _services = services;

    /// <summary>
    /// Maps <paramref name="type"/>/<paramref name="action"/> to a delegate. Its parameters may be
    /// <see cref="HandlerContext"/>, <see cref="CancellationToken"/>, <see cref="Api.IRealtime"/>,
    /// <see cref="System.Text.Json.JsonElement"/> (the data), any registered service, and one more
    /// parameter bound from <c>data</c>. Its return value (awaited) is the reply's <c>data</c>.
    /// </summary>
    public RealtimeHandlerBuilder Map(string type, string action, Delegate handler, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add(new HandlerRegistration(type, action, handler.Method, handler.Target, null, timeout));
        return this;
    }

    /// <summary>
    /// Maps the raw endpoint <paramref name="path"/> (a gateway's <c>Realtime:Gateway:RawEndpoints</c>) to a
    /// delegate that takes each message whole: bind it as <c>string</c> on a <c>String</c> endpoint, as
    /// <c>byte[]</c> on a <c>Binary</c> one (<see cref="HandlerContext.Data"/> holds it as a JSON string,
    /// base64 for bytes). Its other parameters are those of <see cref="Map"/>; its return value, when not
    /// null, goes back to the connection with no envelope: a string as text, bytes as a binary message,
    /// anything else as its JSON text. The handler's own pushes (<c>IRealtime</c>) reach the connection so too.
    /// </summary>
    public RealtimeHandlerBuilder MapRaw(string path, Delegate handler, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(handler);
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException($"A raw endpoint's path starts with /: {path}", nameof(path));
        }

        Add(new HandlerRegistration(Realtime.Connections.InboundMessage.RawType, path, handler.Method, handler.Target, null, timeout, Raw: true));
        return this;
    }

    /// <summary>
    /// Adds a controller: each public method is an action of the controller's type
    /// (<see cref="RealtimeControllerAttribute"/>, <see cref="RealtimeActionAttribute"/>).
    /// </summary>
    public RealtimeHandlerBuilder AddController<TController>()
        where TController : class
        => AddController(typeof(TController));

    /// <summary>Adds a controller type; see <see cref="AddController{TController}"/>.</summary>
    public RealtimeHandlerBuilder AddController(Type controllerType)
    {
        ArgumentNullException.ThrowIfNull(controllerType);
        if (controllerType.IsAbstract || !controllerType.IsClass)
        {
            throw new ArgumentException($"{controllerType.Name} must be a concrete class to be a controller.", nameof(controllerType));
        }

        var type = controllerType.GetCustomAttribute<RealtimeControllerAttribute>()?.Type
            ?? CamelCase(TrimSuffix(controllerType.Name, "Controller"));
        var count = 0;
        foreach (var method in controllerType.GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            if (method.IsSpecialName
                || method.DeclaringType == typeof(object)
                || method.DeclaringType == typeof(RealtimeController)
                || method.IsDefined(typeof(NonActionAttribute)))
            {
                continue;
            }

            var attribute = method.GetCustomAttribute<RealtimeActionAttribute>();
            var action = attribute?.Action ?? CamelCase(TrimSuffix(method.Name, "Async"));
            var timeout = attribute is { TimeoutSeconds: > 0 } ? TimeSpan.FromSeconds(attribute.TimeoutSeconds) : (TimeSpan?)null;
            Add(new HandlerRegistration(type, action, method, null, controllerType, timeout));
            count++;
        }

        if (count == 0)
        {
            throw new ArgumentException($"Controller {controllerType.Name} has no public action methods.", nameof(controllerType));
        }

        return this;
    }

    private void Add(HandlerRegistration registration)
    {
        ArgumentException.ThrowIfNullOrEmpty(registration.Type);
        ArgumentException.ThrowIfNullOrEmpty(registration.Action);
        if (registration.Type == SystemActions.Type)
        {
            throw new ArgumentException($"The type '{SystemActions.Type}' is reserved for built-in actions ({registration.Name}).");
        }

        _services.AddSingleton(registration);
    }

    private static string TrimSuffix(string name, string suffix)
        => name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal) ? name[..^suffix.Length] : name;

    private static string CamelCase(string name)
        => name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
