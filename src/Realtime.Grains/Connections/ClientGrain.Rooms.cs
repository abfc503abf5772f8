using Realtime.Connections;
using Realtime.Grains.Rooms;
using Realtime.Protocol;
using Realtime.Rooms;

namespace Realtime.Grains.Connections;

/// <summary>A connection's rooms: joins (checked by the rooms' authorizers), leaves, publishes, presence.</summary>
internal sealed partial class ClientGrain
{
    public async Task<ClientJoinResult> JoinRoom(ClientJoinRequest request)
    {
        if (!State.Connected)
        {
            return new ClientJoinResult(RoomJoinResult.Fail(ErrorCodes.Unauthorized, "The connection is not registered"), []);
        }

        _lastActivity = _time.GetUtcNow();
        var roomName = request.RoomName;
        var isNew = !State.Rooms.Contains(roomName);
        if (isNew && _options.ClientCanJoinMultipleRooms && JoinedRooms().Count() >= _options.MaxRoomsPerClient)
        {
            return new ClientJoinResult(RoomJoinResult.Fail(ErrorCodes.Forbidden, $"A connection may be in at most {_options.MaxRoomsPerClient} rooms"), []);
        }

        // Every join and every recovery asks the room's authorizer (the server's own joins excepted):
        // a refused client gets no history.
        var refusal = request.ByServer ? null : await _access.Check(AccessContext(request.Since is null ? RoomAccess.Join : RoomAccess.Recover, roomName));
        if (refusal is not null)
        {
            if (!isNew)
            {
                // A member refused a recovery gets nothing more of the room.
                State.Rooms.Remove(roomName);
                State.ServerRooms.Remove(roomName);
                await LeaveQuietly(roomName);
                await _state.WriteStateAsync();
            }

            return new ClientJoinResult(RoomJoinResult.Fail(ErrorCodes.Forbidden, refusal), []);
        }

        var result = await GrainFactory.GetRoomGrain(roomName).Join(
            new RoomJoinRequest(ClientId, State.UserId, State.GatewayId, request.Since, request.Epoch, ExposedMetadata(roomName), State.Metadata, NotifyGateway: request.ByServer));
        if (!result.Ok || !isNew)
        {
            return new ClientJoinResult(result, []);
        }

        // One room at a time: the new room is joined first, so a refused join leaves the old one in place.
        string[] left = [];
        if (!_options.ClientCanJoinMultipleRooms && JoinedRooms().Any())
        {
            left = [.. JoinedRooms()];
            await Task.WhenAll(left.Select(room => LeaveQuietly(room, request.ByServer)));
            foreach (var room in left)
            {
                State.Rooms.Remove(room);
                State.ServerRooms.Remove(room);
            }
        }

        State.Rooms.Add(roomName);
        if (request.ByServer)
        {
            State.ServerRooms.Add(roomName);
        }

        await _state.WriteStateAsync();
        foreach (var room in left)
        {
            await LeftRoom(room);
        }

        await JoinedRoom(roomName);
        return new ClientJoinResult(result, left);
    }

    public async Task LeaveRoom(string roomName, bool byServer = false)
    {
        _lastActivity = _time.GetUtcNow();
        var wasMember = State.Rooms.Remove(roomName);
        State.ServerRooms.Remove(roomName);
        if (!wasMember && !byServer)
        {
            // A client's leave of a room it is not in touches no room: no activation for nothing.
            // (The server's leave still asks the room, which may know better after a lost write.)
            return;
        }

        await GrainFactory.GetRoomGrain(roomName).Leave(ClientId, notifyGateway: byServer);
        if (wasMember)
        {
            await _state.WriteStateAsync();
            await LeftRoom(roomName);
        }
    }

    public async Task<RoomPublishResult> Publish(string roomName, string type, string action, byte[] data, bool echo, bool transient = false, string? idempotencyKey = null)
    {
        if (!State.Connected)
        {
            return RoomPublishResult.Fail(ErrorCodes.Unauthorized, "The connection is not registered");
        }

        _lastActivity = _time.GetUtcNow();
        var refusal = await _access.Check(AccessContext(RoomAccess.Publish, roomName));
        if (refusal is not null)
        {
            return RoomPublishResult.Fail(ErrorCodes.Forbidden, refusal);
        }

        var membersOnly = _rooms.PublishFor(roomName) == PublishPolicy.Members;
        return await GrainFactory.GetRoomGrain(roomName).Publish(
            new RoomPublishRequest(new MessageSender(ClientId, State.UserId), type, action, data, echo, MembersOnly: membersOnly, Transient: transient, IdempotencyKey: idempotencyKey));
    }

    public async Task<RoomPresenceResult> GetRoomPresence(string roomName)
    {
        if (!State.Connected)
        {
            return RoomPresenceResult.Fail(ErrorCodes.Unauthorized, "The connection is not registered");
        }

        _lastActivity = _time.GetUtcNow();
        var refusal = await _access.Check(AccessContext(RoomAccess.Presence, roomName));
        return refusal is null
            ? new RoomPresenceResult(await GrainFactory.GetRoomGrain(roomName).GetMembers())
            : RoomPresenceResult.Fail(ErrorCodes.Forbidden, refusal);
    }

    /// <summary>
    /// After a token refresh: the rooms the client joined that its new claims may no longer join are
    /// left, told to the gateway (<c>roomLeft</c>). Rooms the server put it in stay.
    /// </summary>
    private async Task RecheckRooms()
    {
        foreach (var room in State.Rooms.Where(room => !State.ServerRooms.Contains(room)).ToArray())
        {
            if (await _access.Check(AccessContext(RoomAccess.Join, room)) is { } refusal)
            {
                LogRoomLeftAfterRefresh(ClientId, room, refusal);
                await LeaveRoom(room, byServer: true);
            }
        }
    }

    private RoomAccessContext AccessContext(RoomAccess access, string roomName)
        => new(access, roomName, ClientId, State.UserId, User, Metadata, State.Rooms.Contains(roomName), ServiceProvider);

    /// <summary>The rooms the connection is in besides its user's own (which neither counts toward the limit nor is left for another).</summary>
    private IEnumerable<string> JoinedRooms()
        => State.UserId is { } userId && _users.Rooms ? State.Rooms.Where(room => room != RoomNames.ForUser(userId)) : State.Rooms;

    private Dictionary<string, string>? ExposedMetadata(string roomName)
    {
        var keys = _rooms.ExposedMetadataFor(roomName);
        if (keys.Length == 0)
        {
            return null;
        }

        var exposed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (State.Metadata.TryGetValue(key, out var value))
            {
                exposed[key] = value;
            }
        }

        return exposed;
    }

    private async Task LeaveQuietly(string roomName) => await LeaveQuietly(roomName, notifyGateway: false);

    private async Task LeaveQuietly(string roomName, bool notifyGateway)
    {
        try
        {
            await GrainFactory.GetRoomGrain(roomName).Leave(ClientId, notifyGateway);
        }
        catch (Exception exception)
        {
            LogLeaveFailed(exception, ClientId, roomName);
        }
    }
}
