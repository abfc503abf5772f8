using System.Collections.Concurrent;

namespace Realtime.Grains.Events;

/// <summary>Every subscriber of this silo, and which take a channel (highest priority first), cached by channel.</summary>
internal sealed class SubscriberRegistry
{
    private const int MaxCachedChannels = 10_000;
    private readonly RealtimeSubscriber[] _subscribers;
    private readonly ConcurrentDictionary<string, RealtimeSubscriber[]> _byChannel = new(StringComparer.Ordinal);

    public SubscriberRegistry(IEnumerable<SubscriberRegistration> registrations, IServiceProvider services)
    {
        var subscribers = registrations.Select(r => r.Create(services)).ToList();
        foreach (var subscriber in subscribers)
        {
            if (string.IsNullOrWhiteSpace(subscriber.Name))
            {
                throw new InvalidOperationException("A subscriber needs a name.");
            }

            if (subscriber.Channel is null && subscriber.Channels is not { Count: > 0 } && subscriber.Match is null)
            {
                throw new InvalidOperationException($"Subscriber {subscriber.Name} takes no channel: set Channel, Channels or Match.");
            }
        }

        // Higher priority first; equal priorities in the order they were added.
        _subscribers = [.. subscribers.Select((s, i) => (s, i)).OrderByDescending(x => x.s.Priority).ThenBy(x => x.i).Select(x => x.s)];
    }

    public IReadOnlyList<RealtimeSubscriber> All => _subscribers;

    public RealtimeSubscriber[] For(string channel)
    {
        if (_byChannel.TryGetValue(channel, out var cached))
        {
            return cached;
        }

        var matching = _subscribers.Where(s => s.Takes(channel)).ToArray();
        if (_byChannel.Count >= MaxCachedChannels)
        {
            _byChannel.Clear();
        }

        _byChannel[channel] = matching;
        return matching;
    }

    public bool HasSubscribers(string channel) => _subscribers.Length > 0 && For(channel).Length > 0;
}
