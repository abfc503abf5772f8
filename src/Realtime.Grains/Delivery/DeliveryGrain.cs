using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Realtime.Delivery;
using Realtime.Events;
using Realtime.Grains.Events;
using Realtime.Grains.Users;
using Realtime.Protocol;
using Realtime.Rooms;

namespace Realtime.Grains.Delivery;

/// <summary>
/// Resolves where the recipients of an unsequenced push are, then sends one stream item per gateway.
/// A stateless worker: activations on every silo, each handling calls one at a time. Each gateway
/// is sent to on its own: one that cannot be reached is logged and the others still get the push
/// (as a room does), so a caller never retries what most gateways already have.
/// </summary>
[StatelessWorker]
internal sealed partial class DeliveryGrain(Lifecycle lifecycle, IOptions<UserRoomOptions> users, ILogger<DeliveryGrain> logger) : Grain, IDeliveryGrain
{
    public async Task SendToClients(string[] clientIds, byte[] frame, string[]? exclude, Dictionary<string, string>? filter)
        => await SendByGateway(await ClientsByGateway(clientIds), ids => new ConnectionsPush(ids, frame, exclude, filter));

    public async Task SendToUsers(string[] userIds, string type, string action, byte[] data, string[]? exclude, Dictionary<string, string>? filter)
    {
        if (!users.Value.Rooms)
        {
            var frame = ServerFrames.Push(type, action, data);
            await SendByGateway(await UsersByGateway(userIds), ids => new ConnectionsPush(ids, frame, exclude, filter));
            return;
        }

        // Every user's room at once: a room that fails is logged and the others still broadcast.
        var request = new RoomPublishRequest(null, type, action, data, Echo: true, exclude, filter);
        await Task.WhenAll(userIds.Select(async userId =>
        {
            var room = RoomNames.ForUser(userId);
            try
            {
                var result = await GrainFactory.GetRoomGrain(room).Publish(request);
                if (!result.Ok)
                {
                    LogUserRoomRefused(room, result.ErrorCode, result.Error);
                }
            }
            catch (Exception exception)
            {
                LogUserRoomFailed(exception, room);
            }
        }));
    }

    public async Task<bool> SendRequest(ClientRequest request)
    {
        if (await GrainFactory.GetClientGrain(request.ClientId).GetGateway() is not { } gatewayId)
        {
            return false;
        }

        // Not through Send: a request the gateway never gets must fail its caller now, not time out.
        await this.GetStreamProvider(RealtimeStreams.ProviderName)
            .GetStream<GatewayMessage>(RealtimeStreams.ForGateway(gatewayId))
            .OnNextAsync(request);
        return true;
    }

    public async Task DisconnectClients(string[] clientIds, int closeCode, string reason)
    {
        // Ended by the server: no resume brings the sessions back.
        await Task.WhenAll(clientIds.Select(id => GrainFactory.GetClientGrain(id).Revoke()));
        await SendByGateway(await ClientsByGateway(clientIds), ids => new DisconnectCommand(ids, closeCode, reason));
        await lifecycle.PublishAsync(this, RealtimeEventChannels.DisconnectClient, new DisconnectPayload(clientIds, [], closeCode, reason));
    }

    public async Task DisconnectUsers(string[] userIds, int closeCode, string reason)
    {
        var byGateway = await UsersByGateway(userIds);
        await Task.WhenAll(byGateway.Values.SelectMany(ids => ids).Select(id => GrainFactory.GetClientGrain(id).Revoke()));
        await SendByGateway(byGateway, ids => new DisconnectCommand(ids, closeCode, reason));
        await lifecycle.PublishAsync(this, RealtimeEventChannels.DisconnectClient, new DisconnectPayload([], userIds, closeCode, reason));
    }

    public Task PublishEvent(RealtimeEvent realtimeEvent)
        => this.GetStreamProvider(RealtimeStreams.ProviderName)
            .GetStream<RealtimeEvent>(RealtimeStreams.ForEventChannel(realtimeEvent.Channel))
            .OnNextAsync(realtimeEvent);

    public async Task SendToRooms(string[] rooms, byte[] frame, string[]? exclude, Dictionary<string, string>? filter)
    {
        var gatewaysPerRoom = await Task.WhenAll(rooms.Select(room => GrainFactory.GetRoomGrain(room).GetGateways()));
        var gateways = gatewaysPerRoom.SelectMany(g => g).Distinct(StringComparer.Ordinal);
        var push = new RoomsPush(rooms, frame, exclude, filter);
        await Task.WhenAll(gateways.Select(gatewayId => Send(gatewayId, push)));
    }

    public async Task SendToAll(byte[] frame, string[]? exclude, Dictionary<string, string>? filter)
    {
        await SendToEveryGateway(new EveryonePush(frame, exclude, filter));
        if (lifecycle.Wanted(RealtimeEventChannels.SendMessageToAll))
        {
            var (type, action) = ServerFrames.TypeAndAction(frame);
            await lifecycle.PublishAsync(this, RealtimeEventChannels.SendMessageToAll, new SendToAllPayload(type, action));
        }
    }

    public Task SendToPath(string path, byte[] frame, string[]? exclude, Dictionary<string, string>? filter)
        => SendToEveryGateway(new PathPush(path, frame, exclude, filter));

    private async Task SendToEveryGateway(GatewayMessage push)
    {
        var gateways = await GrainFactory.GetGatewayRegistry().GetGateways();
        await Task.WhenAll(gateways.Select(lease => Send(lease.GatewayId, push)));
    }

    private async Task<Dictionary<string, List<string>>> ClientsByGateway(string[] clientIds)
    {
        var gateways = await Task.WhenAll(clientIds.Select(id => GrainFactory.GetClientGrain(id).GetGateway()));
        var byGateway = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < clientIds.Length; i++)
        {
            if (gateways[i] is { } gatewayId)
            {
                Add(byGateway, gatewayId, clientIds[i]);
            }
        }

        return byGateway;
    }

    private async Task<Dictionary<string, List<string>>> UsersByGateway(string[] userIds)
    {
        var connections = await Task.WhenAll(userIds.Select(id => GrainFactory.GetUserPresenceGrain(id).GetConnections()));
        var byGateway = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var userConnections in connections)
        {
            foreach (var connection in userConnections)
            {
                Add(byGateway, connection.GatewayId, connection.ClientId);
            }
        }

        return byGateway;
    }

    /// <summary>One stream item per gateway, made from the ids of its connections.</summary>
    private Task SendByGateway(Dictionary<string, List<string>> byGateway, Func<string[], GatewayMessage> item)
        => Task.WhenAll(byGateway.Select(pair => Send(pair.Key, item([.. pair.Value]))));

    private async Task Send(string gatewayId, GatewayMessage message)
    {
        try
        {
            await this.GetStreamProvider(RealtimeStreams.ProviderName)
                .GetStream<GatewayMessage>(RealtimeStreams.ForGateway(gatewayId))
                .OnNextAsync(message);
        }
        catch (Exception exception)
        {
            LogGatewaySendFailed(exception, message.GetType().Name, gatewayId);
        }
    }

    private static void Add(Dictionary<string, List<string>> byGateway, string gatewayId, string clientId)
    {
        if (!byGateway.TryGetValue(gatewayId, out var list))
        {
            byGateway[gatewayId] = list = [];
        }

        list.Add(clientId);
    }

    [LoggerMessage(EventId = 1910, Level = LogLevel.Error, Message = "A push to the user's room {Room} failed; the other users' rooms were sent theirs.")]
    private partial void LogUserRoomFailed(Exception exception, string room);

    [LoggerMessage(EventId = 1911, Level = LogLevel.Warning, Message = "The user's room {Room} refused a push: {Code} {Error}")]
    private partial void LogUserRoomRefused(string room, string? code, string? error);

    [LoggerMessage(EventId = 1900, Level = LogLevel.Error, Message = "A {Item} could not be sent to gateway {Gateway}; the other gateways were sent theirs.")]
    private partial void LogGatewaySendFailed(Exception exception, string item, string gateway);
}
