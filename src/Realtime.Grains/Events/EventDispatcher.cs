using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Realtime.Api;
using Realtime.Events;

namespace Realtime.Grains.Events;

/// <summary>Runs the subscribers that take an event's channel, highest priority first; one failing does not stop the others.</summary>
internal sealed partial class EventDispatcher(
    SubscriberRegistry registry,
    IRealtime realtime,
    IServiceScopeFactory scopes,
    IOptions<EventOptions> options,
    ILoggerFactory loggers,
    ILogger<EventDispatcher> logger)
{
    public async Task DispatchAsync(RealtimeEvent realtimeEvent)
    {
        foreach (var subscriber in registry.For(realtimeEvent.Channel))
        {
            await RunAsync(subscriber, realtimeEvent);
        }
    }

    private async Task RunAsync(RealtimeSubscriber subscriber, RealtimeEvent realtimeEvent)
    {
        var timeout = subscriber.Timeout ?? options.Value.SubscriberTimeout;
        using var cancellation = new CancellationTokenSource(timeout);
        await using var scope = scopes.CreateAsyncScope();
        var context = new RealtimeEventContext(
            realtimeEvent, subscriber.Name, realtime, scope.ServiceProvider, loggers.CreateLogger("Realtime.Subscribers." + subscriber.Name), cancellation.Token);
        SubscriberMiddleware[] pipeline =
        [
            SubscriberMiddlewares.Hooks(subscriber.OnBefore, subscriber.OnAfter, subscriber.OnError),
            .. subscriber.Middleware,
        ];
        try
        {
            await SubscriberMiddlewares.Pipeline(pipeline, context, () => subscriber.Handler(context)).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            LogTimedOut(subscriber.Name, realtimeEvent.Id, realtimeEvent.Channel, timeout);
        }
        catch (Exception exception)
        {
            LogFailed(exception, subscriber.Name, realtimeEvent.Id, realtimeEvent.Channel);
        }
    }

    [LoggerMessage(EventId = 1800, Level = LogLevel.Error, Message = "Subscriber {Subscriber} failed on event {EventId} of channel {Channel}.")]
    private partial void LogFailed(Exception exception, string subscriber, string eventId, string channel);

    [LoggerMessage(EventId = 1801, Level = LogLevel.Warning, Message = "Subscriber {Subscriber} ran past {Timeout} on event {EventId} of channel {Channel}.")]
    private partial void LogTimedOut(string subscriber, string eventId, string channel, TimeSpan timeout);
}
