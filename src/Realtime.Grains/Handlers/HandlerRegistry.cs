using System.Collections.Frozen;
using Microsoft.Extensions.DependencyInjection;

namespace Realtime.Grains.Handlers;

/// <summary>Every registered handler by (type, action), and raw endpoints' by path, built and checked once at start-up.</summary>
internal sealed class HandlerRegistry
{
    private readonly FrozenDictionary<(string Type, string Action, bool Raw), HandlerMethod> _handlers;

    public HandlerRegistry(IEnumerable<HandlerRegistration> registrations, IServiceProviderIsService isService)
    {
        var handlers = new Dictionary<(string, string, bool), HandlerMethod>();
        foreach (var registration in registrations)
        {
            var key = (registration.Type, registration.Action, registration.Raw);
            if (handlers.TryGetValue(key, out var existing))
            {
                throw new InvalidOperationException(
                    $"Two handlers for {(registration.Raw ? "raw endpoint " + registration.Action : registration.Type + "/" + registration.Action)}: {existing.Registration.Name} and {registration.Name}.");
            }

            handlers[key] = HandlerMethod.Create(registration, isService);
        }

        _handlers = handlers.ToFrozenDictionary();
    }

    public IEnumerable<HandlerMethod> All => _handlers.Values.OrderBy(h => h.Registration.Type, StringComparer.Ordinal).ThenBy(h => h.Registration.Action, StringComparer.Ordinal);

    /// <summary>The handler of <paramref name="message"/>: a frame's by its type and action, a raw endpoint's by its path.</summary>
    public bool TryGet(Realtime.Connections.InboundMessage message, out HandlerMethod handler)
        => _handlers.TryGetValue((message.Type, message.Action, message.Raw), out handler!);
}
