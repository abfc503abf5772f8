using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Realtime.Delivery;
using Realtime.Gateway.Connections;

namespace Realtime.Gateway.Delivery;

/// <summary>
/// Everything on this gateway's stream lands here and is written to local sockets: each push was
/// serialised once upstream, and the same bytes go to every recipient's send queue.
/// </summary>
internal sealed partial class GatewayStreamConsumer(
    ConnectionTable connections,
    LocalRooms rooms,
    ILogger<GatewayStreamConsumer> logger) : IAsyncObserver<GatewayMessage>
{
    public Task OnNextAsync(GatewayMessage item, StreamSequenceToken? token = null)
    {
        try
        {
            Deliver(item);
        }
        catch (Exception exception)
        {
            // One bad item must not end the subscription.
            LogDeliveryFailed(exception, item.GetType().Name);
        }

        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        LogStreamError(ex);
        return Task.CompletedTask;
    }

    internal void Deliver(GatewayMessage item)
    {
        switch (item)
        {
            case RoomPush push:
                rooms.Deliver(push);
                break;
            case RoomEventPush push:
                rooms.Deliver(push);
                break;
            case TargetedPush push:
                Deliver(push);
                break;
        }
    }

    private void Deliver(TargetedPush push)
    {
        var rules = new DeliveryRules(push.Exclude, push.Filter);
        switch (push.Kind)
        {
            case PushTargetKind.Clients:
                foreach (var clientId in push.Keys)
                {
                    if (connections.TryGet(clientId, out var connection) && rules.Accepts(connection))
                    {
                        connection.Send(push.Frame);
                    }
                }

                break;
            case PushTargetKind.Rooms:
                rooms.DeliverToRooms(push.Keys, push.Frame, rules);
                break;
            case PushTargetKind.All:
                foreach (var connection in connections.All)
                {
                    if (rules.Accepts(connection))
                    {
                        connection.Send(push.Frame);
                    }
                }

                break;
            case PushTargetKind.Path:
                var path = push.Keys.Length > 0 ? push.Keys[0] : "";
                foreach (var connection in connections.All)
                {
                    if (string.Equals(connection.Path, path, StringComparison.Ordinal) && rules.Accepts(connection))
                    {
                        connection.Send(push.Frame);
                    }
                }

                break;
        }
    }

    [LoggerMessage(EventId = 2200, Level = LogLevel.Error, Message = "A {Item} from the gateway stream could not be delivered.")]
    private partial void LogDeliveryFailed(Exception exception, string item);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "The gateway stream reported an error.")]
    private partial void LogStreamError(Exception exception);
}
