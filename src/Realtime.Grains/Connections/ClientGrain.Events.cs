using Realtime.Connections;
using Realtime.Events;
using Realtime.Grains.Events;

namespace Realtime.Grains.Connections;

/// <summary>What a connection's grain tells the application: lifecycle events for subscribers, and the server hooks.</summary>
internal sealed partial class ClientGrain
{
    private ClientEventPayload ClientPayload => new(ClientId, State.UserId, State.GatewayId, State.Path);

    private async Task Connected()
    {
        await _lifecycle.PublishAsync(this, RealtimeEventChannels.ClientConnected, ClientPayload);
        if (_hooks.Any && await GetInfo() is { } info)
        {
            await _hooks.RunAsync("connected", (hook, token) => hook.OnConnectedAsync(info, token));
        }
    }

    private async Task Disconnected(ClientInfo info, IEnumerable<string> rooms)
    {
        foreach (var room in rooms)
        {
            await _lifecycle.PublishAsync(this, RealtimeEventChannels.ClientLeftRoom, new RoomEventPayload(info.ClientId, info.UserId, room));
        }

        await _lifecycle.PublishAsync(this, RealtimeEventChannels.ClientDisconnected, new ClientEventPayload(info.ClientId, info.UserId, info.GatewayId, info.Path));
        if (_hooks.Any)
        {
            await _hooks.RunAsync("disconnected", (hook, token) => hook.OnDisconnectedAsync(info, token));
        }
    }

    private Task JoinedRoom(string room)
        => _lifecycle.PublishAsync(this, RealtimeEventChannels.ClientJoinedRoom, new RoomEventPayload(ClientId, State.UserId, room));

    private Task LeftRoom(string room)
        => _lifecycle.PublishAsync(this, RealtimeEventChannels.ClientLeftRoom, new RoomEventPayload(ClientId, State.UserId, room));

    private async Task<HandlerReply> Handled(InboundMessage message)
    {
        var info = new MessageInfo(ClientId, State.UserId, message.Type, message.Action, message.Data);
        if (_hooks.Any)
        {
            await _hooks.RunAsync("message", (hook, token) => hook.OnMessageAsync(info, token));
        }

        var reply = await _dispatcher.Dispatch(new Handlers.HandlerCaller(ClientId, State.UserId, User, Metadata), message);
        if (!reply.Ok)
        {
            await _lifecycle.PublishAsync(this, RealtimeEventChannels.MessageError, new MessageErrorPayload(ClientId, State.UserId, message.Type, message.Action, reply.ErrorCode!, reply.Error!));
            if (_hooks.Any)
            {
                await _hooks.RunAsync("error", (hook, token) => hook.OnErrorAsync(info, reply.ErrorCode!, reply.Error!, token));
            }
        }

        return reply;
    }
}
