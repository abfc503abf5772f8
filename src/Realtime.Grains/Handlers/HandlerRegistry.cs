using System.Collections.Frozen;
using Microsoft.Extensions.DependencyInjection;

namespace Realtime.Grains.Handlers;

/// <summary>Every registered handler by (type, action), built and checked once at start-up.</summary>
internal sealed class HandlerRegistry
{
    private readonly FrozenDictionary<(string Type, string Action), HandlerMethod> _handlers;

    public HandlerRegistry(IEnumerable<HandlerRegistration> registrations, IServiceProviderIsService isService)
    {
        var handlers = new Dictionary<(string, string), HandlerMethod>();
        foreach (var registration in registrations)
        {
            var key = (registration.Type, registration.Action);
            if (handlers.TryGetValue(key, out var existing))
            {
                throw new InvalidOperationException(
                    $"Two handlers for {registration.Type}/{registration.Action}: {existing.Registration.Name} and {registration.Name}.");
            }

            handlers[key] = HandlerMethod.Create(registration, isService);
        }

        _handlers = handlers.ToFrozenDictionary();
    }

    public IEnumerable<HandlerMethod> All => _handlers.Values.OrderBy(h => h.Registration.Type, StringComparer.Ordinal).ThenBy(h => h.Registration.Action, StringComparer.Ordinal);

    public bool TryGet(string type, string action, out HandlerMethod handler)
        => _handlers.TryGetValue((type, action), out handler!);
}
