using Realtime.Delivery;
using Realtime.Protocol;
using Realtime.Rooms;

namespace Realtime.Api;

/// <summary>The <see cref="IRealtime"/> facade over grain calls; needs nothing but an <see cref="IGrainFactory"/>.</summary>
public sealed partial class RealtimeApi(IGrainFactory grains) : IRealtime
{
    /// <inheritdoc />
    public async Task<long> SendToRoomAsync(string room, RealtimePush push, SendOptions? options = null)
        => (await SendToRoomWithResultAsync(room, push, options)).Seq;

    /// <inheritdoc />
    public async Task<RoomSendResult> SendToRoomWithResultAsync(string room, RealtimePush push, SendOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        ArgumentNullException.ThrowIfNull(push);
        if (options?.IdempotencyKey is { } key && !IdempotencyKeys.IsValid(key))
        {
            throw new ArgumentException($"The idempotency key must be {IdempotencyKeys.Rule}", nameof(options));
        }

        var request = new RoomPublishRequest(null, push.Type, push.Action, push.DataArray(), Echo: true, options?.ExcludeArray(), options?.FilterDictionary(), IdempotencyKey: options?.IdempotencyKey);
        var result = await grains.GetRoomGrain(room).Publish(request);
        return result.Ok ? new RoomSendResult(result.Seq, result.Duplicate) : throw new RealtimeException(result.ErrorCode!, result.Error!);
    }

    /// <inheritdoc />
    public Task SendToRoomsAsync(IReadOnlyCollection<string> rooms, RealtimePush push, SendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        ArgumentNullException.ThrowIfNull(push);
        var distinct = Distinct(rooms);
        return distinct.Length == 0
            ? Task.CompletedTask
            : Delivery(options).SendToRooms(distinct, push.ToFrame(), options?.ExcludeArray(), options?.FilterDictionary());
    }

    /// <inheritdoc />
    public Task SendToUsersAsync(IReadOnlyCollection<string> userIds, RealtimePush push, SendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        ArgumentNullException.ThrowIfNull(push);
        var distinct = Distinct(userIds);
        return distinct.Length == 0
            ? Task.CompletedTask
            : Delivery(options).SendToUsers(distinct, push.Type, push.Action, push.DataArray(), options?.ExcludeArray(), options?.FilterDictionary());
    }

    /// <inheritdoc />
    public Task SendToClientAsync(string clientId, RealtimePush push, SendOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentNullException.ThrowIfNull(push);
        return Delivery(options).SendToClients([clientId], push.ToFrame(), options?.ExcludeArray(), options?.FilterDictionary());
    }

    /// <inheritdoc />
    public Task SendToAllAsync(RealtimePush push, SendOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(push);
        return Delivery(options).SendToAll(push.ToFrame(), options?.ExcludeArray(), options?.FilterDictionary());
    }

    /// <inheritdoc />
    public Task SendToPathAsync(string path, RealtimePush push, SendOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(push);
        return Delivery(options).SendToPath(path, push.ToFrame(), options?.ExcludeArray(), options?.FilterDictionary());
    }

    /// <inheritdoc />
    public Task PublishEventAsync(Events.RealtimeEvent realtimeEvent)
    {
        ArgumentNullException.ThrowIfNull(realtimeEvent);
        ArgumentException.ThrowIfNullOrEmpty(realtimeEvent.Channel);
        return grains.GetDeliveryGrain().PublishEvent(realtimeEvent);
    }

    /// <inheritdoc />
    public async Task<long> JoinRoomAsync(string clientId, string room)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(room);

        // A handler may put its own connection in a room: let the call into its busy grain through.
        using var reentrancy = RequestContext.AllowCallChainReentrancy();
        var result = await grains.GetClientGrain(clientId).JoinRoom(new Connections.ClientJoinRequest(room, null, null, ByServer: true));
        return result.Room.Ok ? result.Room.Seq : throw new RealtimeException(result.Room.ErrorCode!, result.Room.Error!);
    }

    /// <inheritdoc />
    public async Task LeaveRoomAsync(string clientId, string room)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(room);
        using var reentrancy = RequestContext.AllowCallChainReentrancy();
        await grains.GetClientGrain(clientId).LeaveRoom(room, byServer: true);
    }

    /// <inheritdoc />
    public Task<Connections.ClientInfo?> GetClientAsync(string clientId)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        return grains.GetClientGrain(clientId).GetInfo();
    }

    /// <inheritdoc />
    public async Task UpdateClientMetadataAsync(string clientId, IReadOnlyDictionary<string, string?> changes)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentNullException.ThrowIfNull(changes);
        using var reentrancy = RequestContext.AllowCallChainReentrancy();
        await grains.GetClientGrain(clientId).UpdateMetadata(new Dictionary<string, string?>(changes, StringComparer.Ordinal));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Rooms.RoomMember>> GetRoomMembersAsync(string room)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        return await grains.GetRoomGrain(room).GetMembers();
    }

    /// <inheritdoc />
    public Task<int> GetRoomMemberCountAsync(string room)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        return grains.GetRoomGrain(room).GetMemberCount();
    }

    /// <inheritdoc />
    public async Task<RoomHistory> GetRoomHistoryAsync(string room, long since = 0, int limit = 100)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        ArgumentOutOfRangeException.ThrowIfNegative(since);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, RoomHistory.MaxLimit);
        var slice = await grains.GetRoomGrain(room).GetHistory(since);
        var count = Math.Min(limit, slice.Frames.Length);
        var pushes = new RoomHistoryPush[count];
        for (var i = 0; i < count; i++)
        {
            pushes[i] = new RoomHistoryPush(slice.Seqs[i], Protocol.BinaryValues.Plain(slice.Frames[i]));
        }

        return new RoomHistory(slice.Seq, slice.Epoch, slice.Complete, pushes);
    }

    /// <inheritdoc />
    public Task DisconnectClientAsync(string clientId, int closeCode = Protocol.CloseCodes.PolicyViolation, string reason = "disconnected by the server")
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        return grains.GetDeliveryGrain().DisconnectClients([clientId], ValidCloseCode(closeCode), reason ?? "");
    }

    /// <inheritdoc />
    public Task DisconnectUserAsync(string userId, int closeCode = Protocol.CloseCodes.PolicyViolation, string reason = "disconnected by the server")
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return grains.GetDeliveryGrain().DisconnectUsers([userId], ValidCloseCode(closeCode), reason ?? "");
    }

    private static int ValidCloseCode(int code)
        => Protocol.CloseCodes.MaySend(code)
            ? code
            : throw new ArgumentOutOfRangeException(nameof(code), code, "Not a close code a server may send.");

    /// <inheritdoc />
    public Task<bool> IsOnlineAsync(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return grains.GetUserPresenceGrain(userId).IsOnline();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> GetOnlineUsersAsync(IReadOnlyCollection<string> userIds)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        var distinct = Distinct(userIds);
        var online = await Task.WhenAll(distinct.Select(id => grains.GetUserPresenceGrain(id).IsOnline()));
        return [.. distinct.Where((_, i) => online[i])];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Presence.UserConnection>> GetUserConnectionsAsync(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return await grains.GetUserPresenceGrain(userId).GetConnections();
    }

    private static string[] Distinct(IReadOnlyCollection<string> keys)
    {
        var set = new HashSet<string>(keys.Count, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (!string.IsNullOrEmpty(key))
            {
                set.Add(key);
            }
        }

        return [.. set];
    }

    /// <summary>The delivery grain, for sends that are not sequenced: they take no idempotency key.</summary>
    private IDeliveryGrain Delivery(SendOptions? options)
        => options?.IdempotencyKey is null
            ? grains.GetDeliveryGrain()
            : throw new ArgumentException("An idempotency key applies to SendToRoomAsync only: the other sends are not sequenced", nameof(options));
}
