using Orleans.Streams;
using Orleans.Streams.Core;
using Realtime.Delivery;
using Realtime.Events;

namespace Realtime.Grains.Events;

/// <summary>The grain of one event channel: the only one in the cluster that receives the channel's stream.</summary>
[Alias("realtime.IEventChannelGrain")]
internal interface IEventChannelGrain : IGrainWithStringKey;

/// <summary>
/// Handles every event of its channel, once, in the order published: one activation per channel in
/// the cluster (an implicit subscription to the channel's stream). Not reentrant, so a channel's
/// events never overlap.
/// </summary>
[ImplicitStreamSubscription(RealtimeStreams.EventNamespace)]
internal sealed class EventChannelGrain(EventDispatcher dispatcher) : Grain, IEventChannelGrain, IStreamSubscriptionObserver
{
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
        => await handleFactory.Create<RealtimeEvent>().ResumeAsync((realtimeEvent, _) => dispatcher.DispatchAsync(realtimeEvent));
}
