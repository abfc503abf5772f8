using Microsoft.Extensions.DependencyInjection;

namespace Realtime.Grains.Events;

/// <summary>Registers the subscribers that handle custom and lifecycle events in this silo.</summary>
public sealed class RealtimeSubscribersBuilder
{
    private readonly IServiceCollection _services;

    internal RealtimeSubscribersBuilder(IServiceCollection services) => _services = services;

    /// <summary>Adds a subscriber.</summary>
    public RealtimeSubscribersBuilder Add(RealtimeSubscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        _services.AddSingleton(new SubscriberRegistration(_ => subscriber));
        return this;
    }

    /// <summary>Adds a class-based subscriber, built once with the silo's services.</summary>
    public RealtimeSubscribersBuilder Add<TSubscriber>()
        where TSubscriber : RealtimeSubscriberBase
    {
        _services.AddSingleton(new SubscriberRegistration(services => ActivatorUtilities.CreateInstance<TSubscriber>(services).ToSubscriber()));
        return this;
    }

    /// <summary>Adds a handler for the channels <paramref name="match"/> takes.</summary>
    public RealtimeSubscribersBuilder On(ChannelMatch match, Func<RealtimeEventContext, Task> handler, string? name = null, int priority = 0)
        => Add(new RealtimeSubscriber { Name = name ?? match.ToString(), Match = match, Handler = handler, Priority = priority });
}

/// <summary>One subscriber, built when the silo starts.</summary>
internal sealed record SubscriberRegistration(Func<IServiceProvider, RealtimeSubscriber> Create);
