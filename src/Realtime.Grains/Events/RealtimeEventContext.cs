using System.Text.Json;
using Microsoft.Extensions.Logging;
using Realtime.Api;
using Realtime.Events;
using Realtime.Protocol;

namespace Realtime.Grains.Events;

/// <summary>What a subscriber (and its middleware) knows while it handles one event.</summary>
public sealed class RealtimeEventContext
{
    private JsonElement? _payload;

    internal RealtimeEventContext(RealtimeEvent realtimeEvent, string subscriber, IRealtime realtime, IServiceProvider services, ILogger logger, CancellationToken cancellationToken)
    {
        Event = realtimeEvent;
        Subscriber = subscriber;
        Realtime = realtime;
        Services = services;
        Logger = logger;
        CancellationToken = cancellationToken;
    }

    /// <summary>The event.</summary>
    public RealtimeEvent Event { get; }

    /// <summary>The event's channel.</summary>
    public string Channel => Event.Channel;

    /// <summary>The event's payload as JSON; <see cref="JsonValueKind.Undefined"/> when it has none.</summary>
    public JsonElement Payload => _payload ??= Event.Payload.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(Event.Payload);

    /// <summary>The name of the subscriber handling it.</summary>
    public string Subscriber { get; }

    /// <summary>Which attempt this is (1 the first; more under the retry middleware).</summary>
    public int Attempt { get; internal set; } = 1;

    /// <summary>Push to clients, publish further events.</summary>
    public IRealtime Realtime { get; }

    /// <summary>The silo's services.</summary>
    public IServiceProvider Services { get; }

    /// <summary>A logger named after the subscriber.</summary>
    public ILogger Logger { get; }

    /// <summary>Cancelled when the subscriber runs past its time limit.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Values middleware and the handler share for this event.</summary>
    public IDictionary<string, object?> Items { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>The payload bound to <typeparamref name="T"/> (camelCase JSON).</summary>
    public T? PayloadAs<T>() => Event.PayloadAs<T>(RealtimeJson.DefaultDataOptions);
}
