using Microsoft.Extensions.Logging;
using Realtime.Delivery;
using Realtime.Events;

namespace Realtime.Grains.Events;

/// <summary>Publishes lifecycle events from grains, only when a subscriber takes the channel; a failure never fails the operation.</summary>
internal sealed partial class Lifecycle(SubscriberRegistry registry, ILogger<Lifecycle> logger)
{
    public bool Wanted(string channel) => registry.HasSubscribers(channel);

    public async Task PublishAsync<T>(IGrainBase grain, string channel, T payload)
    {
        if (!registry.HasSubscribers(channel))
        {
            return;
        }

        try
        {
            await grain.GetStreamProvider(RealtimeStreams.ProviderName)
                .GetStream<RealtimeEvent>(RealtimeStreams.ForEventChannel(channel))
                .OnNextAsync(RealtimeEvent.Create(channel, payload));
        }
        catch (Exception exception)
        {
            LogPublishFailed(exception, channel);
        }
    }

    [LoggerMessage(EventId = 1810, Level = LogLevel.Warning, Message = "The lifecycle event {Channel} could not be published.")]
    private partial void LogPublishFailed(Exception exception, string channel);
}
