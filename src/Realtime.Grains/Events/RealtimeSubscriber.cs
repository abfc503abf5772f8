namespace Realtime.Grains.Events;

/// <summary>
/// A subscriber: the channels it takes (<see cref="Channel"/>, <see cref="Channels"/> and/or
/// <see cref="Match"/>), its <see cref="Priority"/> (higher runs first), a name and description for the
/// logs and the start-up listing, its handler, the phase hooks around it, and middleware.
/// </summary>
public sealed class RealtimeSubscriber
{
    /// <summary>The subscriber's name (logs, start-up listing). Required.</summary>
    public required string Name { get; init; }

    /// <summary>What it does, for the start-up listing.</summary>
    public string? Description { get; init; }

    /// <summary>One channel it takes.</summary>
    public string? Channel { get; init; }

    /// <summary>Several channels it takes.</summary>
    public IReadOnlyList<string>? Channels { get; init; }

    /// <summary>Channels it takes by pattern or predicate (see <see cref="ChannelMatch"/>).</summary>
    public ChannelMatch? Match { get; init; }

    /// <summary>Higher runs first; equal priorities run in the order they were added. Default 0.</summary>
    public int Priority { get; init; }

    /// <summary>Handles an event. Required.</summary>
    public required Func<RealtimeEventContext, Task> Handler { get; init; }

    /// <summary>Runs before the handler; returning false skips it.</summary>
    public Func<RealtimeEventContext, ValueTask<bool>>? OnBefore { get; init; }

    /// <summary>Runs after the handler succeeded.</summary>
    public Func<RealtimeEventContext, ValueTask>? OnAfter { get; init; }

    /// <summary>Runs when the handler (or a middleware) threw; returning true suppresses the error.</summary>
    public Func<RealtimeEventContext, Exception, ValueTask<bool>>? OnError { get; init; }

    /// <summary>Middleware around the handler, outermost first (see <see cref="SubscriberMiddlewares"/>).</summary>
    public IReadOnlyList<SubscriberMiddleware> Middleware { get; init; } = [];

    /// <summary>How long one event may take (all attempts included); null: the events' default time limit.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Whether the subscriber takes <paramref name="channel"/>.</summary>
    public bool Takes(string channel)
        => (Channel is not null && string.Equals(Channel, channel, StringComparison.Ordinal))
            || (Channels is not null && Channels.Contains(channel, StringComparer.Ordinal))
            || (Match is not null && Match.IsMatch(channel));

    /// <summary>The channels it takes, for the start-up listing.</summary>
    public string Describe()
        => string.Join(" | ", new[] { Channel }.Concat(Channels ?? []).Concat(Match is null ? [] : [Match.ToString()]).Where(c => c is not null));
}
