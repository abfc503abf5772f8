using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Realtime.Grains.Events;
using Realtime.Grains.Handlers;

namespace Realtime.Grains;

/// <summary>Builds the handler and subscriber tables when the silo starts, so a bad registration fails the start, and lists them in the log.</summary>
internal sealed partial class HandlerStartup(HandlerRegistry registry, SubscriberRegistry subscribers, ILogger<HandlerStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var handler in registry.All)
        {
            LogHandler(handler.Registration.Name);
        }

        foreach (var subscriber in subscribers.All)
        {
            LogSubscriber(subscriber.Name, subscriber.Describe(), subscriber.Priority, subscriber.Description ?? "");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Handler {Handler}")]
    private partial void LogHandler(string handler);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Subscriber {Name} on {Channels} (priority {Priority}): {Description}")]
    private partial void LogSubscriber(string name, string channels, int priority, string description);
}
